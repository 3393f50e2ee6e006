// let x; -- undefined until assigned: compiled as an object reference
// (apps/js/shapes.UNDEF_REF), compared with null and undefined as node does.
class N { constructor(v, next) { this.v = v; this.next = next; this.u = undefined; } }
function pick(a, b, k) {
  let x;
  let y;
  if (k % 3 === 0) { x = a; } else if (k % 3 === 1) { x = b; }
  for (let i = 0; i < 2; i++) { let z; if (i === 1) { z = a; } if (z === undefined) { y = b; } }
  let s = 0;
  if (x === undefined) s += 1;
  if (x == null) s += 2;
  if (x === null) s += 4;
  if (x) s += 8;
  if (x == a.u) s += 16;
  if (a.u == null) s += 32;
  if (a.u === x) s += 64;
  if (x !== undefined) s += x.v;
  if (undefined != x) s += 128;
  return s + y.v;
}
function loose(a, k) {
  let n = null;
  let u;
  if (k % 2 === 0) { u = a.next; }  // null (a.next) or undefined (never assigned)
  let s = 0;
  if (n == u) s += 1;
  if (n === u) s += 2;
  if (u != n) s += 4;
  if (u !== n) s += 8;
  if (u == a) s += 16;
  return s;
}
function walk(list) {
  let last;
  let n = 0;
  for (let p = list; p !== null; p = p.next) { last = p; n++; }
  return last === undefined ? -1 : last.v + n;
}
const a = new N(100, null), b = new N(1000, a);
let t = 0;
for (let k = 0; k < 3000; k++) t += pick(a, b, k) + loose(a, k) + walk(k % 4 === 0 ? b : a);
console.log(t);
// a variable left undefined reaches a property load: the interpreter throws node's TypeError
function first(o, k) { let x; if (k > 0) { x = o; } return x.v; }
function firsts(o, n, lo) { let f = 0; for (let k = n; k >= lo; k--) { f += first(o, k); } return f; }
let f = 0;
for (let r = 0; r < 200; r++) f += firsts(a, 20, 1);
try { f += firsts(a, 20, 0); } catch (e) { console.log(e instanceof TypeError, e.message.includes("'v'"), f); }
// a number declared without a value, assigned on every path before it is read (CD's findIntersection)
function when(v1, v2) {
  let v;
  if (v1 <= 0) { v = 0; } else { v = v1; }
  let w;
  if (v2 > 1) { w = v2 * 2; } else if (v2 > 0) { w = v2; } else { w = -1; }
  let u;
  u = v + w;
  return v * 10 + w + u;
}
let g = 0;
for (let k = 0; k < 3000; k++) g += when((k % 5) - 2, (k % 7) - 3);
console.log(g);
// read before it is assigned on one path: undefined reaches arithmetic (NaN), as in node
function maybe(k) { let v; if (k > 2) { v = k; } return v + 1; }
let nan = 0;
for (let k = 0; k < 3000; k++) { const r = maybe(k % 5); if (r !== r) nan++; }
console.log(nan);
// a number declared without a value in a rarely taken branch: that branch leaves for the interpreter
function rare(k) {
  let s = 0;
  for (let i = 0; i < 10; i++) {
    s += i * k;
    if (k === 7 && i === 3) { let v; if (s > 5) { s += 1; } s += v === undefined ? 100 : 0; v = 1; s += v; }
  }
  return s;
}
let q = 0;
for (let k = 0; k < 3000; k++) q += rare(k % 50);
console.log(q);
// assigned by a loop's test before anything reads it (fannkuch's `while ((k = perm[0]) !== 0)`): a number
function flipsOf(p) {
  let flips = 0, k;
  while ((k = p[0]) !== 0) { p[0] = k - 1; flips++; }
  let j;
  for (; (j = flips * 2) < 0;) flips--;
  return flips * 100 + k + j;
}
// only sometimes assigned first: the right of && runs only sometimes; a read on the left comes first
function rightOfAnd(p, c) { let k; while (c > 0 && (k = p[0]) !== 0) { p[0] = 0; } return k + 1; }
function readFirst(c) { let m; while ((m | 0) + (m = c) > 5) { c--; } return m + 1; }
let fl = 0, st = 0;
for (let r = 0; r < 3000; r++) {
  fl += flipsOf([r % 9]);
  const x = rightOfAnd([r % 3], (r % 4) - 1), y = readFirst(r % 8);
  st += (x !== x ? 1000 : x) + (y !== y ? 100000 : y);
}
console.log(fl, st);
