function sum(a, n) { let s = 0; for (let i = 0; i < n; i++) s += a[i]; return s; }
const a = [1, 2, 3, 4, 5];
for (let k = 0; k < 3000; k++) sum(a, 5);
console.log(sum(a, 5), sum(a, 6), sum(a, 5));
