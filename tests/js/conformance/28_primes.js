function sieve(n) {
  const is = new Array(n + 1).fill(true); is[0] = is[1] = false;
  for (let i = 2; i * i <= n; i++) if (is[i]) for (let j = i * i; j <= n; j += i) is[j] = false;
  const out = []; for (let i = 0; i <= n; i++) if (is[i]) out.push(i);
  return out;
}
console.log(sieve(100));
console.log(sieve(10000).length);
