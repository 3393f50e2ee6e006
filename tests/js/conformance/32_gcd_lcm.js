function gcd(a, b) { while (b) { const t = b; b = a % b; a = t; } return a; }
const lcm = (a, b) => a / gcd(a, b) * b;
console.log(gcd(48, 18), gcd(17, 5), lcm(4, 6), [12, 18, 24].reduce(gcd));
