// A compiled function whose stores outgrow the undo log (1M entries) while it
// is called from compiled code, where no back-edge may commit: the full log
// deoptimises, every store is rolled back, and the interpreter redoes them.
function fill(a, v) { for (let i = 0; i < a.length; i++) a[i] = v + i; return a[a.length - 1]; }
const small = new Array(10).fill(0);
for (let k = 0; k < 12; k++) fill(small, k);
const big = new Array(1200000).fill(0);
let s = 0;
for (let k = 0; k < 3; k++) s += fill(big, k);
function outer(a, n) { let t = 0; for (let r = 0; r < n; r++) t += fill(a, r * 10); return t; }
for (let k = 0; k < 12; k++) s += outer(small, 3);
for (let k = 0; k < 3; k++) s += outer(big, 2);
console.log(s, big[5], big[1199999], small[3]);
