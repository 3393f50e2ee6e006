// Refused stores in sloppy code (ignored; array methods still throw), frozen/sealed arrays, class bodies and "use strict" functions
const t = (n, f) => { try { console.log(n, f()); } catch (e) { console.log(n, e.name + ": " + e.message); } };
t(1, () => { const o = Object.freeze({a: 1}); o.a = 2; o.b = 3; return o; });
t(2, () => { const o = {get x() { return 1; }}; o.x = 5; return o.x; });
t(3, () => { undeclaredVar = 5; return typeof undeclaredVar; });
t(4, () => { function f() { return typeof this; } return f(); });
t(6, () => { const o = Object.seal({a: 1}); return delete o.a; });
t(7, () => { const a = Object.freeze([1, 2]); a.push(3); return a; });
t(8, () => { const o = {}; Object.defineProperty(o, "x", {value: 1}); o.x = 2; return o.x; });
t(9, () => { "abc".length = 5; const s = "abc"; s.foo = 1; return s.foo; });
t(10, () => { class A { m() { const o = Object.freeze({}); o.z = 1; return o; } } return new A().m(); });
t(11, () => { class A { m() { return (function () { return typeof this; })(); } } return new A().m(); });
t(12, () => { const f = Object.freeze(function () {}); f.x = 1; return f.x; });
t(14, () => { return delete Object.prototype; });
t(16, () => { const o = Object.preventExtensions({a: 1}); o.b = 2; return o; });
const ops = {
  "push(9)": (a) => a.push(9), "push()": (a) => a.push(), "pop()": (a) => a.pop(), "shift()": (a) => a.shift(), "unshift(0)": (a) => a.unshift(0),
  "unshift(0,1)": (a) => a.unshift(0, 1), "splice(0,1)": (a) => a.splice(0, 1), "splice(1,0,5)": (a) => a.splice(1, 0, 5),
  "splice(2,1)": (a) => a.splice(2, 1), "splice(0,1,7)": (a) => a.splice(0, 1, 7), "splice(1)": (a) => a.splice(1), "sort()": (a) => a.sort(), "reverse()": (a) => a.reverse(),
  "fill(0)": (a) => a.fill(0), "fill(0,1)": (a) => a.fill(0, 1), "copyWithin(0,1)": (a) => a.copyWithin(0, 1),
  "length=0": (a) => { a.length = 0; }, "length=5": (a) => { a.length = 5; }, "[0]=7": (a) => { a[0] = 7; }, "[5]=7": (a) => { a[5] = 7; },
  "x=1": (a) => { a.x = 1; }, "delete[0]": (a) => delete a[0], "map": (a) => a.map((x) => x * 2), "concat": (a) => a.concat([4]),
  "Array.prototype.push.call": (a) => Array.prototype.push.call(a, 1), "slice": (a) => a.slice(1),
};
for (const [lv, lock] of [["frozen", Object.freeze], ["sealed", Object.seal], ["nonext", Object.preventExtensions]]) {
  console.log(lv, Object.isFrozen(lock([1])), Object.isSealed(lock([1])), Object.isExtensible(lock([1])), Object.isFrozen(lock([])));
  for (const [name, op] of Object.entries(ops)) t(name, () => { const a = lock([3, 1, 2]); const r = op(a); return [r, a]; });
}
class K { constructor() { Object.freeze(this); } set(v) { this.v = v; } }
t("class", () => new K().set(1));
const fz = Object.freeze({ a: 1, nested: { b: 2 } }); fz.nested.b = 3; fz.a = 9; console.log(fz);
t("strictfn", () => { "use strict"; fz.a = 2; });
t("strictnested", () => { "use strict"; return (() => { fz.c = 1; })(); });
t("getter", () => { "use strict"; const o = { get g() { return 1; } }; o.g = 2; });
t("inherit-getter", () => { "use strict"; class P { get g() { return 1; } } const o = new P(); o.g = 2; });
t("prim", () => { "use strict"; const n = 5; n.x = 1; });
t("prim-str-index", () => { "use strict"; const s = "abc"; s[0] = "z"; });
t("prim-str-len", () => { "use strict"; const s = "abc"; s.length = 1; });
t("delete-sealed", () => { "use strict"; const o = Object.seal({ a: 1 }); delete o.a; });
t("delete-fn-proto", () => { function F() {} return delete F.prototype; });
t("undeclared-sloppy", () => { leaked = 1; return leaked; });
t("undeclared-strict", () => { "use strict"; leaked2 = 1; return leaked2; });
t("sloppy-this", () => { function f() { return this === globalThis; } return f(); });
t("strict-this", () => { "use strict"; function f() { return this; } return f(); });
t("method-this", () => { const o = { m() { return this === globalThis; } }; const m = o.m; return m(); });
t("class-this", () => { class C { m() { return this; } } const m = new C().m; return m(); });
t("frozen-fn", () => { const f = Object.freeze(function g() {}); f.x = 1; return [f.x, Object.isFrozen(f)]; });
t("frozen-fn-strict", () => { "use strict"; const f = Object.freeze(function g() {}); f.x = 1; });
t("defprop", () => { "use strict"; const o = {}; Object.defineProperty(o, "k", { value: 1, enumerable: true }); o.k = 2; });
t("readonly-class", () => { class P { constructor() { Object.defineProperty(this, "id", { value: 7 }); } } const p = new P(); p.id = 8; return p.id; });
t("readonly-class-strict", () => { class P { constructor() { Object.defineProperty(this, "id", { value: 7 }); } bump() { this.id++; } } new P().bump(); });
