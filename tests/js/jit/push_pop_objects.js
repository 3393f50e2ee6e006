// push and pop on arrays of objects and of rows in compiled code: the run's
// copy grows (its length goes back to the array when the run ends); a popped
// object stored elsewhere, a hole popped (undefined), a deopt after pushes
// and pops (undone), a frozen or sealed array, and null pushed.
class P { constructor(x, y) { this.x = x; this.y = y; } }
function fill(ps, n, r) {
  for (let i = 0; i < n; i++) ps.push(new P((i * 7919 + r) % 1000, i));
  return ps.length;
}
function churn(q, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = q.pop();
    s += p.x;
    q.push(new P(p.x + 1, i));
    if (i % 2 === 0) q.push(new P(i % 5, i));
    if (q.length > 40) { while (q.length > 8) q.pop(); }
  }
  return s;
}
function keepPopped(q, holder) {
  let s = 0;
  for (let i = 0; i < 2; i++) {
    holder.last = q.pop();
    holder.count = q.length;
    s += holder.last === null ? -1 : holder.last.x;
  }
  return s;
}
function popHoles(a) {
  let u = 0;
  while (a.length > 0) { const x = a.pop(); if (x === undefined) u++; }
  return u;
}
function pushThenFail(q, k) {
  q.push(new P(7, 7));
  q.push(null);
  q.pop();
  const small = [1, 2];
  return q.length + small[k];  // (k past the end: leaves, the push and pop undone)
}
function rows(grid, n) {
  for (let i = 0; i < n; i++) grid.push([i, i + 1, i + 2]);
  let s = 0;
  for (let i = 0; i < grid.length; i++) s += grid[i][1];
  const last = grid.pop();
  return s + last[2];
}
let total = 0;
for (let r = 0; r < 200; r++) {
  const ps = [new P(0, 0)];
  total += fill(ps, 30 + (r % 4), r);
  total += ps[ps.length - 1].x + ps[5].y;
}
console.log("fill", total);

const q = [new P(1, 1)];
let t2 = 0;
for (let r = 0; r < 200; r++) t2 += churn(q, 20);
console.log("churn", t2, q.length, q.map(p => p.x).join(","));

const holder = { last: null, count: 0 };
const src = [];
for (let i = 0; i < 300; i++) src.push(new P(i, -i));
let t3 = 0;
for (let r = 0; r < 120; r++) t3 += keepPopped(src, holder);
console.log("kept", t3, holder.last.x, holder.count, src.length);

let t4 = 0;
for (let r = 0; r < 200; r++) {
  const a = new Array(5);
  a[1] = new P(r, r);
  a[3] = new P(r, r);
  t4 += popHoles(a) * 10 + a.length;
}
console.log("holes", t4);

const base = [new P(1, 2), new P(3, 4)];
let t5 = 0;
for (let r = 0; r < 300; r++) {
  t5 += pushThenFail(base, r === 299 ? 5 : 1) || 0;
  base.pop();
}
console.log("rollback", t5, base.length, base.map(p => p === null ? "null" : p.x).join(","));

const frozen = Object.freeze([new P(1, 1), new P(2, 2)]);
const sealed = Object.seal([new P(1, 1), new P(2, 2)]);
let t6 = "";
for (let r = 0; r < 300; r++) {
  const pick = r < 290 ? [new P(r, r), new P(r, r)] : r % 2 ? frozen : sealed;
  try { t6 = String(fill(pick, 1, r)); } catch (e) { t6 = e.constructor.name; }
}
console.log("locked", t6, frozen.length, sealed.length);

const grid = [[0, 1, 2]];
let t7 = 0;
for (let r = 0; r < 200; r++) t7 += rows(grid, 3);
console.log("rows", t7, grid.length);

function multi(q, nums, k) {
  const small = [1, 2];
  for (let i = 0; i < 3; i++) {
    q.push(new P(i, k), null, new P(k, i));
    nums.push(i, k * 0.5, small[k]);  // (k past the end: leaves before any of the three is pushed)
  }
  return q.length + nums.length;
}
const mq = [new P(0, 0)], mn = [];
let t8 = 0;
for (let r = 0; r < 200; r++) { t8 += multi(mq, mn, r === 199 ? 3 : r % 2); mq.length = 1; mn.length = 0; }
console.log("multi", t8, mq.length, mn.length);
