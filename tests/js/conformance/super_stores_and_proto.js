// super.x = v, super.x op= v, super.x++ (a setter past the home object runs with this; otherwise
// this gets its own property), and __proto__: the accessor on Object.prototype and the literal form.
class P { get v() { return this._v ?? 1; } set v(x) { this._v = x; } get r() { return 3; } }
class Q extends P {
  m() { super.v += 2; super.v++; ++super.v; return this._v; }
  n() { super.v = 5; return [this._v, super.v]; }
  l() { super.v ||= 9; super.w ??= 4; super["w"] &&= 6; return [this._v, this.w]; }
  plain() { super.z = 7; return [Object.keys(this), this.z, Object.getOwnPropertyNames(Q.prototype)]; }
  ro() { try { super.r = 1; } catch (e) { return e.constructor.name; } return "no error"; }
}
console.log(new Q().m(), new Q().n(), new Q().l(), new Q().plain(), new Q().ro());
class A {}
class B extends A { set x(v) { super.x = v; } get x() { return "getter"; } }
const b = new B(); b.x = 3; console.log(Object.getOwnPropertyDescriptor(b, "x"), b.x);
let n = 0; const key = { toString() { n++; return "v"; } };
class R extends P { k() { super[key] += 1; return [this._v, n]; } }
console.log(new R().k());
class S { static set q(v) { this._q = v; } }
class T extends S { static go() { super.q = 11; return this._q; } }
console.log(T.go());
const base = { hi() { return "hi " + this.n; }, set s(v) { this._s = "base" + v; }, get g() { return "G" + this.k; } };
const o = { __proto__: base, n: 1 };
console.log(o.hi(), Object.getPrototypeOf(o) === base, Object.keys(o), "__proto__" in o);
const c = { ["__proto__"]: base }; console.log(Object.keys(c), Object.getPrototypeOf(c) === Object.prototype);
const d = { "__proto__": null, x: 1 }; console.log(Object.getPrototypeOf(d), d.x);
const e = { __proto__: 5, y: 2 }; console.log(Object.getPrototypeOf(e) === Object.prototype, e.y);
const lit = { __proto__: base, t() { super.s = 1; super.k = 2; return [this._s, this.k, super.g]; } };
console.log(lit.t());
function shorthand(__proto__) { return { __proto__ }; }
const g = shorthand(base); console.log(Object.keys(g), Object.getPrototypeOf(g) === Object.prototype);
const m = {}; m.__proto__ = { z: 1 }; m.__proto__ = 7; console.log(m.z, m.__proto__.z, "__proto__" in m);
console.log(Object.getOwnPropertyNames(Object.prototype).includes("__proto__"), Object.keys(Object.prototype));
const dict = Object.create(null); dict.__proto__ = 1; console.log(Object.keys(dict), JSON.parse('{"__proto__": 2}').__proto__);
console.log((5).__proto__ === Number.prototype, "s".__proto__ === String.prototype, [].__proto__ === Array.prototype);
try { null.__proto__; } catch (err) { console.log(err.constructor.name); }
