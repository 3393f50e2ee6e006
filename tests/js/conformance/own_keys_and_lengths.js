// Function lengths with defaults and rest, own-key order (integer keys first) in every own-key list, 'in' with Symbol.iterator, Object.getOwnPropertySymbols.
function f(a, b = 1, c) {}
function g(a, ...r) {}
const h = (x, {y} = {}, z) => 0;
console.log(f.length, g.length, h.length, ((a, b) => 0).length, (function (...xs) {}).length);
console.log(Reflect.ownKeys({ 1: 1, b: 2, 0: 3, [Symbol.iterator]: 4 }).map(String), Object.getOwnPropertyNames({ z: 1, 10: 2, 2: 3 }));
console.log(Symbol.iterator in [], Symbol.iterator in new Map(), "length" in [], 0 in [5]);
const s = Symbol("s");
console.log(Object.getOwnPropertySymbols({ a: 1, [s]: 2 }).length, Object.getOwnPropertySymbols({ a: 1 }).length);
class K { constructor() { this.a = 1; this[s] = 2; } }
console.log(Reflect.ownKeys(new K()).map(String));
