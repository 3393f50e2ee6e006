function* range(a, b, step = 1) { for (let i = a; i < b; i += step) yield i; }
console.log([...range(0, 5)], Array.from(range(1, 10, 3)));
function* naturals() { let n = 0; while (true) yield n++; }
for (const n of naturals()) { if (n > 3) break; console.log("n", n); }
function* take(it, k) { for (const x of it) { if (k-- <= 0) return; yield x; } }
console.log([...take(naturals(), 4)]);
const g = (function* () { const x = yield 1; console.log("got", x); const y = yield x * 2; return x + y; })();
console.log(g.next(), g.next(10), g.next(5), g.next());
function* inner() { yield "a"; yield "b"; return "r"; }
function* outer() { const r = yield* inner(); yield r; yield* [1, 2]; }
console.log([...outer()]);
class Tree { constructor(v, l, r) { this.v = v; this.l = l; this.r = r; }

  *inorder() { if (this.l) yield* this.l.inorder(); yield this.v; if (this.r) yield* this.r.inorder(); } }
const t = new Tree(2, new Tree(1), new Tree(3));
console.log([...t.inorder()]);
function* withFinally() { try { yield 1; yield 2; } finally { console.log("cleanup"); } }
for (const x of withFinally()) { console.log(x); break; }
const gen2 = withFinally(); console.log(gen2.next(), gen2.return(9), gen2.next());
const obj = { *pairs() { yield [1, 2]; yield [3, 4]; } };
for (const [a, b] of obj.pairs()) console.log(a + b);
console.log(typeof g, range(0, 1));
function* thrower() { try { yield 1; } catch (e) { console.log("caught", e); yield 2; } }
const th = thrower(); th.next(); console.log(th.throw("boom"), th.next());
