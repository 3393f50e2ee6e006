// substring(start, end): integral in-range pairs (the tokenizer's fast case)
// and everything else -- swapped, negative, fractional, NaN, past the end,
// undefined, non-numbers, surrogate halves.
const s = "héllo😀wörld";
const cases = [
  [1, 3], [3, 1], [-1, 2.5], [2, 99], [NaN, 2], [1.5, 3], [0, s.length], [5, 5],
  [2, undefined], [1, 6], [-0, 1], [0.9999, 2], ["2", "4"], [true, 3], [null, 2],
  [Infinity, 0], [-Infinity, 3], [6, 7], [s.length, s.length], [4.0, 4.5],
];
for (const [a, b] of cases) {
  console.log(JSON.stringify([a, b]), JSON.stringify(s.substring(a, b)));
}
console.log(JSON.stringify(s.substring(3)), JSON.stringify(s.substring()), JSON.stringify("".substring(0, 1)));
let out = "";
for (let i = 0; i < s.length; i++) out += s.substring(i, i + 1) + "|";
console.log(JSON.stringify(out));
