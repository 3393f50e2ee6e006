// Subclasses of Date and Promise, Object.prototype.toString's tags, and how
// node prints each (written here; compared with node's output).
class D extends Date {
  constructor(...a) { super(...a); this.label = "d"; }
  year() { return this.getUTCFullYear(); }
  toString() { return "D(" + this.toISOString() + ")"; }
}
const d = new D(86400000 * 365);
console.log(d instanceof D, d instanceof Date, d.year(), d.getTime(), d.label);
console.log(String(d), `${d}`, d + "");
console.log(d);
console.log(JSON.stringify({ d }));
class E extends Date {}
const e = new E(2020, 0, 15, 10, 30);
console.log(e.getFullYear(), e.getMonth(), e.getDate(), e.getHours(), e.getMinutes());
console.log(new E(0).valueOf(), +new E(5), new E(0) - new E(1000));
console.log(Object.prototype.toString.call(new E(0)), typeof new E(0));
console.log(new E("x").getTime(), isNaN(new E("x")));
console.log([new E(0)]);
const x = new Date(0); x.note = 1; console.log(x, [x]);
console.log(new E(NaN));
class P2 extends Promise {}
console.log(P2.resolve(7), [P2.reject(3).catch(() => 0)]);

const ts = (x) => Object.prototype.toString.call(x);
function* g() {}
console.log(ts(new Date(0)), ts(/a/g), ts(new Uint8Array(2)), ts(new Float64Array(1)), ts(new ArrayBuffer(2)));
console.log(ts(Promise.resolve(1)), ts(g()), ts(Symbol("s")), ts(new String("a")), ts(new Number(1)), ts(new Boolean(true)));
console.log(ts(Math), ts(JSON), ts(null), ts(undefined), ts(1), ts("s"), ts(true), ts(1n), ts([]), ts({}), ts(() => 1), ts(new Map()), ts(new Set()));
console.log(ts(new Error("x")), ts(new TypeError("x")), ts(new Map().keys()), ts([].values()), ts(async () => 1));
console.log(String(new Date(NaN)), `${{}}`, String([1, [2]]));

class T { get [Symbol.toStringTag]() { return "Tee" } }; console.log(new T()); const o = {[Symbol.toStringTag]: "X", a: 1}; console.log(o); class U { constructor(){ this.z = 1 } }; U.prototype[Symbol.toStringTag] = "UU"; console.log(new U(), [new U()]); console.log(JSON, Math, Object.keys(Math).length, Object.keys(JSON));
for (const k in Math) console.log(k);
console.log(Math.PI, Math.max(3, 4), JSON.stringify([1]));
console.log(Promise.resolve(3), { p: Promise.resolve(4) });

{
const T = {Object, Array, Map, Set, Promise, Error, TypeError, RangeError, Date, Symbol, BigInt};
const names = ["Object", "Array", "Map", "Set", "Promise", "Error", "TypeError", "RangeError", "Date", "Symbol", "BigInt"];
for (const n of names) {
  const G = T[n];
  if (G === undefined) { console.log(n, "missing"); continue; }
  try {
    const C = class extends G {};
    try { const o = new C(); console.log(n, "ok", o instanceof C); } catch (e) { console.log(n, "new:", e.constructor.name, e.message); }
  } catch (e) { console.log(n, "class:", e.constructor.name, e.message); }
}
}
