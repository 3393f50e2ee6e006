// indexOf, includes, startsWith and endsWith of a string on a string compile
// as one scan of the units (apps.js.codegen's str_search): positions as
// ToIntegerOrInfinity (NaN, fractions, negatives, past the end), empty
// needles, needles longer than the haystack, surrogate pairs (units, not
// characters), and a needle that turns out not to be a string (it leaves).
function count(text, word) {
  let n = 0, at = text.indexOf(word);
  while (at >= 0) { n++; at = text.indexOf(word, at + 1); }
  return n;
}
let text = "";
for (let i = 0; i < 300; i++) text += "the cat sat on the mat " + i + " ";
console.log(count(text, "at"), count(text, "the"), count(text, "dog"), count(text, " 29"));
function flags(words, pre, suf, mid) {
  let a = 0, b = 0, c = 0;
  for (let r = 0; r < 200; r++) {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w.startsWith(pre)) a++;
      if (w.endsWith(suf)) b++;
      if (w.includes(mid)) c++;
    }
  }
  return a + "," + b + "," + c;
}
const words = ["apple", "apricot", "banana", "grape", "pineapple", "", "ap", "nap", "snap"];
console.log(flags(words, "ap", "ple", "an"), flags(words, "", "", ""), flags(words, "snapshot", "x", "pp"));
function positions(s, t, k) {
  let out = 0;
  for (let i = 0; i < 2000; i++) {
    out += s.indexOf(t, k) + (s.includes(t, k) ? 1 : 0) + (s.startsWith(t, k) ? 10 : 0) + (s.endsWith(t, k) ? 100 : 0);
  }
  return out;
}
const probes = [0, 1, 2.7, -3, 5, 6, 100, NaN, Infinity, -Infinity];
const results = [];
for (const k of probes) results.push(positions("abcabc", "bc", k), positions("abcabc", "", k), positions("ab", "abc", k));
console.log(results.join(" "));
const pairs = "x😀y😀z";
function pairAt(s) { let t = 0; for (let i = 0; i < 1000; i++) t += s.indexOf("😀", i % 5) + s.indexOf("\ude00"); return t; }
console.log(pairAt(pairs));
function mixed(s, needles) { let t = 0; for (let i = 0; i < needles.length; i++) t += s.indexOf(needles[i]); return t; }
const strs = [];
for (let i = 0; i < 3000; i++) strs.push(i % 2 ? "b" : "c");
console.log(mixed("abc", strs));
strs[2500] = 1;
console.log(mixed("ab1c", strs));
// the built-in replaced: compiled code must call the program's own
String.prototype.includes = function (t) { return t.length === 2; };
console.log(flags(words, "ap", "ple", "an"));
