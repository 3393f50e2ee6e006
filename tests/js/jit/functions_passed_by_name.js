// A function a global holds, passed by name to a function that calls it
// (`twice(inc, i)`), is compiled in place at each call of the parameter, as
// an arrow written at the call is.  The global is checked to hold it still at
// every entry; what cannot be compiled so stays interpreted, with node's output.
function twice(f, x) { return f(f(x)); }
function inc(x) { return x + 1; }
function dbl(x) { return x * 2; }
const square = (x) => x * x;
function applyN(f, x, n) { let r = x; for (let k = 0; k < n; k++) r = f(r); return r; }
function passOn(f, x) { return twice(f, x) + 1; }
function run(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += twice(inc, i) + twice(dbl, i & 7) + twice(square, i & 3) + passOn(inc, i & 15);
  return s;
}
console.log(run(30000));
function runN(n) { let s = 0; for (let i = 0; i < n; i++) s += applyN(inc, i, 3) + applyN(dbl, 1, i & 7); return s; }
console.log(runN(30000));
// a closure a global holds: its own environment
function makeAdder(k) { return (x) => x + k; }
const add5 = makeAdder(5);
function runAdder(n) { let s = 0; for (let i = 0; i < n; i++) s += twice(add5, i); return s; }
console.log(runAdder(30000));
// a recursive function passed by name: its own calls are direct calls
function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }
function runFact(n) { let s = 0; for (let i = 0; i < n; i++) s += twice(fact, i % 3); return s; }
console.log(runFact(30000));
// a method given a function by name
class Box {
  constructor(v) { this.v = v; }
  map(f) { return f(this.v); }
}
function runBox(n) { const b = new Box(3); let s = 0; for (let i = 0; i < n; i++) { b.v = i; s += b.map(dbl) + b.map(square); } return s; }
console.log(runBox(30000));
// the global changed between entries: the next entry sees the new function
let op = inc;
function runOp(n) { let s = 0; for (let i = 0; i < n; i++) s += twice(op, i); return s; }
console.log(runOp(20000));
op = dbl;
console.log(runOp(20000));
op = square;
console.log(runOp(20000));
// changed while the loop runs, by a function it calls (interpreted: it stores a function)
let flip = 0;
function swap() { op = op === inc ? dbl : inc; flip++; }
function runSwap(n) { let s = 0; for (let i = 0; i < n; i++) { if (i % 5000 === 4999) swap(); s += twice(op, i); } return s; }
console.log(runSwap(20000), flip);
// what stays interpreted: an arrow naming this or arguments, a function using this,
// a class, a function value chosen at run time
const selfish = () => typeof this;
function usesThis(x) { return this === undefined ? x : -x; }
class K { constructor(x) { this.x = x; } }
function safe(f, x) { try { return f(x); } catch (e) { return e.constructor.name; } }
function runOdd(n) {
  let s = "";
  for (let i = 0; i < n; i++) s = twice(selfish, i) + " " + twice(usesThis, i) + " " + safe(K, i) + " " + twice(i % 2 ? inc : dbl, i);
  return s;
}
console.log(runOdd(20000));
// fewer arguments than the function takes: the missing one is undefined
function addMaybe(a, b) { return b === undefined ? a : a + b; }
function one(f, x) { return f(x); }
function runFewer(n) { let s = 0; for (let i = 0; i < n; i++) s += one(addMaybe, i); return s; }
console.log(runFewer(20000));
// a throw from the function passed: caught by the caller, as node does
function checked(x) { if (x === 7777) throw new RangeError("bad " + x); return x; }
function runThrow(n) { let s = 0; try { for (let i = 0; i < n; i++) s += twice(checked, i); } catch (e) { return e.message + " " + s; } return s; }
console.log(runThrow(20000));
