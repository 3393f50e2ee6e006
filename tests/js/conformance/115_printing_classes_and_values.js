// How node prints classes, instances, nested and long values; Symbol.keyFor; symbol-keyed method names (written here).
class Animal { static count = 0; #secret = 1; constructor(name) { this.name = name; Animal.count++; } get upper() { return this.name.toUpperCase(); } speak() { return `${this.name} makes a sound`; } toString() { return `Animal(${this.name})`; } }
class Dog extends Animal { constructor(name) { super(name); this.tricks = []; } speak() { return super.speak() + " (woof)"; } }
const d = new Dog("rex");
console.log(d, [d], { d }, `${d}`, d + "", String(d), d.speak(), d.upper, Animal.count, Dog.count);
console.log(Object.keys(d), JSON.stringify(d), d instanceof Animal, Object.getPrototypeOf(d) === Dog.prototype, Dog.name, Dog.length, typeof Dog);
console.log(Animal, Dog, Object.getOwnPropertyNames(Animal.prototype), d.constructor.name);
const o = { a: 1, get b() { return 2; }, set c(v) {}, [Symbol.iterator]: function* () { yield 1; }, method() {}, arrow: () => {}, nested: { deep: { deeper: { deepest: 1 } } } };
console.log(o);
const m = new Map([["x", { y: [1, 2, { z: 3 }] }], [{ k: 1 }, "obj key"]]);
console.log(m, [...m.keys()], new Set(["a", { b: 1 }, [1, 2]]));
console.log([1, [2, [3, [4, [5, [6]]]]]], { l1: { l2: { l3: { l4: {} } } } });
const big = {}; for (let i = 0; i < 30; i++) big["key" + i] = i; console.log(big);
console.log(Array.from({ length: 101 }, (_, i) => i));
console.log(["aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccccc", "dddddddddddddddd", "eeeeeeeeeeeeee", "ffffffffffff", "gggggggg"]);
console.log([1.1, 2.22, 3.333, 4.4444, 5.55555, 6.666666, 7.7777777, 8.88888888, 9.999999999, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
console.log({ s: "x".repeat(100) }, ["y".repeat(80)]);
console.log(new Error("boom").message, Object.prototype.toString.call(new Error("x")), { err: "fake" });
console.log([null, undefined, NaN, -0, 0, Infinity, -Infinity, 1e100, 2 ** 31, -(2 ** 31)]);
console.log(Symbol.for("reg"), Symbol.keyFor(Symbol.for("reg")), [Symbol.asyncIterator]);
