// The callee or value V8 names in 'is not a function', private-name brand checks, sort's comparator check
{
const t = (n, f) => { try { f(); console.log(n, "no error"); } catch (e) { console.log(n, e.name + ": " + e.message); } };
class A { #p = 1; static get(o) { return o.#p; } static set(o) { o.#p = 2; } #m() {} static call(o) { o.#m(); } }
t(1, () => A.get({}));
t(2, () => A.set({}));
class B extends A { constructor() { this.x = 1; super(); } }
t(5, () => (() => {})()());
t(6, () => ({}).foo.bar);
t(7, () => [1, 2].map(3));
t(8, () => new (class { constructor() { return 1; } })().x.y);
t(9, () => { const o = {}; o.f(); });
t(10, () => { const arr = [1]; arr[0](); });
t(11, () => { (function () {})()(); });
t(12, () => { null(); });
t(13, () => { new 5; });
t(14, () => { const f = 1; new f(); });
t(15, () => { [].reduce((a, b) => a); });
t(16, () => { JSON.parse("{bad"); });
t(17, () => { new Array(-1); });
t(18, () => { "x".repeat(-1); });
t(19, () => { (1).toFixed(101); });
t(20, () => { Symbol() + ""; });
t(21, () => { BigInt(1.5); });
t(22, () => { 1n + 1; });
t(23, () => { class C {} C(); });
t(24, () => { const { a } = null; });
t(25, () => { const [x] = {}; });
t(26, () => { let o = { get x() { return this.y.z; } }; o.x; });
t(28, () => { x.y = 1; let x; });
t(29, () => { Object.defineProperty(1, "x", {}); });
t(32, () => { ({}).toString.call(); [].at.call(null); });
t(33, () => { super_ = 1; (function () { "use strict"; undefinedFn(); })(); });
t(37, () => { new Date().toISOString.call({}); });
t(38, () => { new Date(NaN).toISOString(); });
t(40, () => { [1, 2, 3].sort("x"); });
}
{
const t = (f) => { try { f(); } catch (e) { console.log(e.message); } };
const arr = [1], o = { a: { b: 1 } }, i = 0, k = "a";
t(() => arr[0]()); t(() => arr[i]()); t(() => arr[i + 1]()); t(() => o[k].b()); t(() => o["a"]()); t(() => o.a.b());
t(() => arr[0].x()); t(() => o.a["b"]()); t(() => new o.a()); t(() => new arr[0]()); t(() => (o.a)()); t(() => o?.a()); t(() => o.a?.b());
t(() => [1][0]()); t(() => "str"()); t(() => 5()); t(() => (1 + 2)()); t(() => o.a.b.c.d()); t(() => arr.map(o.a));
t(() => o[1 + 1]()); t(() => this.x()); t(() => null.x); t(() => o.a.b.c.d); t(() => undefined[0]); t(() => arr[5].x);
t(() => o.zz.y); t(() => o[k + "z"].y); t(() => arr[i][i][i]);
}
{
class A { #x = 1; static #count = 0; #m() { return this.#x; } get #g() { return 2; } static inc() { return ++A.#count; } read() { return this.#m() + this.#g; } static has(o) { return #x in o; } set(v) { this.#x = v; return this.#x; } }
const a = new A(); console.log(a.read(), A.inc(), A.inc(), a.set(5), a.read());
class B extends A { #y = 9; both() { return this.read() + this.#y; } } console.log(new B().both());
}
