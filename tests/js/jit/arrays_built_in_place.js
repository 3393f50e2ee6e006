// Small arrays made by compiled code (built in the run's arena) and null
// where a packed array may be: kept, dropped, grown, handed back.
function divmod(a, b) { return [Math.floor(a / b), a % b]; }
function add(a, b) { return [a[0] + b[0], a[1] + b[1]]; }
function longest(rows) {
  let best = null;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (best === null || r.length > best.length) best = r;
  }
  return best;
}
function find(xs, k) {
  for (let i = 0; i + 1 < xs.length; i += 2) if (xs[i] === k) return [xs[i], xs[i + 1]];
  return null;
}
function grow(n) {
  const a = [n];
  for (let j = 0; j < n; j++) a.push(j * n);
  return a;
}
let s = 0;
for (let i = 1; i < 200000; i++) { const r = divmod(i * 7, 13); s = (s + r[0] * 3 + r[1]) % 1000003; }
console.log("divmod", s);
let p = [0, 0];
for (let i = 0; i < 100000; i++) p = add(p, [i % 3, i % 5]);
console.log("add", p);
const rows = [];
for (let i = 0; i < 60; i++) rows.push(new Array((i * 37) % 41).fill(i));
let t = 0;
for (let r = 0; r < 3000; r++) t += longest(rows).length;
console.log("longest", t, longest([]));
const xs = [];
for (let i = 0; i < 100; i++) xs.push(i * 3, i * 7);
let hits = 0, u = 0;
for (let r = 0; r < 5000; r++) { const q = find(xs, (r * 13) % 350); if (q !== null) { hits++; u += q[1]; } }
console.log("find", hits, u, find(xs, 1));
let g = 0, last = null;
for (let r = 0; r < 3000; r++) { last = grow(r % 70); g += last.length + last[last.length - 1]; }
console.log("grow", g, last.length, last.slice(0, 4), last[last.length - 1]);
