function collatz(n) { let c = 0; while (n !== 1) { n = (n & 1) ? 3 * n + 1 : n >> 1; c++; } return c; }
let best = 0, arg = 0; for (let i = 1; i < 10000; i++) { const c = collatz(i); if (c > best) { best = c; arg = i; } }
console.log(arg, best);
