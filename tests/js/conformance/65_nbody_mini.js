const x = [0, 1, 0], y = [0, 0, 1], vx = [0, 0, -1], vy = [0, 1, 0], m = [10, 1, 1];
function step(dt) {
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) { if (i === j) continue;
    const dx = x[j] - x[i], dy = y[j] - y[i], d2 = dx * dx + dy * dy + 0.01, inv = m[j] / (d2 * Math.sqrt(d2));
    vx[i] += dx * inv * dt; vy[i] += dy * inv * dt; }
  for (let i = 0; i < 3; i++) { x[i] += vx[i] * dt; y[i] += vy[i] * dt; }
}
for (let s = 0; s < 1000; s++) step(0.001);
console.log(x.map(v => v.toFixed(6)), y.map(v => v.toFixed(6)));
