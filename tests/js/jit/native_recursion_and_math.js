function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function hyp(x, y) { return Math.sqrt(x * x + y * y) + Math.floor(x / 3) - Math.max(x, y, -0) + Math.round(-x / 7); }
let h = 0; for (let i = 0; i < 5000; i++) h += hyp(i, i % 13);
console.log(fib(27), h, Math.min(1, NaN), (7 | 0) ^ (1 << 31), -8 >>> 1, 2 ** 0.5);
