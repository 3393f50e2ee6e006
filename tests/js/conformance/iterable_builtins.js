// every built-in iterable answers [Symbol.iterator]: typed arrays (with
// values/keys/entries), arguments, generators, and the iterators themselves
const show = (x) => typeof x;
function f() { return arguments; }
function* g() { yield 1; }
const ta = new Uint8Array([1, 2, 3]);
console.log(show(ta[Symbol.iterator]), show(f(1)[Symbol.iterator]), show(g()[Symbol.iterator]), show(new Map().keys()[Symbol.iterator]));
console.log([...ta[Symbol.iterator]()], [...ta.values()], [...f(4, 5)[Symbol.iterator]()], ta[Symbol.iterator] === ta.values);
console.log([...ta.keys()], [...ta.entries()], typeof ta.entries);
const it = g();
console.log(it[Symbol.iterator]() === it);
const ai = [1, 2][Symbol.iterator]();
ai.next();
console.log([...ai]);
class Wrap { constructor(t) { this.t = t; } [Symbol.iterator]() { return this.t[Symbol.iterator](); } }
console.log([...new Wrap(new Float64Array([0.5, 1.5]))], [...new Wrap("ab")], [...new Wrap(new Set([3]))]);
