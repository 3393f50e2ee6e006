function loops(n) { let s = 0; for (let i = 0; i < n; i++) { for (let j = 0; j < 100; j++) { s = (s + i * j) % 1000003; } } return s; }
const N = typeof SIZE === "number" ? SIZE : 200000;
const t0 = performance.now();
const r = loops(N);
console.log("loops", N, r, "ms", performance.now() - t0);
