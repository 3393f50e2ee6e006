let flag = false, count = 0;
function isPrime(n) { if (n < 2) return false; for (let d = 2; d * d <= n; d++) if (n % d === 0) return false; return true; }
for (let i = 0; i < 20000; i++) { if (isPrime(i)) { count++; flag = !flag; } }
console.log(count, flag, isPrime(97), isPrime(91));
