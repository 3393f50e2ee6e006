// A Float64Array held in an object's property is reached by compiled code as
// a packed array of numbers over its own memory (a slot of the "arr" kind,
// as a plain packed array's): loops over this.data compile, a slot may
// trade one for a plain array and back, and one stored into a slot -- or
// into a new object built in place -- is the same view to the interpreter.
// Output: node's.
class Vec {
  constructor(n) { this.data = new Float64Array(n); this.n = n; }
  fill(k) { for (let i = 0; i < this.n; i++) this.data[i] = i * k; return this; }
  sum() { let s = 0; for (let i = 0; i < this.data.length; i++) s += this.data[i]; return s; }
  scale(k) { const d = this.data; for (let i = 0; i < d.length; i++) d[i] *= k; return this.sum(); }
}
function swapData(a, b) { const t = a.data; a.data = b.data; b.data = t; return a.data.length; }
const out = [];
const v = new Vec(1000), w = new Vec(10);
let s = 0;
for (let r = 0; r < 300; r++) { v.fill(r % 7); s += v.sum() + v.scale(0.5); w.fill(1); }
out.push(s, v.sum(), w.sum());
for (let r = 0; r < 300; r++) swapData(v, w);
out.push(swapData(v, w), v.data.length, w.data.length, v.data instanceof Float64Array, v.sum(), w.sum());
v.data = [1, 2, 3];                      // a plain packed array in the same slot
out.push(v.sum(), v.scale(2), v.data.join(","));
v.data = new Float64Array([0.5, 0.25]);
out.push(v.sum(), v.scale(4), Array.from(v.data).join(","));
class Holder { constructor(d) { this.d = d; this.k = 2; } }
function wrap(d) { return new Holder(d); }
function total(h) { let s = 0; for (let i = 0; i < h.d.length; i++) s += h.d[i] * h.k; return s; }
const f = new Float64Array([1, 2, 3.5]);
let hs = 0;
for (let r = 0; r < 300; r++) hs += total(wrap(f));
const h = wrap(f);
h.d[0] = 100;
out.push(hs, total(h), h.d === f, f[0]);
console.log(out.join("\n"));
