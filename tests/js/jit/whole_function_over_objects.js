// A function whose loops work on objects it makes (AWFY Bounce's
// benchmark()): entering its loops one at a time from the interpreter
// mirrors every object in and out at each entry, so the function is
// compiled whole as soon as it is warm, not left to its loops.  Output as
// node's either way.
class Ball {
  constructor(seed) { this.x = seed % 50; this.v = (seed % 7) - 3; }
}
function step(b) {
  b.x += b.v;
  if (b.x < 0 || b.x > 50) { b.v = 0 - b.v; return 1; }
  return 0;
}
function bounce(n) {
  const balls = new Array(n);
  for (let i = 0; i < n; i += 1) { balls[i] = new Ball(i * 31 + 7); }
  let hits = 0;
  for (let k = 0; k < 20; k += 1) {
    for (const b of balls) { hits += step(b); }
  }
  return hits;
}
let total = 0;
for (let r = 0; r < 60; r += 1) {
  const tag = JSON.stringify(r);  // (the driver stays interpreted: each call is an entry)
  total += bounce(100) + tag.length;
}
console.log(total);
