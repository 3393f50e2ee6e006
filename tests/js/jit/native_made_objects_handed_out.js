// Objects compiled code builds in place stay native until the interpreter
// is to see them: each case hands them out a different way -- returned,
// stored into an object or array the interpreter has, left in a variable
// when a loop ends or deopts, through a global, in cycles, as a long list,
// inside an array the run made, passed to a constructor the interpreter
// runs mid-run (and stored into after) -- or drops them.  Each runs hot
// enough to compile; the output must be node's, key order included.

class Node {
  constructor(v, next) {
    this.v = v;
    this.next = next;
  }
}

class Pair {
  constructor(v, other) {
    this.v = v;
    this.other = other;
  }
}

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

function show(n, max) {
  const out = [];
  for (let k = 0; n !== null && k < max; k++, n = n.next) out.push(n.v);
  return out.join(",");
}

// 1. Dropped: most never leave the run.
function dropped(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = new Point(i, i * 2);
    s += p.x + p.y;
  }
  return s;
}
let t1 = 0;
for (let k = 0; k < 300; k++) t1 += dropped(100);
console.log("dropped", t1);

// 2. Returned: a long list built in a compiled loop (deeper than Python's
// recursion limit), the last node returned.
function list(n) {
  let head = null;
  for (let i = 0; i < n; i++) head = new Node(i, head);
  return head;
}
let h = null;
for (let k = 0; k < 60; k++) h = list(k < 59 ? 10 : 20000);
let len = 0;
let sum = 0;
for (let n = h; n !== null; n = n.next) {
  len++;
  sum += n.v;
}
console.log("list", len, sum, show(h, 5));

// 3. Stored into an object the interpreter has; some into a holder's slot
// that held null (a shape change), some overwritten in the same run.
const holder = { first: null, last: null, count: 0 };
function keep(n) {
  for (let i = 0; i < n; i++) {
    const p = new Point(i, -i);
    if (i === 0) holder.first = p;
    holder.last = p;
    holder.count = holder.count + 1;
  }
}
for (let k = 0; k < 300; k++) keep(20);
console.log("kept", JSON.stringify(holder));

// 4. Cycles: two made objects pointing at each other, and one at itself.
function cycle(n) {
  let last = null;
  for (let i = 0; i < n; i++) {
    const a = new Pair(i, null);
    const b = new Pair(-i, a);
    a.other = b;
    const me = new Pair(i * 100, null);
    me.other = me;
    b.v = me.other.v + b.v;
    last = a;
  }
  return last;
}
let c = null;
for (let k = 0; k < 300; k++) c = cycle(10);
console.log("cycle", c.v, c.other.v, c.other.other === c, c.other.other.other.other.v);

// 5. In a variable when a loop ends, and in one when it deopts (a string
// where numbers were): the interpreter goes on with the made objects.
let q5 = null;
function leftover(n, bad) {
  let p = null;
  let q = null;
  let s = 0;
  for (let i = 0; i < n; i++) {
    q = p;
    p = new Point(i, i === 7 ? bad : i);
    s += p.y;
  }
  q5 = q;
  p.x = s;
  return p;
}
let t5 = null;
for (let k = 0; k < 300; k++) t5 = leftover(10, 7);
console.log("leftover", JSON.stringify(t5), JSON.stringify(q5));
console.log("deopted", JSON.stringify(leftover(10, "s")), JSON.stringify(q5));

// 6. Through a global.
let latest = null;
function globalStore(n) {
  for (let i = 0; i < n; i++) latest = new Point(i, n);
}
for (let k = 0; k < 300; k++) globalStore(k % 7 + 1);
console.log("global", JSON.stringify(latest));

// 7. Made arrays of made objects: dropped, returned partly filled, and
// stored into an interpreter object.
function arrays(n, keepIt) {
  const a = new Array(n);
  for (let i = 0; i < n; i += 2) a[i] = new Point(i, i + 1);
  if (keepIt) holder.arr = a;
  let s = 0;
  for (let i = 0; i < n; i += 2) s += a[i].y;
  holder.s = s;
  return a;
}
let t7 = 0;
for (let k = 0; k < 300; k++) t7 += arrays(10, false).length + holder.s;
const r7 = arrays(5, true);
console.log("arrays", t7, r7.length, JSON.stringify(r7), holder.arr === r7, 1 in r7, holder.s);

// 8. A constructor the interpreter runs mid-run for compiled code (given
// fewer arguments than it has parameters) takes made objects; compiled
// code stores into them afterwards.
function Wrap(p, extra) {
  this.p = p;
  this.extra = extra;
}
function wrapped(n) {
  let w = null;
  for (let i = 0; i < n; i++) {
    const p = new Point(i, 0);
    w = new Wrap(p);
    p.y = i * 10; // (a store after the interpreter has seen p)
    w.p.x = p.x + 1;
  }
  return w;
}
let w8 = null;
for (let k = 0; k < 300; k++) w8 = wrapped(5);
console.log("wrapped", JSON.stringify(w8), "extra" in w8);

// 9. An object slot of a made object moving between kinds (null, an
// object, a number array) -- the shape changes on a made object.
class Box {
  constructor() {
    this.item = null;
    this.tag = 0;
  }
}
function boxes(n) {
  let last = null;
  for (let i = 0; i < n; i++) {
    const b = new Box();
    b.item = i % 2 ? new Point(i, i) : null;
    b.tag = i;
    last = b;
  }
  return last;
}
let b9 = null;
for (let k = 0; k < 300; k++) b9 = boxes(k % 4 + 1);
console.log("boxes", JSON.stringify(b9), Object.keys(b9).join());
