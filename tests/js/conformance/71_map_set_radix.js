const m = new Map();
m.set("a", 1).set("b", 2);
m.set(NaN, "nan"); m.set(0, "zero");
console.log(m.get("a"), m.get(NaN), m.get(-0), m.has("b"), m.has("z"), m.size);
console.log(m);
m.delete("a");
console.log(m.size, m.keys(), m.values(), m.entries().length === undefined);
for (const e of m) console.log(e[0], e[1]);
m.forEach((v, k) => console.log("each", k, v));
const key = { id: 1 };
const m2 = new Map([[key, "obj"], ["x", [1, 2]]]);
console.log(m2.get(key), m2.get({ id: 1 }), m2);
const s = new Set([3, 1, 3, 2, 1]);
s.add(4).add(1);
console.log(s.size, s.has(2), s.has(9), s);
for (const v of s) console.log("v", v);
s.forEach(v => console.log("sv", v));
console.log(Array.from(s), Array.from("abc"), Array.from({ length: 3 }, (x, i) => i * i), Array.from(m2.keys()).length);
console.log(new Set(), new Map(), String(new Map()));
console.log((255).toString(16), (255).toString(2), (-10).toString(36), (0.5).toString(2), (3.75).toString(8), (1e21).toString(16) === undefined);
let counts = new Map();
for (const w of "the cat the hat the end".split(" ")) counts.set(w, (counts.get(w) || 0) + 1);
console.log(counts);
try { Map(); } catch (e) { console.log(e.name, e.message); }
try { (1).toString(1); } catch (e) { console.log(e.name, e.message); }
const it = m.keys();
console.log(it, it.next(), it.next().value);
console.log(it);
console.log(new Set(["x"]).entries(), new Map([[1, 2]]).entries());
