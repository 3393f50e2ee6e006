// The main demo: a JavaScript-like program whose hot numeric functions and
// loops are JIT-compiled into the protected code cache.
//   mpk run examples/demo.js --stats
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

function mandelbrot(width, height, maxIter) {
  const rows = [];
  for (let py = 0; py < height; py++) {
    let row = "";
    for (let px = 0; px < width; px++) {
      const cr = (3.0 * px) / width - 2.1, ci = (2.4 * py) / height - 1.2;
      let zr = 0, zi = 0, i = 0;
      while (i < maxIter && zr * zr + zi * zi <= 4) { const t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; i++; }
      row += i === maxIter ? "#" : i > 8 ? "+" : i > 4 ? "." : " ";
    }
    rows.push(row);
  }
  return rows;
}

function countPrimes(n) {
  const sieve = new Array(n + 1).fill(1);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (sieve[i] === 1) { count++; for (let j = i * i; j <= n; j += i) sieve[j] = 0; }
  }
  return count;
}

function energy(steps) {
  const x = [0, 1, 0], y = [0, 0, 1], vx = [0, 0, -1], vy = [0, 1, 0], m = [10, 1, 1];
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      if (i === j) continue;
      const dx = x[j] - x[i], dy = y[j] - y[i], d2 = dx * dx + dy * dy + 0.01, f = m[j] / (d2 * Math.sqrt(d2));
      vx[i] += dx * f * 0.001; vy[i] += dy * f * 0.001;
    }
    for (let i = 0; i < 3; i++) { x[i] += vx[i] * 0.001; y[i] += vy[i] * 0.001; }
  }
  let e = 0;
  for (let i = 0; i < 3; i++) e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i]);
  return e;
}

let t = performance.now();
console.log(`fib(30) = ${fib(30)}`, `(${(performance.now() - t).toFixed(1)} ms)`);
t = performance.now();
const picture = mandelbrot(64, 24, 200);
for (let i = 0; i < picture.length; i++) console.log(picture[i]);
console.log(`mandelbrot 64x24 (${(performance.now() - t).toFixed(1)} ms)`);
t = performance.now();
console.log(`primes below 5,000,000: ${countPrimes(5000000)}`, `(${(performance.now() - t).toFixed(1)} ms)`);
t = performance.now();
console.log(`kinetic energy after 200,000 steps: ${energy(200000).toFixed(6)}`, `(${(performance.now() - t).toFixed(1)} ms)`);
