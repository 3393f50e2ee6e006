// toUpperCase, toLowerCase, trim, trimStart, trimEnd and repeat of strings in
// compiled code: ASCII letters mapped natively (any other unit leaves and the
// interpreter maps it: "ß" becomes "SS"), every kind of JS white space
// trimmed, repeat's count as ToIntegerOrInfinity, its RangeErrors thrown by
// the interpreter.
function cases(words, n) {
  let s = "", t = 0;
  for (let i = 0; i < n; i++) {
    const w = words[i % words.length];
    const u = w.toUpperCase(), l = w.toLowerCase();
    t += u.length + l.length;
    s = u + "|" + l;
  }
  return t + " " + s;
}
console.log(cases(["Hello, World 42", "abcXYZ[]`{", "", "@AZaz"], 30000));
console.log(cases(["plain", "straße", "ÉCOLE"], 3000));
function trims(words, n) {
  let s = "", t = 0;
  for (let i = 0; i < n; i++) {
    const w = words[i % words.length];
    t += w.trim().length * 100 + w.trimStart().length * 10 + w.trimEnd().length;
    s = "[" + w.trim() + "][" + w.trimStart() + "][" + w.trimEnd() + "]";
  }
  return t + " " + s;
}
console.log(trims(["  a b  ", "\t\n x \r\v\f", "", "   ", "none"], 30000));
console.log(trims(["\u00a0\ufeffx\u2028\u3000", "\u2000é\u200a", "é ", " \u00e9"], 3000));
function reps(s, ks, n) {
  let t = 0, last = "";
  for (let i = 0; i < n; i++) {
    last = s.repeat(ks[i % ks.length]);
    t += last.length;
  }
  return t + " " + last;
}
console.log(reps("ab", [0, 1, 2.7, 3], 30000));
console.log(reps("xyz", [NaN, 0.5, 4], 3000), reps("", [5, 1e10], 3000));
for (const k of [-1, Infinity, 2 ** 29]) {
  try { console.log(reps("ab", [1, k], 3000)); } catch (e) { console.log(e.constructor.name, e.message); }
}
