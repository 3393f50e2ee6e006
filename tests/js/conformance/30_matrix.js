function matmul(a, b, n) { const c = new Array(n * n).fill(0); for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j]; c[i * n + j] = s; } return c; }
const n = 3, a = [1, 2, 3, 4, 5, 6, 7, 8, 9], id = [1, 0, 0, 0, 1, 0, 0, 0, 1];
console.log(matmul(a, id, n), matmul(a, a, n));
