// A call of a function with a rest parameter compiles: the caller packs the
// arguments past the others into a new array (numbers, or booleans), in
// order, and the callee gets it as any array.  Entered from the interpreter,
// such a function stays interpreted (only compiled callers pack).
function sum(...xs) { let s = 0; for (const x of xs) s += x; return s; }
function scaled(k, ...xs) { let s = 0; for (let i = 0; i < xs.length; i++) s += k * xs[i]; return s + xs.length; }
function count(...bs) { let n = 0; for (const b of bs) if (b) n++; return n; }
function keep(...xs) { xs.push(xs.length); return xs; }
let order = "";
function tick(v) { order += v; return v; }
function run(n) {
  let t = 0, last = null;
  for (let i = 0; i < n; i++) {
    t += sum(i, 1, 2) + sum() + sum(i) + scaled(2, i, i + 1) + scaled(3) + count(i % 2 === 0, true, false);
    last = keep(i, i * 2);
  }
  return t + " " + last.join(",") + " " + last.length;
}
console.log(run(30000));
function ordered(n) { let t = 0; for (let i = 0; i < n; i++) { order = ""; t += sum(tick(1), tick(2), tick(3)) + order.length; } return t + " " + order; }
console.log(ordered(20000));
class Bag {
  constructor() { this.total = 0; }
  add(...xs) { for (const x of xs) this.total += x; return this.total; }
}
function fill(bag, n) { for (let i = 0; i < n; i++) bag.add(i, 1); return bag.total; }
console.log(fill(new Bag(), 30000));
// from the interpreter, with other kinds: interpreted, as before
console.log(sum(1, 2, 3), sum("a", "b"), count(1, 0, "x"), keep().length, scaled(1, 0.5, NaN));
function mixed(n) { let t = ""; for (let i = 0; i < n; i++) t = sum(i, "x"); return t; }
console.log(mixed(20000));
