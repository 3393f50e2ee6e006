// Arrays filled by index from empty: a store at the length appends, as push does.
function fibs(n) {
  const dp = [];
  for (let i = 0; i < n; i++) dp[i] = i < 2 ? i : (dp[i - 1] + dp[i - 2]) % 1000007;
  return dp[n - 1] + dp.length;
}
let s = 0;
for (let r = 0; r < 400; r++) s += fibs(100 + (r & 7));
console.log("fibs", s);

// booleans, objects and rows filled the same way
function sieve(n) {
  const comp = [];
  for (let i = 0; i <= n; i++) comp[i] = false;
  let c = 0;
  for (let i = 2; i <= n; i++) {
    if (!comp[i]) { c++; for (let j = i * i; j <= n; j += i) comp[j] = true; }
  }
  return c;
}
let p = 0;
for (let r = 0; r < 30; r++) p += sieve(2000 + r);
console.log("sieve", p);

class P { constructor(x, y) { this.x = x; this.y = y; } }
function points(n) {
  const ps = [];
  for (let i = 0; i < n; i++) ps[i] = new P(i, i * 2);
  let t = 0;
  for (let i = 0; i < ps.length; i++) t += ps[i].x + ps[i].y;
  return t;
}
let q = 0;
for (let r = 0; r < 300; r++) q += points(50 + (r & 3));
console.log("points", q);

function grid(h, w) {
  const rows = [];
  for (let i = 0; i < h; i++) { rows[i] = new Array(w).fill(0); for (let j = 0; j < w; j++) rows[i][j] = i * j; }
  let t = 0;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) t += rows[i][j];
  return t;
}
let g = 0;
for (let r = 0; r < 200; r++) g += grid(10 + (r & 3), 12);
console.log("grid", g);

// past the length (a hole), at a fraction, negative: the interpreter's, as node's
function odd(n, k) {
  const a = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    a[i] = i;
    if (i === k) a[i + 2] = -1;
    if (i === k + 1) a[i + 0.5] = 7;
    if (i === k + 2) a[-1] = 9;
  }
  for (let i = 0; i < a.length; i++) t += a[i] === undefined ? 1000 : a[i];
  return [t, a.length, a[-1], a[k + 1.5]].join(" ");
}
for (let r = 0; r < 300; r++) { const o = odd(40, r < 290 ? 100 : 10 + (r & 7)); if (r % 50 === 0 || r >= 290) console.log("odd", r, o); }

// an array shrunk under the loop: the store at the new length appends again
function shrink(n) {
  const a = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    a[a.length] = i;
    if (i % 10 === 9) a.length = 3;
    t += a.length;
  }
  return t + a.join("").length;
}
let z = 0;
for (let r = 0; r < 300; r++) z += shrink(100 + (r & 15));
console.log("shrink", z);
