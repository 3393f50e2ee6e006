// A store through an inherited setter compiles as a call of it, behind a
// call cache (apps.js.ics: the accessor's setter must be the one compiled
// in).  Every way out: the setter replaced on the prototype or deleted (the
// store then adds an own property), an own property shadowing it, a setter
// that throws or leaves half-way, a null receiver -- each setter runs
// exactly once per store, and the store's value is the assignment's.
class Temp {
  constructor() { this.c = 0; this.sets = 0; }
  get f() { return this.c * 9 / 5 + 32; }
  set f(v) { this.c = (v - 32) * 5 / 9; this.sets++; }
}
function run(t, n) { let s = 0; for (let i = 0; i < n; i++) { t.f = i % 100; s += t.f; } return s; }
const t = new Temp();
console.log(run(t, 30000).toFixed(3), t.sets, t.c.toFixed(3));
function assignValue(t, n) { let s = 0; for (let i = 0; i < n; i++) s += (t.f = i); return s; }
console.log(assignValue(t, 20000), t.sets);
// replaced on the prototype between runs, then deleted (the store adds an own property)
Object.defineProperty(Temp.prototype, "f", { set(v) { this.c = -v; this.sets += 2; }, get() { return this.c; }, configurable: true });
console.log(run(t, 3000), t.sets);
delete Temp.prototype.f;
console.log(run(t, 3000), t.sets, Object.keys(t).join());
// an own data property shadowing the setter
class Cell { constructor() { this.raw = 0; } set v(x) { this.raw = x * 10; } }
function put(cells, n) { for (let i = 0; i < n; i++) cells[i % cells.length].v = i; let s = 0; for (const c of cells) s += c.raw; return s; }
const cells = [new Cell(), new Cell()];
console.log(put(cells, 30000));
Object.defineProperty(cells[1], "v", { value: 0, writable: true });
console.log(put(cells, 3000), cells[1].v);
// a setter that throws, one that leaves half-way, a null receiver
class Guarded { constructor() { this.x = 0; this.n = 0; } set x2(v) { this.n++; if (v > 5000) throw new RangeError("too big " + v); this.x = v; } }
function guard(g, n) { for (let i = 0; i < n; i++) g.x2 = i; return g.x + ":" + g.n; }
const g = new Guarded();
console.log(guard(g, 3000));
try { guard(g, 6000); } catch (e) { console.log(e.message, g.x, g.n); }
class Mixed { constructor() { this.v = 0; this.k = 0; } set w(x) { this.k++; this.v = x; } }
function mix(m, vals, n) { for (let i = 0; i < n; i++) m.w = vals[i % vals.length]; return m.v + ":" + m.k; }
const m = new Mixed();
console.log(mix(m, [1, 2, 3], 30000), mix(m, [1, 2.5], 3000));
try { mix(null, [1], 3); } catch (e) { console.log(e instanceof TypeError); }
// one site storing through a setter and into an own property: a store as before
class S2 { constructor() { this.raw = 0; } set v(x) { this.raw = x * 2; } }
const both = [new S2(), { raw: 0, v: 0 }, new S2()];
function putBoth(a, n) { for (let i = 0; i < n; i++) a[i % 3].v = i; return a[0].raw + a[1].v + a[2].raw; }
console.log(putBoth(both, 30000), putBoth(both, 300));
