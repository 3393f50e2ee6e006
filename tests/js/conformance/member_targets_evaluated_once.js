// A member that is read and then written (o[k] op= v, o[k]++, o[k] ??= v)
// evaluates its object and key once; a plain store evaluates them before
// its right-hand side.  (node converts an object key at each access.)
let calls = 0;
const a = [10, 20, 30, 40];
let i = 0;
a[i++] += 1; console.log(a, i);
a[i++]++; console.log(a, i);
++a[i++]; console.log(a, i);
a[i--] -= 5; console.log(a, i);
a[i] = (i = 0); console.log(a, i);
const o = { x: 1, p: 1 };
function key() { calls++; return "x"; }
function obj() { calls++; return o; }
o[key()] += 5; console.log(o, calls);
o[key()]++; console.log(o, calls);
obj().x *= 2; console.log(o, calls);
obj().x--; console.log(o, calls);
obj()[key()] **= 2; console.log(o, calls);
let n = 0;
const k = { toString() { n++; return "p"; } };
o[k] += 1; console.log(o.p, n);
o[k]++; console.log(o.p, n);
o[k] ||= 5; console.log(o.p, n);
o[k] &&= 9; console.log(o.p, n);
obj().p ||= 3; obj().p &&= 4; obj()["q"] ??= 5; console.log(o, calls);
const b = [1, 2, 3];
let j = 0;
b[j++] ||= 8; b[j++] &&= 0; b[j++] ??= 6; console.log(b, j);
const g = { get x() { console.log("get"); return 1; }, set x(v) { console.log("set", v); } };
g.x += 2; g.x++; --g.x; g.x ??= 3; g.x &&= 4;
let target = { v: 1 };
const first = target;
target.v = (target = { v: 100 }).v + 1; console.log(first, target);
target.v += (target = { v: 7 }, 1); console.log(target);
class C { #p = 1; inc() { this.#p += 2; this.#p++; this.#p ||= 0; return this.#p; } }
console.log(new C().inc());
const s = { "1": 5 };
let q = 0;
s[++q] *= 3; console.log(s, q);
const big = [1, 2];
big[1n] += 40; console.log(big);
try { null[j++] += 1; } catch (e) { console.log(e.constructor.name, j); }
try { undefined.x++; } catch (e) { console.log(e.constructor.name); }
function hot(arr, m) {
  let p = 0, t = 0;
  for (let r = 0; r < m; r++) { arr[p++] += 2; arr[p++] *= 3; arr[p]--; t += arr[p - 1]; }
  return t + p;
}
const h = new Array(64).fill(1);
console.log(hot(h, 20), h.slice(0, 8));
