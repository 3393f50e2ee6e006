let u; const n = null;
console.log(u, n, typeof u, typeof n, u == n, u === n, u + 1, n + 1, String(u), String(n));
console.log([u, n], { u, n });
