#!/usr/bin/env node
// Proxy: get/set/has/deleteProperty/ownKeys/apply/construct traps, printing as the target; setImmediate; hashbang; identifiers with combining marks; compound assignment to a captured variable; fromEntries of array-likes
const p = new Proxy({}, { get: (t, k) => k in t ? t[k] : `missing ${String(k)}` });
console.log(p.foo); p.bar = 1; console.log(p.bar, "bar" in p);
const validator = { set(obj, prop, value) { if (prop === "age" && !Number.isInteger(value)) throw new TypeError("The age is not an integer"); obj[prop] = value; return true; } };
const person = new Proxy({}, validator); person.age = 100; console.log(person.age);
try { person.age = "young"; } catch (e) { console.log(e.message); }
const log = []; const traced = new Proxy({ a: 1, b: 2 }, { get(t, k, r) { log.push(String(k)); return Reflect.get(t, k, r); }, has(t, k) { return k.startsWith("a"); }, deleteProperty(t, k) { log.push("del " + k); delete t[k]; return true; }, ownKeys(t) { return ["b", "a"]; } });
console.log(traced.a + traced.b, "a" in traced, "b" in traced, delete traced.a, Object.keys(traced), log);
const neg = new Proxy([10, 20, 30], { get(t, k) { const i = Number(k); return Number.isInteger(i) && i < 0 ? t[t.length + i] : t[k]; } });
console.log(neg[-1], neg[0], neg.length);
const fp = new Proxy(function (a, b) { return a + b; }, { apply(t, self, args) { return t(...args) * 10; } });
console.log(fp(1, 2), typeof fp, typeof p);
class Point { constructor(x) { this.x = x; } }
const CP = new Proxy(Point, { construct(t, args) { return new t(args[0] * 2); } });
console.log(new CP(4).x, new CP(1) instanceof Point);
try { Proxy({}, {}); } catch (e) { console.log(e.message); }
try { new Proxy(1, {}); } catch (e) { console.log(e.message); }
const plain = new Proxy({ k: 1, nested: { z: [1, 2] } }, {}); console.log(plain, JSON.stringify(plain), Object.keys(plain));
for (const k in traced) console.log("for-in", k);
function f() { let s = ""; for (let i = 0; i < 5; i++) s += i; const g = () => s; s += "!"; return g(); }
console.log(f());
function h() { let s = "x"; const g = () => s; for (let i = 0; i < 300; i++) s += "ab"; return g().length; }
console.log(h());
function k() { let n = 1; n += 2; n -= 1; n *= 5; const g = () => n; return g(); }
console.log(k());
setImmediate((a, b) => console.log("immediate", a + b), 1, 2);
var é = 1; var जा = 2; console.log(é + जा);
console.log(JSON.stringify(Object.fromEntries([{ 0: "a", 1: 1 }])));
