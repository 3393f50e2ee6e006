// One object reached twice (two arguments, a global and a local) is one set
// of slots; a hot loop over objects enters native code at its header.
function swapAdd(a, b) { a.x = a.x + b.x; b.x = b.x + 1; return a.x; }
const o = {x: 1};
let s = 0;
for (let i = 0; i < 20; i++) s += swapAdd(o, o);
console.log(s, o.x);
const g = {count: 0, sum: 0};
const local = {count: 0.5, sum: -0};
let h = g;
for (let i = 0; i < 5000; i++) {
  g.count += 1;
  h.sum += i;
  local.sum -= i % 7;
  if (i % 1000 === 999) local.count = local.count * 2;
  if (i === 4321) h = local;
}
console.log(g, local, Object.is(local.sum, -0));
const z = {v: -0, n: NaN, i: Infinity};
function keep(q) { q.v = -q.v; q.n = q.n + 1; q.i = -q.i; return q.v; }
for (let i = 0; i < 2001; i++) keep(z);
console.log(z, Object.is(z.v, -0), 1 / z.v);
