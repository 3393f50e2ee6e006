// `[a[i], a[j]] = [a[j], a[i]]` and `[p, q] = [q, p + q]` compile: every value
// first, then each target's object, key and store in order, with no array
// made -- while Array.prototype's iteration is the built-in.  Patterns with
// defaults, rest or nesting, and an assignment whose value is used, stay as before.
function bubble(a) {
  const n = a.length;
  for (let i = 0; i < n; i++) for (let j = 0; j < n - 1 - i; j++) if (a[j] > a[j + 1]) [a[j], a[j + 1]] = [a[j + 1], a[j]];
  return a;
}
let s = 0;
for (let r = 0; r < 6; r++) {
  const a = [];
  for (let i = 0; i < 200; i++) a.push((i * 7919 + r * 31) % 1009);
  bubble(a);
  s += a[r] + a[199 - r] * 3;
}
console.log(s);
function fibs(n) { let p = 0, q = 1; for (let i = 0; i < n; i++) [p, q] = [q, p + q]; return p; }
let t = 0;
for (let r = 0; r < 2000; r++) t += fibs(30 + (r % 10));
console.log(t);
// three-way rotation, strings and booleans
function rotate(n) {
  let x = 1, y = 2, z = 3, u = "a", v = "b", f = true, g = false;
  for (let i = 0; i < n; i++) { [x, y, z] = [y, z, x + i]; [u, v] = [v, u]; [f, g] = [g, f]; }
  return x + y + z + u + v + f + g;
}
console.log(rotate(30001), rotate(30002));
// targets whose keys have effects: each evaluated after every value, in order
function keys(n) {
  const a = new Array(8).fill(0);
  let k = 0, tot = 0;
  for (let i = 0; i < n; i++) { k = i % 4; [a[k++], a[k++]] = [k * 10 + i, k]; tot += a[0] + a[1] + a[2] + a[3] + a[4] + k; }
  return tot;
}
console.log(keys(30000));
// more values than targets: the extra ones are evaluated (for their effects), not stored
let bumps = 0;
function bump() { bumps++; return bumps; }
function extra(n) { let x = 0, y = 0; for (let i = 0; i < n; i++) [x, y] = [i, x + y, bump()]; return x + y; }
console.log(extra(30000), bumps);
// object properties
class P { constructor(x, y) { this.x = x; this.y = y; } }
function flip(o, n) { for (let i = 0; i < n; i++) [o.x, o.y] = [o.y + 1, o.x]; return o.x * 1000 + o.y; }
console.log(flip(new P(1, 2), 30001));
// a value read past the end (undefined) leaves compiled code: node's result
function pastEnd(a, n) {
  let x = 0, y = 0;
  for (let i = 0; i < n; i++) [x, y] = [a[i === n - 2 ? a.length : i % a.length], x];
  return String(x) + String(y);
}
console.log(pastEnd([1, 2, 3], 30000), pastEnd([1, 2, 3], 30003));
// the second store leaves compiled code (past the array's end): the first one,
// made already, is rolled back, and the interpreter runs the iteration once
function partial(n) {
  const o = { n: 0 };
  const b = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) [o.n, b[i === n - 3 ? 6 : i % 4]] = [o.n + 1, o.n];
  return o.n + ":" + b.join();
}
console.log(partial(30000));
// what stays interpreted: the assignment's value used, defaults, rest, nesting
function others(n) {
  let a = 1, b = 2, c = 0, r = null, rest = null;
  for (let i = 0; i < n; i++) {
    r = ([a, b] = [b, a]);
    [a = 5, b] = [undefined, b + 1];
    [c, ...rest] = [i, a, b];
    [[a], b] = [[b], a];
  }
  return [a, b, c, r.length, rest.length].join();
}
console.log(others(20000));
