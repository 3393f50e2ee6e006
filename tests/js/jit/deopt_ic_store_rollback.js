// A compiled call stores into one object, then a later read deoptimises: the
// transaction rolls the store back and the interpreter runs the call once.
function step(o, q) { o.n = o.n + 1; o.t += q.v; return o.n * 1000 + q.v; }
const acc = {n: 0, t: 0};
const good = {v: 2};
let s = 0;
for (let i = 0; i < 3000; i++) s += step(acc, good);
console.log(s, acc.n, acc.t);
const bad = {v: "x"};
console.log(step(acc, bad), acc.n, acc.t);
console.log(step(acc, good), acc);
function loop(o, n) { for (let i = 0; i < n; i++) { o.a += 1; if (o.b > 100) o.c = "big"; o.b += 2; } return o.a; }
const st = {a: 0, b: 0, c: 0};
for (let k = 0; k < 5; k++) console.log(loop(st, 40), st.b, st.c);
