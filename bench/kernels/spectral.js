// spectral-norm (Benchmarks Game)
function A(i, j) { return 1 / (((i + j) * (i + j + 1)) / 2 + i + 1); }
function Au(u, v, n) { for (let i = 0; i < n; i++) { let t = 0; for (let j = 0; j < n; j++) t += A(i, j) * u[j]; v[i] = t; } }
function Atu(u, v, n) { for (let i = 0; i < n; i++) { let t = 0; for (let j = 0; j < n; j++) t += A(j, i) * u[j]; v[i] = t; } }
function AtAu(u, v, w, n) { Au(u, w, n); Atu(w, v, n); }
const N = typeof SIZE === "number" ? SIZE : 400;
const t0 = performance.now();
const u = new Array(N).fill(1), v = new Array(N).fill(0), w = new Array(N).fill(0);
for (let i = 0; i < 10; i++) { AtAu(u, v, w, N); AtAu(v, u, w, N); }
let vBv = 0, vv = 0; for (let i = 0; i < N; i++) { vBv += u[i] * v[i]; vv += v[i] * v[i]; }
console.log("spectral", N, Math.sqrt(vBv / vv).toFixed(9), "ms", performance.now() - t0);
