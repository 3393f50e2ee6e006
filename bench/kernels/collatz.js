function steps(n) { let c = 0; while (n !== 1) { n = n % 2 === 0 ? n / 2 : 3 * n + 1; c++; } return c; }
const N = typeof SIZE === "number" ? SIZE : 300000;
const t0 = performance.now();
let best = 0, arg = 0;
for (let i = 1; i < N; i++) { const s = steps(i); if (s > best) { best = s; arg = i; } }
console.log("collatz", N, arg, best, "ms", performance.now() - t0);
