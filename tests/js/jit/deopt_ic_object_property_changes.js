// An object property read by compiled code turns into a number, a frozen
// object, an object with a getter, undefined, or null where compiled code
// reads through it: the cache misses (or the null check fails) and the
// interpreter finishes the call -- throwing node's TypeError where node does.
function depth(o) { let d = 0; let n = o; while (n.next !== null) { n = n.next; d++; } return d; }
function chain(k) { let h = {v: 0, next: null}; for (let i = 0; i < k; i++) h = {v: i, next: h}; return h; }
function probe(o) { try { return depth(o); } catch (e) { return e.constructor.name + ": " + e.message; } }
const a = chain(20);
let s = 0;
for (let i = 0; i < 300; i++) s += depth(a);
console.log(s);
a.next.next = 7;
console.log(probe(a));
a.next.next = Object.freeze({v: 1, next: null});
console.log(probe(a));
a.next.next = {get next() { return null; }, v: 2};
console.log(probe(a));
a.next = undefined;
console.log(probe(a));
a.next = {next: {next: {next: null}}};
console.log(probe(a));
function vals(o) { let t = 0; let n = o; for (let i = 0; i < 5; i++) { t += n.v; n = n.next; } return t; }
const b = chain(10);
for (let i = 0; i < 300; i++) vals(b);
try { console.log(vals(chain(3))); } catch (e) { console.log(e.constructor.name, e.message); }
b.next.v = "x";
console.log(vals(b));
function same(x, y) { let c = 0; for (let i = 0; i < 3; i++) { if (x.next === y.next) c++; x = x.next; } return c; }
const shared = chain(4);
for (let i = 0; i < 300; i++) same(shared, shared);
console.log(same(shared, chain(4)), same(shared, shared));
