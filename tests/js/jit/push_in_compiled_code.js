// a.push(x) on a packed array runs in compiled code: in place while the
// buffer has room, through the engine on a run's first push into an array
// and when the buffer is full (doubled, the undo log moved to the new one).
// Every push is logged: a unit leaving half-way through an iteration undoes
// that iteration's pushes and stores (else the interpreter, running it
// again, would push twice).  Output: node's.
const out = [];
function build(n) { const a = new Array(0).fill(0); for (let i = 0; i < n; i++) a.push(i * 1.5); return a; }
function squares(a, n) { let len = 0; for (let i = 0; i < n; i++) len = a.push(i * i); return len; }
function flags(a, n) { for (let i = 0; i < n; i++) a.push(i % 3 === 0); return a.length; }
function twice(a, n) { for (let i = 0; i < n; i++) { a.push(i); a.push(-i); } return a.length; }
function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }
for (let r = 0; r < 200; r++) { squares([], 10); flags([false], 10); twice([], 5); build(3); }
const sq = [];
out.push(squares(sq, 1000), sq.length, sum(sq), sq[999], sq.slice(0, 6).join(","));
const fl = [true];
out.push(flags(fl, 50), fl.filter((x) => x).length, fl.slice(0, 5).join(","));
const tw = [7];
out.push(twice(tw, 100), sum(tw), tw.slice(0, 7).join(","));
const b = build(100000);
out.push(b.length, sum(b), b[99999]);
// pushes and a store, then a leave in the same iteration: undone, once (also across a buffer's growth)
function pushThenLeave(a, extra) {
  let s = 0;
  for (let i = 0; i < 20; i++) { a[0] += 1; a.push(i); s += extra[i]; }
  return s;
}
for (let r = 0; r < 200; r++) pushThenLeave([0], new Array(20).fill(1));
for (const cut of [1, 3, 4, 7, 8, 15]) {
  const a = [0];
  const s = pushThenLeave(a, new Array(cut).fill(1));
  out.push("cut " + cut + ": " + s + " " + a.length + " " + a[0] + " " + a.slice(1, 10).join(","));
}
// an array reached through an object's property, and one the unit made
class Bag { constructor() { this.items = [0]; this.count = 0; } }
function fillBag(bag, n) { for (let i = 0; i < n; i++) { bag.items.push(i + 0.25); bag.count++; } return bag.items.length; }
function made(n) { const a = new Array(2).fill(9); for (let i = 0; i < n; i++) a.push(i); return a; }
for (let r = 0; r < 200; r++) { fillBag(new Bag(), 5); made(5); }
const bag = new Bag();
out.push(fillBag(bag, 300), bag.count, sum(bag.items), made(40).length, sum(made(40)));
// what push cannot do in place goes to the interpreter: an own push, a replaced Array.prototype.push,
// a frozen array, a Float64Array (it has no push), an element of another kind
function pushAll(a, n) { for (let i = 0; i < n; i++) a.push(i); return a.length; }
for (let r = 0; r < 200; r++) pushAll([], 8);
const own = [1, 2];
own.push = function (x) { return Array.prototype.push.call(this, x * 100); };
out.push(pushAll(own, 3), own.join(","));
const frozen = Object.freeze([1, 2]);
try { pushAll(frozen, 2); } catch (e) { out.push(e.constructor.name + " " + frozen.length); }
try { pushAll(new Float64Array(4), 2); } catch (e) { out.push(e.constructor.name + " " + e.message); }
function pushValue(a, v) { return a.push(v); }
for (let r = 0; r < 200; r++) pushValue([1, 2], r);
const mixed = [1, 2];
pushValue(mixed, 3); pushValue(mixed, "four"); pushValue(mixed, true);
out.push(mixed.join(","), typeof mixed[3]);
const saved = Array.prototype.push;
Array.prototype.push = function (x) { return saved.call(this, x, x); };
const dup = [];
out.push(pushAll(dup, 3), dup.join(","));
Array.prototype.push = saved;
const after = [];
out.push(pushAll(after, 5), after.join(","));
// array literals of numbers or booleans are made by compiled code (and pushed onto)
function pair(x, y) { return [x, y * 2, -0, x / y]; }
function bits(x) { return [x > 0, x > 1, x > 2]; }
function collect(n) { const r = []; for (let i = 0; i < n; i++) if (i % 3 === 0) r.push(i); return r; }
function many(n) { let s = 0; for (let i = 0; i < n; i++) { const t = [i, i + 1, i + 2]; s += t[0] + t[2] + t.length; } return s; }
for (let r = 0; r < 200; r++) { pair(r, 3); bits(r); collect(10); many(5); }
const pr = pair(1, 0);
out.push(pr.join(","), Object.is(pr[2], -0), bits(2).join(","), collect(100).length, collect(20).join(","), many(300000));
console.log(out.join("\n"));
