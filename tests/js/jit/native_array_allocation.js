// Compiled code allocates arrays (new Array(n).fill(v)) and stores them,
// and every path out of it -- a return, a store into a property, a deopt
// after the store, an invalid length, a replaced Array -- agrees with node.
class Board {
  constructor() { this.rows = null; this.cols = null; this.count = 0; }
  reset(n) {
    this.rows = new Array(n).fill(true);
    this.cols = new Array(n * 2).fill(0);
    this.count = n;
    return this.rows.length + this.cols.length;
  }
  swap(other) {  // a swap through two holders: neither array may be lost
    const t = this.cols;
    this.cols = other.cols;
    other.cols = t;
    return t.length;
  }
}
function play(a, b, n) {  // (compiled, it calls reset and swap compiled)
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += a.reset(i % 7 + 1) + b.reset(i % 5 + 2);
    total += a.swap(b);
  }
  return total;
}
const a = new Board(), b = new Board();
let total = 0;
for (let k = 0; k < 30; k++) total += play(a, b, 100);
console.log(total, a.rows.length, a.cols.length, b.cols.length, a.rows[0], b.cols[1]);
a.rows[1] = 'mixed';  // the interpreter's array now: a generic one
console.log(a.rows, b.rows);

function makeRow(n, v) {
  let s = 0;
  for (let i = 0; i < 3; i++) s += i;
  const r = new Array(n).fill(v);
  return r;
}
let row = null;
for (let i = 0; i < 3000; i++) row = makeRow(i % 4, i * 0.5);
console.log(row, makeRow(0, 1).length);
try { makeRow(-1, 0); } catch (e) { console.log(e.constructor.name, e.message); }
try { makeRow(1.5, 0); } catch (e) { console.log(e.constructor.name, e.message); }
try { makeRow(4294967296, 0); } catch (e) { console.log(e.constructor.name, e.message); }

// a store after a commit, then a deopt: the property is as the interpreter leaves it
function refill(o, n, k) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    o.rows = new Array(i + 1).fill(false);
    s += o.rows.length;
    if (k > 100) s += o.cols[k];  // past the end: a deopt
  }
  return s;
}
const c = new Board();
c.reset(3);
let r = 0;
for (let i = 0; i < 3000; i++) r += refill(c, 4, i % 3);
console.log(r, c.rows, refill(c, 3, 1000), c.rows);

// a fill of another kind than the property held: the interpreter's store changes its kind
function setFlags(o, v) { for (let i = 0; i < 2; i++) o.cols = new Array(2).fill(v); return o.cols[0]; }
const d = new Board();
d.reset(2);
let f = 0;
for (let i = 0; i < 3000; i++) f += setFlags(d, 1.5);
console.log(f, setFlags(d, true), d.cols, setFlags(d, 2.5));

// Array replaced: compiled code may no longer allocate through it
function fresh(n) { let s = 0; for (let i = 0; i < n; i++) s += new Array(i).fill(1).length; return s; }
let g = 0;
for (let i = 0; i < 3000; i++) g += fresh(3);
console.log(g);
const RealArray = Array;
Array = function (n) { this.n = n; this.fill = function (v) { return [n, v, 'mine']; }; };
console.log(fresh(3), JSON.stringify(new Array(2).fill(7)));
Array = RealArray;
console.log(fresh(4));

// a hot top-level loop (a loop unit) leaves a fresh array in its variable
let keep = null;
for (let k = 0; k < 20000; k++) keep = new Array(k % 3 + 1).fill(k % 2 === 0);
console.log(keep, keep.length);
