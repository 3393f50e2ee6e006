function mandelbrot(size, maxIter) {
  let inside = 0;
  for (let py = 0; py < size; py++) {
    const ci = (2.0 * py) / size - 1.0;
    for (let px = 0; px < size; px++) {
      const cr = (2.0 * px) / size - 1.5;
      let zr = 0.0, zi = 0.0, i = 0;
      while (i < maxIter && zr * zr + zi * zi <= 4.0) { const t = zr * zr - zi * zi + cr; zi = 2.0 * zr * zi + ci; zr = t; i++; }
      if (i === maxIter) inside++;
    }
  }
  return inside;
}
const N = typeof SIZE === "number" ? SIZE : 400;
const t0 = performance.now();
const r = mandelbrot(N, 100);
console.log("mandelbrot", N, r, "ms", performance.now() - t0);
