// Reflect over the object operations; structuredClone's deep copy (cycles, Maps, Dates, holes) and its refusals
class P { constructor(x) { this.x = x; } get dbl() { return this.x * 2; } }
const p = new P(2);
console.log(Reflect.ownKeys({ a: 1, [Symbol("s")]: 2, b: 3 }), Reflect.has(p, "dbl"), Reflect.get(p, "dbl"), Reflect.set(p, "x", 5), p.x);
console.log(Reflect.getPrototypeOf(p) === P.prototype, Reflect.apply(Math.max, null, [1, 5, 2]), Reflect.construct(P, [7]).x);
console.log(Reflect.defineProperty(p, "y", { value: 1 }), Reflect.set(Object.freeze({ a: 1 }), "a", 2), Reflect.deleteProperty(p, "x"), p);
console.log(Reflect.ownKeys([1, 2]), Reflect.isExtensible(Object.seal({})), String(Reflect), typeof Reflect);
try { Reflect.ownKeys(1); } catch (e) { console.log(e.message); }
const orig = { n: 1, arr: [1, { d: new Date(0) }], m: new Map([["k", new Set([1, 2])]]), re: /a+/gi, nested: { deep: { x: [1, , 3] } } };
orig.self = orig;
const c = structuredClone(orig);
console.log(c, c !== orig, c.self === c, c.arr[1] !== orig.arr[1], c.m.get("k").has(2), c.arr[1].d instanceof Date);
console.log(structuredClone(new P(3)), structuredClone([new Uint8Array([1, 2])]), structuredClone(new TypeError("bad")).message);
try { structuredClone({ f() {} }); } catch (e) { console.log(e.name, e.message); }
try { structuredClone(Symbol("q")); } catch (e) { console.log(e.name, e.message); }
