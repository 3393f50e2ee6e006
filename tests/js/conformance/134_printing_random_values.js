// console.log of random nested values: where node breaks a line (its braces and base count), Map keys and Set values of -0, depth limits, grouping
let seed = 41; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
class Point { constructor(x, y) { this.x = x; this.y = y; } }
const words = ["a", "bb", "hello", "it's", "longer words here", "x".repeat(30), "q\"q", "ñ", ""];
function gen(d) {
  const r = rnd();
  if (d > 4 || r < 0.35) return pick([0, -0, 1, 42, -7.5, 1e21, 123456789, NaN, Infinity, true, null, undefined, ...words, 10n]);
  if (r < 0.55) { const n = Math.floor(rnd() * (rnd() < 0.3 ? 40 : 8)); const a = []; for (let i = 0; i < n; i++) a.push(rnd() < 0.7 ? Math.floor(rnd() * 1000) : gen(d + 1)); if (rnd() < 0.1) a[n + 2] = 1; return a; }
  if (r < 0.75) { const o = {}; const n = Math.floor(rnd() * 7); for (let i = 0; i < n; i++) o[pick(["a", "key" + i, "with space", "0", "x-y", "ünï"])] = gen(d + 1); return o; }
  if (r < 0.82) return new Map([[gen(d + 1), gen(d + 1)], ["k", gen(d + 1)]]);
  if (r < 0.88) return new Set([gen(d + 1), 1, "s"]);
  if (r < 0.94) return new Point(gen(d + 1), gen(d + 1));
  return [pick(words), [pick(words), [pick(words), [pick(words)]]]];
}
for (let i = 0; i < 400; i++) console.log(gen(0));
