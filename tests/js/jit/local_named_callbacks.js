// Array methods given a function the enclosing function declares, by name
// (function declarations and const arrows): compiled in place as a call of
// that closure per element; every answer as node's.
function run(n) {
  const sq = (x) => x * x;
  function isOdd(x) { return x % 2 === 1; }
  function sum(p, x) { return p + x; }
  let s = 0;
  for (let r = 0; r < n; r++) {
    const a = [r, r + 1, r + 2, r + 3];
    s += a.map(sq).filter(isOdd).reduce(sum, 0);
  }
  return s;
}
console.log(run(20000));

// closures over the function's variables, which the loop changes
function scaled(n, k0) {
  let k = k0, seen = 0;
  function addK(x, i) { return x + k * i; }
  const note = (x) => { seen += x; };
  let s = 0;
  for (let r = 0; r < n; r++) {
    k = r % 5;
    const a = [r, 1, 2];
    s += a.map(addK).reduce((p, x) => p + x, 0);
    a.forEach(note);
  }
  return [s, seen, k];
}
for (let c = 0; c < 3; c++) console.log(scaled(4000, c).join(" "));

// declared twice, reassigned, or taking the array: the built-in's answers
function tangled(n) {
  var f = 5;
  function f(x) { return x + 1; }
  function g(x) { return x * 2; }
  function h(x, i, arr) { return arr.length + x; }
  let s = 0;
  for (let r = 0; r < n; r++) {
    if (r === 7) g = (x) => x * 3;
    s += [r, 1].map(g).reduce((p, x) => p + x, 0) + [r].map(h)[0];
  }
  return [s, typeof f];
}
console.log(tangled(5000).join(" "));
