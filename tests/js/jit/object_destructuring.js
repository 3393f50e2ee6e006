// Object destructuring in compiled code: const {x, y} = p, defaults,
// renaming, parameters; null or undefined throws the interpreter's
// TypeError.  Defaults and assignment patterns stay interpreted.
class P { constructor(x, y) { this.x = x; this.y = y; this.tag = "p" + x; } }
function norm(ps) {
  let s = 0;
  for (let i = 0; i < ps.length; i++) {
    const { x, y } = ps[i];
    const { tag: t } = ps[i];
    s += x * x + y * y + t.length;
  }
  return s;
}
function assign(ps) {
  let x = 0, y = 0, s = 0;
  for (let i = 0; i < ps.length; i++) { ({ x, y } = ps[i]); s += x - y; }
  return s;
}
function withDefault(ps) {
  // a default (undefined tested): stays interpreted
  let s = 0;
  for (let i = 0; i < ps.length; i++) { const { x, z = 7 } = ps[i]; s += x + z; }
  return s;
}
function param({ x, y }) { return x * 2 + y; }
function viaParam(ps) { let s = 0; for (let i = 0; i < ps.length; i++) s += param(ps[i]); return s; }
function maybe(ps, k) {
  let s = 0;
  for (let i = 0; i < ps.length; i++) { const { x } = i === k ? null : ps[i]; s += x; }
  return s;
}
const ps = [];
for (let i = 0; i < 50; i++) ps.push(new P(i, i * 0.5));
let a = 0;
for (let r = 0; r < 20; r++) a += norm(ps) + assign(ps) + withDefault(ps) + viaParam(ps) + maybe(ps, -1);
console.log(a);
try { maybe(ps, 3); } catch (e) { console.log(e.name); }
// array patterns from an array literal: the literal read by index
function swaps(n) {
  let a = 1, b = 2, s = 0;
  for (let i = 0; i < n; i++) {
    const [c, d] = [b, (a + b) % 1000];
    a = c; b = d;
    const [p, q] = [i, i * 2];
    const [, r] = [q, p + 1];
    s += p + q + r + (a % 7);
  }
  return s;
}
function short(n) {
  // one value too few: undefined (a literal under ?: stays interpreted)
  let s = 0;
  for (let i = 0; i < n; i++) { const [x, y] = i === n - 1 ? [i] : [i, 1]; s += x + (y === undefined ? 100 : y); }
  return s;
}
let w = 0;
for (let r = 0; r < 20; r++) w += swaps(40) + short(10);
console.log(w);
