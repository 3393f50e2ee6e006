function fill(a, n, v) { for (let i = 0; i < n; i++) a[i] = v + i; return a.length; }
const a = new Array(10).fill(0);
for (let k = 0; k < 3000; k++) fill(a, 10, k);
console.log(a);
console.log(fill(a, 13, 100), a);
