// A read through an inherited getter compiles as a call of it, behind a call
// cache on the receiver's shape (apps.js.ics: the accessor's getter must be
// the one compiled in).  Every way out is here: another getter put on the
// prototype, an own property shadowing it, a second class at the site, a
// getter that throws, one that leaves compiled code half-way, a null
// receiver -- each getter runs exactly once per read.
class Vec {
  constructor(x, y) { this.x = x; this.y = y; }
  get len() { return Math.sqrt(this.x * this.x + this.y * this.y); }
  get twice() { return new Vec(this.x * 2, this.y * 2); }
}
class Vec3 extends Vec {
  constructor(x, y, z) { super(x, y); this.z = z; }
}
class Box {
  constructor(w) { this.w = w; }
  get len() { return this.w * 4; }
}
function total(a, n) { let t = 0; for (let i = 0; i < n; i++) t += a[i % a.length].len; return t; }
const vs = [new Vec(3, 4), new Vec(6, 8), new Vec3(5, 12, 1)];
console.log(total(vs, 30000));
function chained(v, n) { let t = 0; for (let i = 0; i < n; i++) t += v.twice.twice.len; return t; }
console.log(chained(new Vec(3, 4), 20000));
// a second class at a monomorphic site: it leaves, and the site learns both
console.log(total([new Vec(3, 4), new Box(2)], 30000));
// the getter replaced on the prototype between runs
Object.defineProperty(Vec.prototype, "len", { get() { return 1; }, configurable: true });
console.log(total(vs, 3000));
// an own data property shadows it (an assignment would not: the getter has no setter)
const shadow = new Vec(3, 4);
Object.defineProperty(shadow, "len", { value: 100, writable: true });
console.log(total([new Vec(3, 4), shadow], 3000));
// side effects: one call per read, also when the getter leaves half-way
let calls = 0;
class Counted {
  constructor() { this.n = 0; this.v = 1; }
  get next() { calls++; this.n += 1; return this.v * this.n; }
}
function pull(c, n) { let t = 0; for (let i = 0; i < n; i++) t += c.next; return t; }
const c = new Counted();
console.log(pull(c, 20000), calls, c.n);
c.v = 0.5;
console.log(pull(c, 1000), calls, c.n);
c.v = "x";
console.log(pull(c, 3), calls, c.n);
// a getter that throws, and a null receiver
class Thrower { constructor(k) { this.k = k; } get v() { if (this.k > 2) throw new Error("k " + this.k); return this.k; } }
function sumV(a, n) { let t = 0; for (let i = 0; i < n; i++) t += a[i % a.length].v; return t; }
console.log(sumV([new Thrower(1), new Thrower(2)], 20000));
try { sumV([new Thrower(1), new Thrower(3)], 10); } catch (e) { console.log(e.message); }
try { sumV([new Thrower(1), null], 10); } catch (e) { console.log(e instanceof TypeError); }
// each alone, on a site that has seen one getter: the getter replaced on the
// prototype between runs, and an own property holding the getter function
// itself (a value, not a getter: read, never called)
class Pt { constructor(x, y) { this.x = x; this.y = y; } get sum() { return this.x + this.y; } }
function sums(a, n) { let t = 0; for (let i = 0; i < n; i++) t += a[i % a.length].sum; return t; }
const pts = [new Pt(3, 4), new Pt(6, 8)];
console.log(sums(pts, 30000));
Object.defineProperty(Pt.prototype, "sum", { get() { return 1; }, configurable: true });
console.log(sums(pts, 3000));
class Qt { constructor(x, y) { this.x = x; this.y = y; } get sum() { return this.x * this.y; } }
function qsums(a, n) { let t = 0; for (let i = 0; i < n; i++) t += a[i % a.length].sum; return t; }
const qts = [new Qt(3, 4), new Qt(6, 8)];
console.log(qsums(qts, 30000));
qts[1] = { x: 1, y: 2, sum: Object.getOwnPropertyDescriptor(Qt.prototype, "sum").get };
const r = qsums(qts, 4);
console.log(typeof r, r.length);
// a getter of booleans and one of strings
class Flag { constructor(n) { this.n = n; } get odd() { return this.n % 2 === 1; } get name() { return "f" + this.n; } }
function odds(a, n) { let k = 0; for (let i = 0; i < n; i++) if (a[i % a.length].odd) k++; return k; }
function names(a, n) { let s = ""; for (let i = 0; i < n; i++) s = a[i % a.length].name; return s; }
const flags = [new Flag(1), new Flag(2), new Flag(3)];
console.log(odds(flags, 30000), names(flags, 20000));
