// s[i] in compiled code: the one-unit string, compared, stored and handed
// back; an index past either end or not whole (undefined), and a unit above
// U+00FF (a string compiled code does not keep), go to the interpreter.
function vowels(s) { let c = 0; for (let i = 0; i < s.length; i++) { const ch = s[i]; if (ch === "a" || ch === "e" || ch === "i" || ch === "o" || ch === "u") c++; } return c; }
function pairs(s) { let c = 0; for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) c++; return c; }
function before(s, k) { let c = 0; for (let i = 0; i < s.length; i++) if (s[i] < k) c++; return c; }
function at(s, i) { return s[i]; }
function keep(o, s, i) { o.last = s[i]; return o.last === s[i]; }
const text = "the quick brown fox jumps over the lazy dog, deeeep and llama, caf\u00e9 \u00ff";
const wide = "price: 5\u20ac or \ud83d\ude00 ok";
const out = [];
let t = 0;
for (let r = 0; r < 2000; r++) t += vowels(text) + pairs(text) + before(text, "m");
out.push(t, vowels(text), pairs(text), before(text, "m"));
for (let r = 0; r < 300; r++) at(text, r % text.length);
out.push(at(text, 0), at(text, text.length - 1), String(at(text, text.length)), String(at(text, -1)), String(at(text, 1.5)), String(at(text, NaN)));
out.push(typeof at(text, 3), at(text, 3) === " ", at(text, 68));
out.push(vowels(wide), pairs(wide), before(wide, "p"), at(wide, 8), at(wide, 13), at(wide, 14).length, at(wide, 13) + at(wide, 14));
const o = { last: "" };
for (let r = 0; r < 300; r++) keep(o, text, r % 20);
out.push(o.last, keep(o, wide, 8), o.last, keep(o, "", 0), String(o.last));
console.log(out.join("\n"));
