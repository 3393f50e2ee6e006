// Array.prototype.pop in compiled code: in place on packed arrays of numbers
// and booleans; an empty array (undefined), a deopt after a pop in the same
// run (the length word rolled back), an array that stops being packed, a
// replaced pop, and an array with a pop of its own leave compiled code.
function drain(a) {
  let s = 0;
  while (a.length > 0) s += a.pop() * (a.length + 1);
  return s;
}
function stack(n) {
  const st = [];
  let s = 0;
  for (let i = 0; i < n; i++) {
    st.push(i);
    st.push(i * 2);
    s += st.pop();
    if (i % 3 === 0) s += st.pop();
  }
  return s + st.length * 1000;
}
function flags(n) {
  const b = [true];
  let c = 0;
  for (let i = 0; i < n; i++) {
    b.push(i % 3 === 0);
    if (i % 2 === 1 && b.pop()) c++;
  }
  return c * 100 + b.length;
}
function pastEmpty(a) {
  let s = 0;
  for (let i = 0; i < 10; i++) {
    s += (a.pop() | 0) + 1;  // (empty: undefined | 0)
  }
  return s;
}
function popThenOverflow(a, k) {
  let s = a.pop();
  s += a.pop();
  const big = [1, 2, 3];
  return s + big[k];  // (k past the end: leaves after two pops -- both undone)
}
function popInt32(a) {
  let s = 0;
  for (let i = 0; i < 3; i++) s = (s + a.pop()) | 0;
  return s;
}
let total = 0;
for (let r = 0; r < 400; r++) {
  const a = [];
  for (let i = 0; i < 30; i++) a.push(i + r * 0.25);
  total += drain(a);
  total += stack(50 + (r % 7));
  total += flags(40 + (r % 5));
  total += pastEmpty([r, r + 1, r + 2]);
}
console.log("drain/stack/flags", total);

const kept = [5, 6, 7, 8, 9];
let t2 = 0;
for (let r = 0; r < 300; r++) {
  kept.push(r);
  t2 += popThenOverflow(kept, r === 299 ? 7 : 1) || 0;
  kept.push(r + 1);
  kept.push(r + 2);
}
console.log("rollback", t2, kept.length, kept.slice(0, 8).join(","), kept[kept.length - 1]);

const mixed = [1, 2, 3, 4, 5, 6, 7, 8];
let t3 = 0;
for (let r = 0; r < 300; r++) {
  mixed.push(r);
  mixed.push(r + 1);
  mixed.push(r + 2);
  if (r === 250) mixed.push("s", 9, 10);
  t3 += popInt32(mixed);
}
console.log("generic", t3, mixed.length, mixed[mixed.length - 1]);

const own = [1, 2, 3];
own.pop = function () { return 42; };
let t4 = 0;
for (let r = 0; r < 300; r++) t4 += pastEmpty(r < 280 ? [r] : own);
console.log("own pop", t4, own.length);

let t5 = 0;
const saved = Array.prototype.pop;
for (let r = 0; r < 400; r++) {
  if (r === 350) Array.prototype.pop = function () { this.length -= 1; return -1; };
  t5 += drain([1, 2, 3]);
  if (r === 360) Array.prototype.pop = saved;
}
console.log("replaced", t5);
