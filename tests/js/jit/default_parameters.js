// Calls that leave out parameters with literal defaults (a number, a string,
// a boolean) compile: the call passes the literal itself, and the callee's
// `if (p === undefined)` on a number, string or boolean is false.  A default
// of any other kind, or undefined passed, stays as before.
function scale(a, b = 2) { return a * b; }
function tag(x, sep = ":", loud = false) { return loud ? x + sep + "!" : x + sep; }
function run(n) {
  let t = 0, s = "";
  for (let i = 0; i < n; i++) {
    t += scale(i) + scale(i, 3);
    s = tag("k" + (i % 10)) + tag("v", "=") + tag("w", "-", true);
  }
  return t + " " + s;
}
console.log(run(30000));
class Acc {
  constructor() { this.total = 0; }
  add(x, times = 1) { this.total += x * times; return this.total; }
}
function fill(acc, n) { for (let i = 0; i < n; i++) { acc.add(i); acc.add(1, 2); } return acc.total; }
console.log(fill(new Acc(), 30000));
// a default that is not a literal: computed by the callee, which stays interpreted for that call
function offset(a, b = a + 1) { return a + b; }
function runOffset(n) { let t = 0; for (let i = 0; i < n; i++) t += offset(i) + offset(i, 0); return t; }
console.log(runOffset(20000));
// undefined passed explicitly takes the default too
function explicit(n) { let t = 0; for (let i = 0; i < n; i++) t += scale(i, undefined); return t; }
console.log(explicit(20000));
// a number or a string is never undefined
function never(xs, n) { let k = 0; for (let i = 0; i < n; i++) { const x = xs[i % xs.length]; if (x === undefined) k++; if (x !== undefined) k += 100; if ("s" + x !== undefined) k += 1000; } return k; }
console.log(never([1, 2, 3], 30000));
