// Math.random in compiled code (the engine's xorshift128+, stepped natively):
// what node's must also show -- every draw in [0, 1), the halves and a dice
// roll evenly filled, no two draws in a row equal -- and Monte Carlo's pi.
function check(n) {
  let low = 0, bad = 0, same = 0, prev = -1;
  const dice = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x = Math.random();
    if (!(x >= 0 && x < 1)) bad++;
    if (x < 0.5) low++;
    if (x === prev) same++;
    prev = x;
    dice[Math.floor(Math.random() * 6)]++;
  }
  let even = true;
  for (let k = 0; k < 6; k++) if (Math.abs(dice[k] - n / 6) > n / 60) even = false;
  return [bad, Math.abs(low - n / 2) < n / 50, same, even].join(" ");
}
console.log(check(60000));
function pi(n) { let k = 0; for (let i = 0; i < n; i++) { const x = Math.random(), y = Math.random(); if (x * x + y * y < 1) k++; } return 4 * k / n; }
console.log(Math.abs(pi(200000) - Math.PI) < 0.02);
