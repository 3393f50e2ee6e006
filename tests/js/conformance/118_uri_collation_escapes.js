// encodeURIComponent and kin, localeCompare's root order, util.inspect's escapes and column widths
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name + ": " + e.message); } };
t(() => [encodeURIComponent("a b&c=d/é?😀"), encodeURI("http://x.com/a b?q=1&r=é#h"), encodeURIComponent("-_.!~*'()")]);
t(() => [decodeURIComponent("%F0%9F%98%80%20%C3%A9"), decodeURI("%3B%2F%20%C3%A9%23"), decodeURIComponent("%3B%2F")]);
t(() => decodeURIComponent("%E0%A4%A")); t(() => decodeURIComponent("%C3")); t(() => decodeURIComponent("%zz"));
t(() => encodeURIComponent("\ud800")); t(() => encodeURI("\udc00x"));
t(() => [escape("a b+c/😀é@*_-."), unescape("%u00e9%20x%41%zz"), unescape(escape("\ud83d\ude00 ok"))]);
try { decodeURI("%"); } catch (e) { console.log(e instanceof URIError, e.constructor === URIError, String(e)); }
const words = ["zebra", "Zebra", "apple", "Äpfel", "a b", "a-b", "ab", "a_b", "~tilde", "$cash", "#tag", "10", "9", "éclair", "eclair", "™", "x²", "日本", "😀"];
console.log(words.slice().sort((a, b) => a.localeCompare(b)));
console.log(["item10", "item9", "Item1", "item-2"].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
console.log(["a", "A", "á", "b"].map((x) => ["a", "A", "á", "b"].map((y) => x.localeCompare(y, "en", { sensitivity: "base" }))));
console.log(["\b\t\n\v\f\r\\", "\x00\x01\x1f\x7f\x80\x9f", "it's", `a"b'c`, "\ud800|\udfff|\ud83d\ude00"]);
console.log({ "\x01": 1, "\ud800": 2, "new\nline": 3 }, new Map([["\x07", "\v"]]), new Set(["\u2028"]));
console.log(Array.from({ length: 20 }, (_, i) => ["👨‍👩‍👧", "e\u0301", "한국", "ｆｕｌｌ", "\u00ad", "x\u200by", "👍🏽"][i % 7] + i));
console.log(Array.from({ length: 12 }, (_, i) => "日".repeat(i % 4)), Array.from({ length: 9 }, (_, i) => i * 1111 + "日"));
console.log(Array.from({ length: 26 }, (_, i) => "é日" + i));
