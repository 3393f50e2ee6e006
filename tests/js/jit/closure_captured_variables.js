// Closures whose compiled code reads and writes their enclosing functions'
// variables (cells bound to that one closure; other closures of the same
// function run in the interpreter or decline at a loop's entry).
function makeCounter(step) {
  let n = 0;
  return function () { n = n + step; return n; };
}
const c = makeCounter(2);
const d = makeCounter(5);
let a = 0, b = 0;
for (let i = 0; i < 5000; i++) a = c();
for (let i = 0; i < 5000; i++) b = d();
for (let i = 0; i < 5000; i++) { a = c(); b = d(); }
console.log(a, b);
let fs = [makeCounter(1), makeCounter(10)];
let s = 0;
for (let i = 0; i < 5000; i++) s += fs[i % 2]();
console.log(s);
function make2(step) {
  let n = 0;
  return function (k) {
    for (let i = 0; i < k; i++) n = n + step;
    return n;
  };
}
const p = make2(1), q = make2(2);
console.log(p(5000), q(5000), p(3000), q(10), p(1));
function sum(arr) {
  let t = 0;
  arr.forEach(function (v) { t += v; });
  return t;
}
console.log(sum([1, 2, 3]));
