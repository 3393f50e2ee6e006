class Range {
  constructor(a, b) { this.a = a; this.b = b; }
  [Symbol.iterator]() { let i = this.a, b = this.b; return { next: () => (i < b ? { value: i++, done: false } : { value: undefined, done: true }) }; }
}
console.log([...new Range(1, 4)], Array.from(new Range(0, 3), (x) => x * x));
for (const x of new Range(5, 7)) console.log(x);
class Bag { constructor() { this.items = [3, 1, 2]; } *[Symbol.iterator]() { yield* this.items.sort(); } }
console.log([...new Bag()], Math.max(...new Bag()));
const s1 = Symbol("tag"), s2 = Symbol("tag");
const o = { [s1]: 1, plain: 2 };
console.log(s1 === s2, typeof s1, s1.toString(), s1.description, o[s1], Object.keys(o), o, Symbol.for("k") === Symbol.for("k"));
const inf = { *[Symbol.iterator]() { let n = 0; while (true) yield n++; } };
for (const n of inf) { if (n === 2) break; console.log("inf", n); }
const [first, second] = new Range(10, 20); console.log(first, second);
const m = new Map(new Range(0, 2).constructor === Range ? [[1, "a"]] : []); console.log(m);
