// Objects compiled code builds in its run's bump arena (apps.js.arena): most
// are dropped with the run and the arena is reused by the next; every way one
// outlives its run must give it a block of its own first.  Output compared with node.
class P {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}
class Node2 {
  constructor(v) {
    this.v = v;
    this.next = null;
  }
}

// 1. Garbage across many chunks in one run, and over many runs.
function churn(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = new P(i, i * 0.5);
    s += p.x - p.y;
  }
  return s;
}
let total = 0;
for (let r = 0; r < 30; r++) total += churn(5000);
console.log("churn", total);

// 2. Returned from a function the interpreter calls (each call a run), kept,
// then read after later runs reused the arena.
function make(i) {
  const t = new P(i, -i);
  return new P(t.x * 2, t.y * 3);
}
const kept = [];
for (let i = 0; i < 3000; i++) {
  const p = make(i);
  if (i % 7 === 0) kept.push(p);
  churn(50);
}
let ks = 0;
for (const p of kept) ks += p.x + p.y;
console.log("kept", kept.length, ks, kept[5].x, kept[5].y);

// 3. A list built in compiled code, walked by the interpreter after other runs.
function build(n, base) {
  let head = null;
  for (let i = 0; i < n; i++) {
    const nd = new Node2(base + i);
    nd.next = head;
    head = nd;
  }
  return head;
}
const lists = [];
for (let r = 0; r < 40; r++) {
  lists.push(build(300, r * 1000));
  churn(2000);
}
let ls = 0,
  lc = 0;
for (const h of lists) for (let nd = h; nd !== null; nd = nd.next) { ls += nd.v; lc++; }
console.log("lists", lc, ls);

// 4. Stored into an interpreter array by compiled code, then read by other
// compiled code in later runs (the array's element words are remembered).
const arr = [];
for (let i = 0; i < 200; i++) arr.push(new P(0, 0));
function refill(a, k) {
  for (let i = 0; i < a.length; i++) if ((i + k) % 3 === 0) a[i] = new P(i + k, k);
}
function sumx(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i].x * 2 + a[i].y;
  return s;
}
let as = 0;
for (let k = 0; k < 300; k++) {
  refill(arr, k);
  churn(300);
  as += sumx(arr);
}
console.log("array", as, arr[3].x, arr[3].y);

// 5. Into a global, and a cycle.
let last = null;
function cyc(i) {
  const a = new Node2(i);
  const b = new Node2(-i);
  a.next = b;
  b.next = a;
  last = a;
  return churn(100);
}
let cs = 0;
for (let i = 0; i < 2000; i++) cs += cyc(i);
console.log("cycle", cs, last.v, last.next.v, last.next.next === last);

// 6. Handed to a constructor the engine runs mid-run (fewer arguments than
// parameters), then written by compiled code after it was handed out.
class Box {
  constructor(item, extra) {
    this.item = item;
    this.extra = extra;
  }
}
function boxes(n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const p = new P(i, 0);
    const b = new Box(p);
    p.y = i * 10;
    p.x = p.x + 1;
    out[i] = b;
  }
  return out;
}
let bs = 0;
for (let r = 0; r < 30; r++) {
  const out = boxes(200);
  churn(500);
  for (const b of out) bs += b.item.x + b.item.y + (b.extra === undefined ? 1 : 0);
}
console.log("boxes", bs);

// 7. A made object whose slot changes kind (null, then an object): its shape moves in place.
function chain(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = new Node2(i);
    a.next = new P(i, 1);
    s += a.next.x + a.v;
  }
  return s;
}
let chs = 0;
for (let r = 0; r < 50; r++) chs += chain(400);
console.log("chain", chs);
