const memo = {};
function fibm(n) { if (n < 2) return n; if (memo[n] !== undefined) return memo[n]; return memo[n] = fibm(n - 1) + fibm(n - 2); }
console.log(fibm(80), fibm(90));
