const [a, b = 5, ...rest] = [1, undefined, 3, 4];
const { x, y: { z = 9 } = {}, ...others } = { x: 1, y: { z: undefined }, p: 2, q: 3 };
console.log(a, b, rest, x, z, others);
let m = 1, n = 2; [m, n] = [n, m]; console.log(m, n);
const map = new Map([["k1", 1], ["k2", 2]]);
for (const [k, v] of map) console.log(k, v);
for (const { id, tags: [first] } of [{ id: 1, tags: ["a", "b"] }, { id: 2, tags: [] }]) console.log(id, first);
function f({ name, age = 30 }, [h, ...t] = [0]) { return `${name}/${age}/${h}/${t}`; }
console.log(f({ name: "ann" }), f({ name: "bob", age: 5 }, [1, 2, 3]));
const g = ({ a: aa }, ...more) => aa + more.length; console.log(g({ a: 10 }, 1, 2));
const [c1, , c3] = "xyz"; console.log(c1, c3);
const [s1, s2] = new Set([7, 8]); console.log(s1, s2);
let o = {}; ({ a: o.p, b: o.q } = { a: 1, b: 2 }); console.log(o);
for (const [i, ch] of [..."ab"].entries ? Array.from("ab").map((c, i) => [i, c]) : []) console.log(i, ch);
try { const { q } = null; } catch (e) { console.log(e.name); }
try { const [q] = undefined; } catch (e) { console.log(e.name); }
const entries = Object.entries({ u: 1, w: 2 }).map(([key, val]) => key + val); console.log(entries);
var [va, vb] = [1, 2]; console.log(va + vb);
