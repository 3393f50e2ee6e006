// Compiled read-modify-writes of members evaluate the object and the key
// once (a[i++] += v stored to a[i+1] and bumped i twice), and a plain store
// evaluates them before its right-hand side.
function bumps(a, n) {
  let i = 0, s = 0;
  for (let k = 0; k < n; k++) { a[i++] += 2; a[i++] *= 3; a[i]--; s += a[i - 1]; }
  return s + i;
}
function updates(a, n) {
  let i = 0;
  for (let k = 0; k < n; k++) { a[i++]++; ++a[i++]; a[--i] -= 1; i++; }
  return i;
}
function reorder(a, n) {
  let i = 0;
  for (let k = 0; k < n; k++) { a[i] = (i = i + 1); }
  return i;
}
function fields(o, n) {
  let t = 0;
  for (let k = 0; k < n; k++) { o.x += 1; o.y++; --o.z; t += o.x + o.y + o.z; }
  return t;
}
function pick(list, k) { return list[k & 1]; }
function through(list, n) {
  let c = 0;
  for (let k = 0; k < n; k++) { pick(list, c++).v += 1; pick(list, c++).w++; }
  return c;
}
const a = new Array(8000).fill(1), b = new Array(8000).fill(1), c = new Array(4001).fill(0);
let r1 = 0, r2 = 0, r3 = 0;
for (let rep = 0; rep < 40; rep++) { r1 += bumps(a, 2000); r2 += updates(b, 2000); r3 += reorder(c, 4000); }
console.log(r1, a[0], a[1], a[2], a[5999], a[6000], r2, b[0], b[1], b[3999], b[4000], r3, c[0], c[1], c[3999], c[4000]);
const o = { x: 0, y: 0, z: 0 };
let r4 = 0;
for (let rep = 0; rep < 40; rep++) r4 += fields(o, 1000);
console.log(r4, o.x, o.y, o.z);
const list = [{ v: 0, w: 0 }, { v: 0, w: 0 }];
let r5 = 0;
for (let rep = 0; rep < 40; rep++) r5 += through(list, 1000);
console.log(r5, list[0], list[1]);
