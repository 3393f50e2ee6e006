"use strict";
// The same stores in a strict program: each refused one is a TypeError, an undeclared assignment a ReferenceError
const t = (n, f) => { try { console.log(n, f()); } catch (e) { console.log(n, e.name + ": " + e.message); } };
t(1, () => { const o = Object.freeze({a: 1}); o.a = 2; o.b = 3; return o; });
t(2, () => { const o = {get x() { return 1; }}; o.x = 5; return o.x; });
t(3, () => { undeclaredVar = 5; return typeof undeclaredVar; });
t(4, () => { function f() { return typeof this; } return f(); });
t(5, () => { function f(a) { a = 2; return arguments[0]; } return f(1); });
t(6, () => { const o = Object.seal({a: 1}); return delete o.a; });
t(7, () => { const a = Object.freeze([1, 2]); a.push(3); return a; });
t(8, () => { const o = {}; Object.defineProperty(o, "x", {value: 1}); o.x = 2; return o.x; });
t(9, () => { "abc".length = 5; const s = "abc"; s.foo = 1; return s.foo; });
t(10, () => { class A { m() { const o = Object.freeze({}); o.z = 1; return o; } } return new A().m(); });
t(11, () => { class A { m() { return (function () { return typeof this; })(); } } return new A().m(); });
t(12, () => { const f = Object.freeze(function () {}); f.x = 1; return f.x; });
t(14, () => { return delete Object.prototype; });
t(16, () => { const o = Object.preventExtensions({a: 1}); o.b = 2; return o; });
