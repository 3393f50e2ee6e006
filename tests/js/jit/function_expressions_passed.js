// Unnamed function expressions passed where an arrow would be: compiled in
// place as the arrow with their body is (inlining.arrow_like) when they name
// neither this nor arguments; every answer as node's.
function each(arr, fn) { for (let i = 0; i < arr.length; i++) fn(arr[i], i); }
function twice(f, x) { return f(f(x)); }

let acc = 0;
const xs = [];
for (let i = 0; i < 500; i++) xs.push(i);
for (let r = 0; r < 600; r++) each(xs, function (v, i) { acc = (acc + v * i) % 1000007; });
console.log(acc);

function sums(n) {
  let s = 0, t = 0, k = 0;
  for (let r = 0; r < n; r++) {
    const a = [r, r + 1, r + 2, r + 3];
    s += a.map(function (x) { return x * 3; }).reduce(function (p, x) { return p + x; }, 0);
    a.forEach(function (x, i) { t += x * i; });
    k += a.filter(function (x) { return x % 2 === 0; }).length;
    s += twice(function (x) { return x + 1; }, r);
  }
  return [s, t, k];
}
console.log(sums(3000).join(" "));

// this and arguments: the function's own -- left to the interpreter, right
var mark = 5;
function own(n) {
  let s = 0;
  for (let r = 0; r < n; r++) {
    s += [1, 2].map(function (x) { return arguments.length + x; }).reduce(function (p, x) { return p + x; }, 0);
    s += twice(function (x) { return this === undefined ? x : x + 1; }, r);
  }
  return s;
}
console.log(own(3000));

// a named function expression sees its own name
function named(n) {
  let s = 0;
  for (let r = 0; r < n; r++) s += [r, 2].map(function f(x) { return typeof f === "function" ? x : -x; }).reduce((p, x) => p + x, 0);
  return s;
}
console.log(named(3000));
