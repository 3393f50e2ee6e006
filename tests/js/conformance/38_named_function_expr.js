const f = function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); };
console.log(f(6), f.name, typeof fact);
