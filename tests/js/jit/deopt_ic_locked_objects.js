// Frozen, sealed and non-extensible objects stay with the interpreter (their
// stores are refused, or throw in strict mode): compiled code never gets them.
// (Every probe runs inside a loop, compiled with the leaf in it.)
function inc(o) { o.v = o.v + 1; return o.v; }
function incs(o, n) { let r = 0; for (let i = 0; i < n; i++) r = inc(o); return r; }
const a = {v: 0};
incs(a, 3000);
const f = Object.freeze({v: 10});
console.log(incs(a, 1), incs(f, 1), f.v);
const s = Object.seal({v: 20});
console.log(incs(s, 1), s.v);
const n = Object.preventExtensions({v: 30});
console.log(incs(n, 1), n.v);
function strictInc(o) { "use strict"; o.v = o.v + 1; return o.v; }
function strictIncs(o, n) { let r = 0; for (let i = 0; i < n; i++) r = strictInc(o); return r; }
strictIncs(a, 3000);
try { strictIncs(f, 1); } catch (e) { console.log(e.constructor.name, e.message); }
console.log(a.v);
