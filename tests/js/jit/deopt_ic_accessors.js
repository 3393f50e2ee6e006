// Getters and setters, own or inherited, are not slots: the handler refuses
// them and the interpreter calls them -- each exactly once.  (Every probe
// runs inside a loop, compiled with the leaf in it: a loopless leaf taking
// objects is not entered from the interpreter by itself.)
let calls = 0;
function readX(o) { return o.x * 2; }
function writeX(o, v) { o.x = v; return v; }
function readXs(o, n) { let r = 0; for (let i = 0; i < n; i++) r = readX(o); return r; }
function writeXs(o, v, n) { let r = 0; for (let i = 0; i < n; i++) r = writeX(o, v + i); return r; }
const plain = {x: 1};
readXs(plain, 3000);
const own = {get x() { calls++; return 21; }};
console.log(readXs(own, 1), calls);
class P { get x() { calls++; return 5; } set x(v) { calls += 100; } }
const p = new P();
console.log(readXs(p, 1), calls);
writeXs(plain, 0, 3000);
console.log(writeXs(p, 3, 1), calls, plain.x);
const withSetter = {_x: 0, set x(v) { this._x = v * 10; }, get x() { return this._x; }};
console.log(writeXs(withSetter, 4, 1), withSetter._x, readXs(withSetter, 1));
