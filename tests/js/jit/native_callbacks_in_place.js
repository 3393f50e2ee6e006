// User methods and functions called with an arrow: compiled in place, the
// arrow's body at each call of the parameter (apps/js/inlining.py).
class Vec {
  constructor() { this.storage = [null, null, null, null, null, null, null, null]; this.n = 0; }
  append(x) { this.storage[this.n] = x; this.n++; }
  forEach(fn) { for (let i = 0; i < this.n; i++) { fn(this.storage[i]); } }
  hasSome(fn) {
    for (let i = 0; i < this.n; i++) {
      if (fn(this.storage[i])) { return true; }
    }
    return false;
  }
  count(fn) { let s = 0; this.forEach((x) => { if (fn(x)) { s++; } }); return s; }
  sumOf(fn) { let s = 0; for (let i = 0; i < this.n; i++) { s += fn(this.storage[i], i); } return s; }
}
class Bag {
  constructor() { this.items = new Vec(); }
  add(x) { this.items.append(x); }
  forEach(fn) { this.items.forEach(fn); }  // passed on: compiled in place in turn
}
class P { constructor(v) { this.v = v; this.mark = 0; } }

function total(vec, k) {
  let s = 0, seen = 0;
  vec.forEach((p) => { s += p.v * k; p.mark = k; seen++; });
  return s + seen / 10;
}
function any(vec, lim) { return vec.hasSome((p) => p.v > lim); }
function weighted(vec) { return vec.sumOf((p, i) => p.v * (i + 1)); }
function viaBag(bag) {
  let n = 0, last = null;
  bag.forEach((p) => {
    if (p.v % 2 === 0) { return; }
    n += p.v;
    last = p;
  });
  return n + (last === null ? 0 : last.v);
}
function each(a, fn) { for (let i = 0; i < a.length; i++) { fn(a[i]); } }
function squares(a) { let s = 0; each(a, (x) => { s += x * x; }); return s; }

class Meter {
  constructor(vec) { this.vec = vec; this.total = 0; }
  run() { this.vec.forEach((p) => { this.total += p.v; }); return this.total; }
}

const vec = new Vec();
const bag = new Bag();
for (let i = 0; i < 6; i++) { vec.append(new P(i)); bag.add(new P(i * 3)); }
const nums = [1, 2, 3, 4, 5];
const meter = new Meter(vec);
let t = 0, c = 0, w = 0, b = 0, q = 0, m = 0;
for (let r = 0; r < 2000; r++) {
  t += total(vec, r % 7);
  if (any(vec, r % 9)) c++;
  w += weighted(vec);
  b += viaBag(bag);
  q += squares(nums);
  m = meter.run();
}
console.log(t, c, w, b, q, m, vec.storage[3].mark);
// a counting callback whose own parameter is called in turn
console.log(vec.count((p) => p.v > 2), vec.count((p) => p.mark > 0));
// a changed element kind: the compiled callee leaves for the interpreter
vec.storage[2] = new P(0.5);
console.log(total(vec, 3), any(vec, 4), weighted(vec), vec.storage[2].mark);
// the method replaced: its call cache misses, and the new one runs
Vec.prototype.forEach = function (fn) { for (let i = this.n - 1; i >= 0; i--) { fn(this.storage[i]); fn(this.storage[i]); } };
console.log(total(vec, 2), viaBag(bag), meter.run());
// a call site that has called several classes' methods: each one compiled in place, behind its own call cache
class A1 { constructor(v) { this.v = v; } each(fn) { fn(this.v); } has(fn) { return fn(this.v); } }
class B1 {
  constructor(v) { this.v = v; this.w = v * 2; }
  each(fn) { fn(this.v); fn(this.w); }
  has(fn) { return fn(this.w) || fn(this.v); }
}
class C1 { constructor(v) { this.v = v; } each(fn) { for (let i = 0; i < 3; i++) fn(this.v + i); } has(fn) { return false; } }
class D1 { constructor(v) { this.v = v; } each(fn) { fn(-this.v); } has(fn) { return true; } }
class E1 { constructor(v) { this.v = v; } each(fn) { fn(1000); } has(fn) { return fn(0); } }
function sumAll(list, k) {
  let s = 0, n = 0;
  for (let i = 0; i < list.length; i++) {
    list[i].each((x) => { s += x * k; });
    if (list[i].has((x) => x > k)) n++;
  }
  return s * 100 + n;
}
const mixed = [new A1(1), new B1(2), new C1(3), new A1(4), new D1(5)];
let u = 0;
for (let r = 0; r < 2000; r++) u += sumAll(mixed, r % 4);
console.log(u);
mixed.push(new E1(1));  // a fifth class: more than a call site keeps
console.log(sumAll(mixed, 2));
for (let r = 0; r < 500; r++) u += sumAll(mixed, r % 4);
console.log(u);
