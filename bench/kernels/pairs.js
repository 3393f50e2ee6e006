// Small arrays made, returned and dropped: q/r pairs, 2-D points, a search
// returning a pair or null (built in the run's arena by compiled code).
function divmod(a, b) { return [Math.floor(a / b), a % b]; }
function add(p, q) { return [p[0] + q[0], p[1] + q[1]]; }
function find(xs, k) {
  for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i] === k) return [xs[i], xs[i + 1]];
  return null;
}
const N = typeof SIZE === "number" ? SIZE : 300000;
const t0 = performance.now();
const xs = [];
for (let i = 0; i < 64; i++) xs.push(i * 3, i * 7);
let s = 0, p = [0, 0], hits = 0;
for (let i = 1; i < N; i++) {
  const r = divmod(i * 7, 13);
  s = (s + r[0] * 3 + r[1]) % 1000003;
  p = add(p, [i % 3, i % 5]);
  const q = find(xs, i % 200);
  if (q !== null) { hits++; s = (s + q[1]) % 1000003; }
}
console.log("pairs", N, s, p[0], p[1], hits, "ms", performance.now() - t0);
