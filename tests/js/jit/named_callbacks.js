// Array methods given a global function by name: compiled in place as a
// direct call per element (jittypes.named_callback); every answer as node's.
function sq(x) { return x * x; }
function isEven(x) { return x % 2 === 0; }
function add(a, b) { return a + b; }
function addAt(s, x, i) { return s + x * i; }
function scaled(x, i) { return x * (i + 1); }
const half = (x) => x / 2;
function big(x) { return x > 230; }
function small(x) { return x < 250; }
let seen = 0;
function count(x, i) { seen += x + i; }
function withArray(x, i, arr) { return arr.length + x; }
function countArgs(x) { return arguments.length + x; }
function norm(p) { return p.x * p.x + p.y * p.y; }
function near(p) { return p.x < 3; }

function rounds(n) {
  let total = 0, found = 0, firsts = 0, evens = 0, halves = 0;
  for (let r = 0; r < n; r++) {
    const a = [];
    for (let i = 0; i < 200; i++) a.push(i + r);
    total += a.map(sq).filter(isEven).reduce(add, 0);
    total += a.map(scaled).reduce(addAt, 1);
    halves += a.map(half).reduce(add, 0);
    a.forEach(count);
    if (a.some(big)) found++;
    if (a.every(small)) found += 100;
    firsts += a.findIndex(big);
    evens += a.filter(isEven).length;
  }
  return [total, found, firsts, evens, halves, seen];
}
console.log(rounds(60).join(" "));

// more arguments taken than compiled code would pass: the built-in's own answer
function others(n) {
  let s = 0;
  for (let r = 0; r < n; r++) {
    const a = [r, r + 1, r + 2];
    s += a.map(withArray).reduce(add, 0) + a.map(countArgs).reduce(add, 0);
  }
  return s;
}
console.log(others(3000));

// objects, and a callee that overflows int32 (compiled again with doubles)
function pts(n) {
  const ps = [];
  for (let i = 0; i < n; i++) ps.push({ x: i % 7, y: i % 5 });
  let s = 0, k = 0;
  for (let r = 0; r < 40; r++) {
    s += ps.map(norm).reduce(add, 0);
    k += ps.filter(near).length;
  }
  return [s, k];
}
console.log(pts(500).join(" "));

function growing(x) { return x * 65536; }
function grow(n) {
  let s = 0;
  for (let r = 0; r < n; r++) s += [r, 40000 + r].map(growing).reduce(add, 0);
  return s;
}
console.log(grow(3000));

// the global replaced between rounds: each round calls what it holds then
let step = function (x) { return x + 1; };
function stepAll(n) {
  let s = 0;
  for (let r = 0; r < n; r++) {
    if (r === n / 2) step = function (x) { return x - 1; };
    s += [1, 2, 3].map(step).reduce(add, 0);
  }
  return s;
}
console.log(stepAll(4000));

// not a function, or a class: node's TypeError, caught
class Point { constructor(x) { this.x = x; } }
let notFn = 3;
for (const f of [Point, notFn]) {
  try { [1, 2].map(f); } catch (e) { console.log(e instanceof TypeError); }
}
