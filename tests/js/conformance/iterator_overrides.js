// [Symbol.iterator] of arrays, strings, Maps, Sets and iterators: readable,
// callable, delegated to, and replaced (on the prototype or the object)
const show = (x) => typeof x;
console.log(show([][Symbol.iterator]), show("ab"[Symbol.iterator]), show(new Set()[Symbol.iterator]), show(new Map()[Symbol.iterator]));
console.log([][Symbol.iterator] === [].values, Array.prototype[Symbol.iterator] === Array.prototype.values);
class Bag { constructor() { this.items = [3, 4, 5]; } [Symbol.iterator]() { return this.items[Symbol.iterator](); } }
console.log([...new Bag()], Array.from(new Bag()));
for (const x of new Bag()) console.log(x);
const it = [10, 20].values();
console.log(it.next(), it.next(), it.next(), typeof it[Symbol.iterator], [...[1, 2].entries()]);
const m = new Map([[1, "a"]]);
console.log([...m[Symbol.iterator]()], [...new Set([5, 6])[Symbol.iterator]()], [..."h\u00e9"[Symbol.iterator]()]);
const b = [1, 2, 3];
b[Symbol.iterator] = function* () { yield "own"; };
const [first] = b;
console.log([...b], first, Array.from(b), b.at(-1), b.values().next().value, b.length);
const orig = Array.prototype[Symbol.iterator];
Array.prototype[Symbol.iterator] = function* () { yield "proto"; };
console.log([...[9, 8]], new Set([9, 8]).size, Math.max(...[4, 5]), [7, 6].includes(6));
function args() { return [...arguments]; }
console.log(args(1, 2));
Array.prototype[Symbol.iterator] = orig;
const s = new Set([1, 2]);
Set.prototype[Symbol.iterator] = function* () { yield "set"; };
console.log([...s], [...new Map([[1, 2]])]);
String.prototype[Symbol.iterator] = function* () { yield "str"; };
console.log([..."abc"]);
for (const c of "xy") console.log(c);
class Stack extends Array { *[Symbol.iterator]() { yield -1; } }
const st = new Stack(); st.push(1, 2);
console.log([...st], st.length);
