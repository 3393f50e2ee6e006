let i = 0, s = 0;
while (i < 100) { s += i; i++; }
console.log(i, s);
let n = 27, steps = 0;
while (n !== 1) { n = n % 2 ? 3 * n + 1 : n / 2; steps++; }
console.log(steps);
