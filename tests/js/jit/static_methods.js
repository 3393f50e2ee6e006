// `V.dot(a, b)` -- a class's own static method called on the class a global
// holds -- compiles as a direct call, the class and its property checked at
// every entry.  A static method using `this`, an inherited one, one replaced
// between entries or while the loop runs: node's output.
class V {
  static zero() { return new V(0, 0); }
  static dot(a, b) { return a.x * b.x + a.y * b.y; }
  static scale(k) { return k * 2; }
  constructor(x, y) { this.x = x; this.y = y; }
  add(o) { return new V(this.x + o.x, this.y + o.y); }
}
function run(n) {
  let acc = V.zero();
  let d = 0;
  for (let i = 0; i < n; i++) { acc = acc.add(new V(i % 3, 1)); d += V.dot(acc, acc) % 7 + V.scale(i & 3); }
  return acc.x + acc.y + d;
}
console.log(run(30000));
// replaced between entries, and by a call inside the loop (interpreted: it stores a function)
function runScale(n) { let s = 0; for (let i = 0; i < n; i++) s += V.scale(i); return s; }
console.log(runScale(20000));
V.scale = (k) => k + 1;
console.log(runScale(20000));
let flips = 0;
function flip() { V.scale = flips++ % 2 ? (k) => k * 3 : (k) => k - 1; }
function runFlip(n) { let s = 0; for (let i = 0; i < n; i++) { if (i % 4000 === 3999) flip(); s += V.scale(i); } return s; }
console.log(runFlip(20000), flips);
// what stays interpreted: `this` in a static method, an inherited static, a static that is not a function
class W extends V { static make(x) { return new this(x, x); } }
W.k = 5;
function runOthers(n) {
  let s = 0;
  for (let i = 0; i < n; i++) { s += W.make(i % 4).x + W.dot(new V(1, i % 3), new V(2, 1)); }
  return s + W.k;
}
console.log(runOthers(20000));
