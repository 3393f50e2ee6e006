function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const N = typeof SIZE === "number" ? SIZE : 30;
const t0 = performance.now();
const r = fib(N);
console.log("fib", N, r, "ms", performance.now() - t0);
