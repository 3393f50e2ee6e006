// The temporal dead zone inside functions, closures, switch cases and destructuring
const t = (n, f) => { try { console.log(n, f()); } catch (e) { console.log(n, e.name + ": " + e.message); } };
t(1, () => { const r = x; let x = 1; return r; });
t(2, () => { function g() { return y; } const v = g(); const y = 2; return v; });
t(3, () => { { const r = typeof z; let z; return r; } });
t(4, () => { let a = a + 1; return a; });
t(5, () => { for (let i = 0; i < 1; i++) { const q = w; let w = 1; } });
t(6, () => { class C extends (D) {} const D = 1; });
t(7, () => { const f = () => k; const r = f(); let k = 5; return r; });
t(8, () => { let k; const f = () => k; k = 5; return f(); });
t(9, () => { switch (1) { case 0: let s = 1; case 1: return s; } });
t(10, () => { const { a = b, b } = {}; return a; });
t(12, () => { let cnt = 0; for (const x of [1, 2]) { cnt += x; } return cnt; });
function* gen() { const f = () => v; let v = 1; yield f(); v = 2; yield f(); }
console.log([...gen()]);
async function af() { const f = () => w; let w = await 3; return f(); }
af().then((x) => console.log("af", x));
class P { static make() { return new P(); } hello() { return Q.name; } }
const Q = P; console.log(P.make().hello());
function outer() { let n = 0; return { inc() { return ++n; }, get() { return n; } }; }
const c = outer(); c.inc(); c.inc(); console.log(c.get());
function sw(x) { switch (x) { case 1: { let a = 1; return a; } case 2: let b = 2; return b; default: return -1; } }
console.log(sw(1), sw(2), sw(3));
try { (function () { const early = () => late; early(); const late = 1; })(); } catch (e) { console.log(e.message); }
