// o?.p of a variable in compiled code: p's load where o is an object; where
// o is null or undefined, `o?.p ?? d` gives d, an object-valued p gives
// undefined (a reference), and a number-valued p alone leaves compiled code
// for the interpreter's undefined.  Longer chains stay interpreted.
function get(o) { return o?.x ?? 0; }
function sumX(list, n) { let t = 0; for (let i = 0; i < n; i++) t += get(list[i % list.length]); return t; }
console.log(sumX([{ x: 1 }, null, { x: 3 }, undefined, { x: 0.5 }], 30000));
function names(list, n) { let s = ""; for (let i = 0; i < n; i++) { const o = list[i % list.length]; s = (o?.name ?? "?") + s.slice(0, 5); } return s; }
console.log(names([{ name: "a" }, null, { name: "" }], 30000));
function inner(list, n) {
  let t = 0;
  for (let i = 0; i < n; i++) {
    const o = list[i % list.length];
    const c = o?.child;
    t += c === undefined ? 100 : c === null ? 10 : c.v;
  }
  return t;
}
const leaf = { v: 7 };
console.log(inner([{ child: leaf }, null, { child: null }, { child: leaf }], 30000));
function alone(list, n) { let t = 0; for (let i = 0; i < n; i++) { const o = list[i % list.length]; const v = o?.x; t += v === undefined ? -1 : v; } return t; }
function element(list, n) { let t = 0; for (let i = 0; i < n; i++) t += list[i % list.length]?.x ?? 1; return t; }
console.log(alone([{ x: 2 }, { x: 3 }], 30000), alone([{ x: 2 }, null], 3000), element([{ x: 2 }, null], 3000));
function chains(list, n) { let t = 0; for (let i = 0; i < n; i++) { const o = list[i % list.length]; t += o?.child.v ?? 5; } return t; }
console.log(chains([{ child: leaf }, null], 30000));
class P { constructor(k) { this.k = k; } get twice() { return this.k * 2; } }
function viaGetter(list, n) { let t = 0; for (let i = 0; i < n; i++) { const o = list[i % list.length]; t += o?.twice ?? -100; } return t; }
console.log(viaGetter([new P(1), null, new P(4)], 30000));
