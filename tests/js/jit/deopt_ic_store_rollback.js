// A compiled call stores into one object, then a later read deoptimises: the
// transaction rolls the store back and the interpreter runs the call once.
// (Each probe runs in a compiled loop: a function without a loop or
// recursion is not entered from the interpreter by itself.)
function step(o, q) { o.n = o.n + 1; o.t += q.v; return o.n * 1000 + q.v; }
function steps(o, q, n) { let r = 0; for (let i = 0; i < n; i++) r += step(o, q); return r; }
const acc = {n: 0, t: 0};
const good = {v: 2};
const s = steps(acc, good, 3000);
console.log(s, acc.n, acc.t);
const bad = {v: "x"};
console.log(steps(acc, bad, 1), acc.n, acc.t);
console.log(steps(acc, good, 1), acc);
function loop(o, n) { for (let i = 0; i < n; i++) { o.a += 1; if (o.b > 100) o.c = "big"; o.b += 2; } return o.a; }
const st = {a: 0, b: 0, c: 0};
for (let k = 0; k < 5; k++) console.log(loop(st, 40), st.b, st.c);
