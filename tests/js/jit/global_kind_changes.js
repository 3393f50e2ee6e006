// A global whose elements kind changes after code was compiled for it: code
// compiled later is typed for what it holds now (it was typed for the first
// kind, and declined at every entry), and a unit that would call a compiled
// callee typed for the old kind stays interpreted.  Output compared with node.
const n = 30000;
const a = new Array(n);
for (let i = 0; i < n; i++) a[i] = (i * 7919) % 1000; // holes, then numbers only
let s = 0;
for (let i = 0; i < n; i++) s += a[i];
console.log("filled", s);
function total() {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
}
let u = 0;
for (let r = 0; r < 30; r++) u += total();
console.log("function", u);

let b = [1, 2, 3];
function firstOf() {
  return b[0] + b.length;
}
let f = 0;
for (let i = 0; i < 20000; i++) f += firstOf();
b = new Array(3);
b[0] = 5;
for (let i = 0; i < 20000; i++) f += firstOf() + (b[1] === undefined ? 1 : 0);
b[1] = 6;
b[2] = 7;
for (let i = 0; i < 20000; i++) f += firstOf() + b[2];
console.log("callee", f);

let c = [1.5, 2.5];
let g = 0;
for (let i = 0; i < 20000; i++) g += c[i & 1];
c = [true, false];
for (let i = 0; i < 20000; i++) g += c[i & 1] ? 1 : 0;
c = [{ v: 3 }, { v: 4 }];
for (let i = 0; i < 20000; i++) g += c[i & 1].v;
console.log("kinds", g);
