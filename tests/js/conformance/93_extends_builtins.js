// Classes extending the built-in Array, Map and Set: exotic instances with the
// subclass's prototype, species, statics, super calls, node's console.log format.
class Stack extends Array {
  peek() { return this[this.length - 1]; }
  get top() { return this.peek(); }
  push(...xs) { return super.push(...xs.map((x) => x * 10)); }
  static make(n) { const s = new this(); for (let i = 0; i < n; i++) s.push(i); return s; }
}
const s = new Stack();
console.log(s, s.length, Array.isArray(s));
s.push(1, 2, 3);
console.log(s, s.length, s.peek(), s.top, s[0]);
console.log(s instanceof Stack, s instanceof Array, s instanceof Object, s.constructor === Stack);
console.log(Object.getPrototypeOf(s) === Stack.prototype, typeof s);
const m = s.map((x) => x + 1);
console.log(m, m instanceof Stack, m.peek());
const f = s.filter((x) => x > 10);
console.log(f, f instanceof Stack);
console.log(s.slice(1), s.concat([7, 8]), s.concat(s).length);
console.log(s.flat(), s.flatMap((x) => [x, x]));
const sp = Stack.make(4);
console.log(sp, sp.splice(1, 2), sp);
console.log(Stack.from([1, 2]), Stack.of(5, 6, 7), Stack.isArray(sp));
console.log(s.join("-"), s.indexOf(20), s.includes(30), s.reduce((a, b) => a + b, 0), String(s), `${s}`);
console.log([...s], JSON.stringify(s), Object.keys(s));
s.tag = "x";
console.log(s);
class Pair extends Array {
  constructor(a, b) { super(); this.push(a, b); this.kind = "pair"; }
  sum() { return this[0] + this[1]; }
}
const p = new Pair(3, 4);
console.log(p, p.sum(), p.length);
class Nums extends Array { total = 0; }
const n = new Nums(1, 2, 3);
console.log(n, n.length, new Nums(3), new Nums(3).length);
class Sorted extends Stack { sorted() { return this.slice().sort((a, b) => a - b); } }
const so = Sorted.from([3, 1, 2]);
console.log(so, so.sorted(), so.sorted() instanceof Sorted, so instanceof Stack, so.peek());
for (const x of so) console.log(x);
const big = Stack.from(Array.from({ length: 30 }, (_, i) => i));
console.log(big);

class DefaultMap extends Map {
  constructor(def, entries) { super(entries); this.def = def; }
  get(k) { return this.has(k) ? super.get(k) : this.def; }
}
const dm = new DefaultMap(0, [["a", 1]]);
dm.set("b", 2);
console.log(dm, dm.get("a"), dm.get("zz"), dm.size, dm instanceof Map, dm instanceof DefaultMap);
console.log(new DefaultMap(5), [...dm.keys()], [...dm], dm.constructor.name);
class M extends Map {}
console.log(new M([[1, "a"]]), new M(), new M() instanceof M);
class CountingMap extends Map {
  set(k, v) { console.log("set", k, v); return super.set(k, v); }
}
const cm = new CountingMap([[1, 2], [3, 4]]);
console.log(cm);
class S extends Set {
  addAll(...xs) { for (const x of xs) this.add(x); return this; }
  get first() { return this.values().next().value; }
}
const st = new S([1, 2]);
console.log(st, st.size, st.has(2), st.first, st instanceof Set, st instanceof S);
st.addAll(3, 4, 1);
console.log(st, new S(), [...st]);
st.label = "L";
console.log(st);
dm.extra = true;
console.log(dm);
class S2 extends S { static of(...xs) { return new this(xs); } }
const s2 = S2.of(9, 8);
console.log(s2, s2.first, s2 instanceof S, s2.addAll(7));
console.log({ stack: s, map: new M([["k", new S([1])]]) });
console.log(Object.prototype.toString.call(s), Object.prototype.toString.call(dm));
let count = 0;
s.forEach((x) => (count += x));
console.log(count, s.some((x) => x > 20), s.every((x) => x > 0), s.find((x) => x > 10));
class Vec extends Array {
  sum() { let t = 0; for (let i = 0; i < this.length; i++) t += this[i]; return t; }
}
function total(a) { let t = 0; for (let i = 0; i < a.length; i++) t = t + a[i]; return t; }
const v = Vec.from([1.5, 2, 3]);
let acc = 0;
for (let k = 0; k < 50; k++) acc += total(v) + v.sum();
console.log(acc, total(v), v.sum());
for (let i = 0; i < 5; i++) v[i] = i * 2;
console.log(v, v.length);
v.length = 2;
console.log(v, v.reverse(), v.sort(), v.pop(), v);
console.log(v.map(String), v.map(String) instanceof Vec);
try { new Vec(-1); } catch (e) { console.log(e.constructor.name, e.message); }
class Logged extends Array {
  constructor(...a) { super(...a); this.made = true; }
}
const lg = Logged.of(1, 2, 3);
console.log(lg, lg.slice(0, 1), lg.filter(() => false));
console.log([new Vec(), new Vec(1, 2)], { deep: { deeper: { v: Vec.of(1) } } });
class Tags extends Set {
  toString() { return [...this].join("+"); }
}
console.log(`${new Tags(["a", "b"])}`, String(new Tags([1])), new Tags("abca"));
class Grid extends Array {
  toString() { return "grid:" + this.join("|"); }
}
console.log(`${Grid.of(1, 2)}`, "" + Grid.of(3), [Grid.of(4)].join());
class Registry extends Map {
  register(k, v) { return this.set(k, v); }
  get count() { return this.size; }
  static create() { return new this([["x", 1]]); }
}
const reg = Registry.create().register("y", 2);
console.log(reg, reg.count, reg instanceof Registry, Object.getPrototypeOf(reg) === Registry.prototype);
reg.forEach((v, k) => console.log(k, v));
console.log(Array.from(reg), Array.from(reg.values()), reg.delete("x"), reg.size);
console.log(Object.getPrototypeOf(Registry) === Map, Object.getPrototypeOf(Vec) === Array, Vec.name, Registry.name);
console.log("x" in reg, "count" in reg, "sum" in v, "length" in v);
class E2 extends Array {}
const e = new E2();
e.push("a");
console.log(e, e.length, e.at(-1), e.entries().next());
