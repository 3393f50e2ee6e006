// o.m() where m is o's own property (an object literal's method, a function
// stored on an instance) calls the code compiled in only when that property
// holds its function -- or another closure of it, where that code uses no
// closure's variables: objects of one shape may hold different functions
// there, so the call cache is never patched for one, and every call checks
// the object's own property.  Output: node's.
function makeCounter(k) { return { total: 0, k: k, add(x) { this.total += x * this.k; return this.total; } }; }
function drive(acc, n) { let s = 0; for (let i = 0; i < n; i++) s = acc.add(i % 10); return s; }
const out = [];
const a = makeCounter(1), b = makeCounter(100);   // one shape, two functions of one template
for (let r = 0; r < 300; r++) drive(a, 10);
out.push(drive(a, 1000), drive(b, 1000), a.total, b.total);
function both(x, y, n) { let s = 0; for (let i = 0; i < n; i++) s += (i % 2 === 0 ? x : y).add(1); return s; }
out.push(both(a, b, 2000), a.total, b.total);
// a closure's method (its code bound to that closure's variables): only that object's calls are its
function makeAcc() { let total = 0; return { add(x) { total += x; return total; }, get() { return total; } }; }
const acc = makeAcc();
for (let r = 0; r < 300; r++) drive(acc, 10);
out.push(drive(acc, 5000), acc.get());
const acc2 = makeAcc();                           // another closure: its own total
out.push(drive(acc2, 100), acc2.get(), acc.get());
// the property replaced between calls; an own method shadowing the prototype's, then deleted
const c = makeCounter(2);
drive(c, 100);
c.add = function (x) { return -x; };
out.push(drive(c, 50));
class P { constructor(v) { this.v = v; } m() { return this.v; } }
function callM(o, n) { let s = 0; for (let i = 0; i < n; i++) s += o.m(); return s; }
const p = new P(3), q = new P(4);
for (let r = 0; r < 300; r++) callM(p, 10);
q.m = function () { return this.v * 1000; };
out.push(callM(p, 100), callM(q, 100));
delete q.m;
out.push(callM(q, 100));
// an accessor that returns a function is the interpreter's
const g = { get add() { return (x) => x + 0.5; } };
out.push(drive(g, 4));
console.log(out.join("\n"));
