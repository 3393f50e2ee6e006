// Compiled code constructs objects (new C(...)) whose constructors only
// store what they are given; every way out agrees with node.
class Element { constructor(v) { this.val = v; this.next = null; } }
class Pair extends Element { constructor(a, b) { super(a); this.other = b; } }
class Plain extends Element {}
class Fields { count = 0; flag = true; constructor(n) { this.n = n; } }
function Point(x, y) { this.x = x; this.y = y * 2 + 1; }
class Holder { constructor(a, f, o, b) { this.a = a; this.f = f; this.o = o; this.b = b; this.gone = undefined; } }

function makeList(n) {
  let head = null;
  for (let i = 0; i < n; i++) { const e = new Element(i); e.next = head; head = e; }
  return head;
}
function total(l) { let s = 0; while (l !== null) { s += l.val; l = l.next; } return s; }
let t = 0;
for (let k = 0; k < 2000; k++) t += total(makeList(k % 10));
console.log('lists', t, total(makeList(4)));

function kinds(n, flag, obj, nums, bits) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = new Pair(i, new Point(i, 0.5));
    const q = new Plain(3);
    const f = new Fields(i);
    const h = new Holder(nums, bits, obj, flag);
    const m = new Point(i);  // (y is undefined: NaN * 2 + 1)
    s += p.val + p.other.y + q.val + f.n + f.count + (f.flag ? 1 : 0) + h.a[0] + (h.f[1] ? 1 : 0) + h.o.val;
    if (h.b) s += 1;
    if (m.y !== m.y) s += 100;
  }
  return s;
}
const obj = new Element(7), nums = [1.5, 2], bits = [false, true];
let u = 0;
for (let k = 0; k < 2000; k++) u += kinds(3, k % 2 === 0, obj, nums, bits);
const last = new Holder(nums, bits, obj, true);
console.log('kinds', u, JSON.stringify(last), Object.keys(new Fields(2)), last instanceof Holder);

// a store of a fresh object, then a deopt: the interpreter's run is what remains
const box = { item: null, n: 0 }, four = [1, 2, 3, 4];
function fill(o, k, idx) {
  let s = 0;
  for (let i = 0; i < 3; i++) {
    o.item = new Element(k + i);
    o.n = o.n + 1;
    s += four[idx + i];  // past the end: a deopt
  }
  return s;
}
let w = 0;
for (let k = 0; k < 3000; k++) w += fill(box, k, k % 2);
console.log('deopt', w, box.n, box.item.val, fill(box, 5, 2), box.n, box.item.val);

// constructors that do more than store their arguments stay interpreted
let calls = 0;
const base = 10;
class ReadsGlobal { constructor(x) { this.x = x + base; } }
class CallsOut { constructor(x) { calls++; this.x = x; } }
class ReadsArg { constructor(o) { this.x = o.val; } }
class AddsObject { constructor(o) { this.x = o + 1; } }
const sneaky = { valueOf() { calls += 10; return 5; } };
function impure(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += new ReadsGlobal(i).x + new CallsOut(i).x + new ReadsArg(obj).x;
  return s;
}
function adds(n, o) { let s = 0; for (let i = 0; i < n; i++) s += new AddsObject(o).x; return s; }
let v = 0;
for (let k = 0; k < 2000; k++) v += impure(2) + adds(1, sneaky);
console.log('impure', v, calls);

// a setter, then a frozen prototype, then a replaced class: the stores are the interpreter's again
class Spot { constructor(x) { this.x = x; } }
function spots(n) { let s = 0; for (let i = 0; i < n; i++) { const p = new Spot(i); s += p.x; } return s; }
let y = 0;
for (let k = 0; k < 2000; k++) y += spots(4);
const seen = [];
Object.defineProperty(Spot.prototype, 'x', { set(v) { seen.push(v); }, get() { return 40; }, configurable: true });
console.log('setter', y, spots(3), seen);
delete Spot.prototype.x;
console.log('plain again', spots(3));
Object.freeze(Spot.prototype);
console.log('frozen', spots(3));
class Other { constructor(x) { this.x = -x; } }
Spot = Other;
console.log('replaced', spots(3));

// a constructor that throws (an invalid length) throws from compiled code's caller too
class Sized { constructor(n) { this.cells = new Array(n).fill(0); this.n = n; } }
function sizes(n) { let s = 0; for (let i = 0; i < 3; i++) s += new Sized(n + i).cells.length; return s; }
let z = 0;
for (let k = 0; k < 2000; k++) z += sizes(k % 4);
console.log('sized', z);
try { sizes(-2); } catch (e) { console.log(e.constructor.name, e.message); }

// a read-only property up the chain refuses the constructor's store (sloppy code: ignored)
function Ro(x) { this.x = x; this.y = x + 1; }
function ros(n) { let s = 0; for (let i = 0; i < n; i++) { const o = new Ro(i); s += o.x + o.y; } return s; }
let rz = 0;
for (let k = 0; k < 2000; k++) rz += ros(3);
Object.defineProperty(Ro.prototype, 'x', { value: 5, writable: false, configurable: true });
console.log('read-only', rz, ros(3));
delete Ro.prototype.x;
console.log('writable again', ros(3));

// a function whose prototype is not an object: its instances inherit from
// Object.prototype, and a setter there counts too
function Loose(x) { this.x = x; }
Loose.prototype = 5;
function loose(n) { let s = 0; for (let i = 0; i < n; i++) { const o = new Loose(i); s += o.x; } return s; }
let lz = 0;
for (let k = 0; k < 2000; k++) lz += loose(3);
const hits = [];
Object.defineProperty(Object.prototype, 'x', { set(v) { hits.push(v); }, get() { return 1; }, configurable: true });
console.log('loose', lz, loose(3), hits);
delete Object.prototype.x;
