// A statement holding a method call that has never run is compiled as an exit
// to the interpreter where it stands (was: the whole function or loop refused,
// for good): an error path, a rare grow, a never-taken while, a callback
// passed to a method never called.  Reached, it leaves (stores before it in
// the run undone and redone once); reached often, the unit is compiled again
// with the call's feedback.  Node's output.
class Buf {
  constructor() { this.items = [1, 2, 3]; this.n = 0; this.errors = 0; this.log = 0; }
  grow() { this.errors += 1; this.n = 0; }
  fail(x) { this.errors += x; return -1; }
  each(f) { for (let i = 0; i < this.items.length; i++) f(this.items[i]); }
  rare() { return 7; }
  sum(k) {
    let s = 0;
    for (let i = 0; i < 200; i++) {
      s += this.items[i % 3];
      this.n += 1;
      if (s > k) { this.grow(); s = 0; }
      if (s < 0) return this.fail(s);
    }
    return s;
  }
  skip(k) {
    let c = 0;
    while (this.n < k) { this.grow(); this.n += k; c++; }
    return c + this.n;
  }
  tail(flag) {
    let t = 0;
    for (let i = 0; i < 50; i++) {
      t += i;
      if (flag && i === 25) {
        const y = this.rare();
        t += y * 1000;
        this.log += y;
      }
    }
    return t;
  }
  viaCallback(flag) {
    let s = 0;
    for (let i = 0; i < 30; i++) {
      s += i;
      if (flag && i === 3) this.each(v => { s += v * 100; });
    }
    return s;
  }
}
const b = new Buf();
let t = 0;
for (let r = 0; r < 400; r++) t += b.sum(r === 399 ? 100 : r >= 300 && r % 7 === 0 ? 250 : 1e9);
console.log("sum", t, b.errors, b.n);
let u = 0;
for (let r = 0; r < 400; r++) u += b.skip(r < 390 ? -1 : 1e9);
console.log("skip", u, b.errors);
let v = 0;
for (let r = 0; r < 400; r++) v += b.tail(r % 50 === 49);
console.log("tail", v, b.log);
let w = 0;
for (let r = 0; r < 400; r++) w += b.viaCallback(r > 380);
console.log("callback", w);
