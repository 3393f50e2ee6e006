// Strings in compiled code: length, charCodeAt and comparison read the
// string's UTF-16 units; an index past either end is NaN (an int32 check that
// fails once: the unit is compiled again with doubles).
function countChar(s, c) { let n = 0; for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === c) n++; return n; }
function hashOf(s) { let t = 0; for (let i = 0; i < s.length; i++) t = (t * 31 + s.charCodeAt(i)) | 0; return t; }
function cmp(a, b) { return a < b ? -1 : a === b ? 0 : a > b ? 1 : 99; }
function isAbc(s) { return s === "abc"; }
function pick(a, b) { return a.length >= b.length ? a : b; }
let text = "";
for (let i = 0; i < 200; i++) text += "hello world, " + i + "; ";
let tot = 0;
for (let k = 0; k < 200; k++) tot += countChar(text, 108) + hashOf(text) % 7;
console.log(tot, countChar("", 1), hashOf("😀x"), hashOf("\ud83d"), "😀".length);
const words = ["pear", "apple", "fig", "apple", "", "Zeta", "ab", "abc", "abd", "😀", "\uffff", "\ud800"];
let c = 0;
for (let r = 0; r < 30; r++) for (const w of words) for (const v of words) c += (cmp(w, v) + 2) * (r + 1) * (v.length + 1);
console.log(c, words.map(w => cmp(w, "abc")).join(" "));
for (let i = 0; i < 100; i++) isAbc(words[i % words.length]);
console.log(isAbc("abc"), isAbc("abd"), isAbc("ab"), isAbc(""));
let longest = "";
for (let i = 0; i < 3000; i++) longest = pick(longest, words[i % words.length]);
console.log(longest, pick("x", "yy"), typeof pick("", ""));
function at(s, i) { return s.charCodeAt(i); }
for (let i = 0; i < 100; i++) at("xyz", i % 3);
console.log(at("xyz", 5), at("xyz", -1), at("xyz", 1.7), at("", 0), at("xyz", 2));
function firstUpper(s) { return s.length > 0 && s.charCodeAt(0) >= 65 && s.charCodeAt(0) <= 90; }
let uppers = 0;
for (let i = 0; i < 2000; i++) if (firstUpper(words[i % words.length])) uppers++;
console.log(uppers, firstUpper(7), firstUpper("Q"));
