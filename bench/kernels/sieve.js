function sieve(n, flags) {
  let count = 0;
  for (let i = 2; i <= n; i++) flags[i] = 1;
  for (let i = 2; i <= n; i++) {
    if (flags[i] === 1) { count++; for (let j = i + i; j <= n; j += i) flags[j] = 0; }
  }
  return count;
}
const N = typeof SIZE === "number" ? SIZE : 2000000;
const flags = new Array(N + 1).fill(0);
const t0 = performance.now();
let r = 0;
for (let rep = 0; rep < 5; rep++) r = sieve(N, flags);
console.log("sieve", N, r, "ms", performance.now() - t0);
