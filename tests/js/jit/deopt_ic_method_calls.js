// Method calls in compiled code: a call inline cache per site checks that
// the receiver's shape (keys and prototype) resolves the name to the one
// function the interpreter saw there; a prototype changed later invalidates
// the site (its immediates patched back), a shadowing own property or an
// override deoptimises, and every result is the interpreter's.  (Each probe
// runs in a compiled loop: a method without a loop or recursion is not
// entered from the interpreter by itself.)
class Vec {
  constructor(x, y) { this.x = x; this.y = y; }
  dot(o) { return this.x * o.x + this.y * o.y; }
  len2() { return this.dot(this); }
  add(o) { this.x += o.x; this.y += o.y; }
  static unit() { return 1; }
}
class Vec3 extends Vec {
  constructor(x, y, z) { super(x, y); this.z = z; }
  dot(o) { return this.x * o.x + this.y * o.y + this.z * o.z; }
}
function total(a, b, n) { let s = 0; for (let i = 0; i < n; i++) { s += a.len2() + b.dot(a); a.add(b); } return s; }
function total3(a, b, n) { let s = 0; for (let i = 0; i < n; i++) { s += a.len2() + b.dot(a); a.add(b); } return s; }
function len2s(v, n) { let s = 0; for (let i = 0; i < n; i++) s += v.len2(); return s; }
const a = new Vec(1, 2), b = new Vec(0.5, 0.25);
let t = 0;
for (let k = 0; k < 50; k++) t += total(a, b, 100);
console.log(t, a.x, a.y);
const c = new Vec3(1, 1, 1), d = new Vec3(2, 2, 2);
for (let k = 0; k < 20; k++) t += total3(c, d, 10);
console.log(t, c.x, c.z);
Vec.prototype.dot = function (o) { return 1; };
console.log(total(a, b, 3), len2s(a, 1), total3(c, d, 2));
const own = new Vec(3, 4);
own.len2 = function () { return -1; };
console.log(total(own, b, 2), len2s(own, 1));
Vec.prototype.scale = function (k) { return this.x * k; };
function scaled(v, k) { return v.scale(k) + v.scale(k + 1); }
function sweep(n, k) { let u = 0; for (let i = 0; i < n; i++) u += scaled(i % 2 ? a : c, i + k); return u; }
let u = 0;
for (let r = 0; r < 10; r++) u += sweep(300, r);
Object.defineProperty(Vec.prototype, "scale", { get() { return () => 100; } });
console.log(u, sweep(1, 1));
const plain = { x: 2, y: 3, dot: Vec3.prototype.dot, z: 4 };
function viaPlain(p, n) { let s = 0; for (let i = 0; i < n; i++) s += p.dot(p); return s; }
for (let k = 0; k < 20; k++) viaPlain(plain, 50);
console.log(viaPlain(plain, 2), viaPlain(c, 1), Vec.unit());
