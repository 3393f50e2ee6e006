// An arm of ?: whose property load has never run (DeltaBlue's
// `this.direction === 'forward' ? this.v2 : this.v1`): it would be typed a
// number and clash with the other arm's object.  It is compiled as a cold
// exit instead; taking it leaves compiled code for the interpreter, and
// once it has run often enough the unit is typed afresh.
class P { constructor(v) { this.v = v; } }
class C {
  constructor(a, b) { this.a = a; this.b = b; this.forward = true; }
  out() { return this.forward ? this.b : this.a; }
}
function sum(cs, n) {
  let s = 0;
  for (let i = 0; i < n; i++) { s += cs[i % cs.length].out().v; }
  return s;
}
const cs = [new C(new P(1), new P(2)), new C(new P(3), new P(4))];
console.log(sum(cs, 5000));
cs[1].forward = false;
console.log(sum(cs, 5000));
console.log(sum(cs, 5000));
function pick(c, n) {
  let s = 0;
  for (let i = 0; i < n; i++) { s += (i % 1000 === 999 ? c.b : c.a).v; }
  return s;
}
console.log(pick(new C(new P(5), new P(6)), 20000));
