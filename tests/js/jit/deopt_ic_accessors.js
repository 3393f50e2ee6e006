// Getters and setters, own or inherited, are not slots: the handler refuses
// them and the interpreter calls them -- each exactly once.
let calls = 0;
function readX(o) { return o.x * 2; }
function writeX(o, v) { o.x = v; return v; }
const plain = {x: 1};
for (let i = 0; i < 2000; i++) readX(plain);
const own = {get x() { calls++; return 21; }};
console.log(readX(own), calls);
class P { get x() { calls++; return 5; } set x(v) { calls += 100; } }
const p = new P();
console.log(readX(p), calls);
for (let i = 0; i < 2000; i++) writeX(plain, i);
console.log(writeX(p, 3), calls, plain.x);
const withSetter = {_x: 0, set x(v) { this._x = v * 10; }, get x() { return this._x; }};
console.log(writeX(withSetter, 4), withSetter._x, readX(withSetter));
