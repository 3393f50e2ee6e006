// Frozen, sealed and non-extensible objects stay with the interpreter (their
// stores are refused, or throw in strict mode): compiled code never gets them.
function inc(o) { o.v = o.v + 1; return o.v; }
const a = {v: 0};
for (let i = 0; i < 2000; i++) inc(a);
const f = Object.freeze({v: 10});
console.log(inc(a), inc(f), f.v);
const s = Object.seal({v: 20});
console.log(inc(s), s.v);
const n = Object.preventExtensions({v: 30});
console.log(inc(n), n.v);
function strictInc(o) { "use strict"; o.v = o.v + 1; return o.v; }
for (let i = 0; i < 2000; i++) strictInc(a);
try { strictInc(f); } catch (e) { console.log(e.constructor.name, e.message); }
console.log(a.v);
