const re = /(\d+)-(\d+)/g;
const s = "10-20, 30-40 and 5-6";
let m; while ((m = re.exec(s)) !== null) console.log(m[0], m[1], m.index, re.lastIndex);
console.log(s.match(/\d+/g), s.match(/(\d+)-(\d+)/), "abc".match(/x/), s.search(/and/), /^a.c$/i.test("ABC"));
console.log(s.replace(/(\d+)-(\d+)/g, "$2:$1"), s.replace(/\d+/, (x) => x * 2), "a.b.c".split("."), "a1b22c".split(/\d+/), "a1b2".split(/(\d)/));
console.log("x".replace("x", "$&$&"), "aaa".replaceAll("a", "b"), "2024-01-15".replace(/(?<y>\d{4})-(?<m>\d\d)-(?<d>\d\d)/, "$<d>/$<m>/$<y>"));
const named = /(?<word>[a-z]+)(?<num>\d*)/.exec("hello42");
console.log(named.groups.word, named.groups.num, named);
console.log(/a/gi, String(/x\/y/), /a/.source, /a/gm.flags, new RegExp("b+", "g").test("abbb"), RegExp("^\\s+$").test("  "));
console.log([..."a1b2c3".matchAll(/[a-z](\d)/g)].map((m) => m[1]), "CamelCaseString".replace(/([A-Z])/g, " $1").trim());
console.log("line1\nline2".match(/^line\d$/gm), "tab\there".split(/\s/), "".split(","), "abc".split(""), "a,b,,c".split(",", 2));
const sticky = /foo/y; sticky.lastIndex = 3; console.log(sticky.test("barfoo"), sticky.lastIndex, sticky.test("barfoo"));
console.log("aBc".replace(/b/i, (m, off, str) => `[${m}@${off} of ${str}]`), /[^]/.test("\n"), /\bcat\b/.test("a cat!"));
try { new RegExp("("); } catch (e) { console.log(e.name); }
console.log("x-y_z".split(/[-_]/), "1,234,567".replace(/,/g, ""), "   pad ".replace(/^\s+|\s+$/g, ""), /(a)|(b)/.exec("b"));
