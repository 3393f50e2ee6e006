// Functions declared inside functions: called by their own name (recursion
// through the enclosing function's variable), and each call of the enclosing
// function making new closures of them, each with its own variables.
function perms(xs) {
  let n = 0, s = 0;
  function go(k) {
    if (k === xs.length) { n++; s += xs[0] * xs[xs.length - 1]; return; }
    for (let i = k; i < xs.length; i++) { [xs[k], xs[i]] = [xs[i], xs[k]]; go(k + 1); [xs[k], xs[i]] = [xs[i], xs[k]]; }
  }
  go(0);
  return n * 1000 + s % 1000;
}
let c = 0;
for (let r = 0; r < 12; r++) c += perms([1, 2, 3, 4, 5, 6 + (r & 1)]);
console.log("perms", c);

// a depth-first search over a grid, the grid and the count captured
function islands(w, h, seed) {
  const g = [];
  let x = seed;
  for (let i = 0; i < w * h; i++) { x = (x * 1103515245 + 12345) % 2147483648; g.push(x % 3 === 0 ? 1 : 0); }
  let cells = 0;
  function fill(i, j) {
    if (i < 0 || j < 0 || i >= w || j >= h || g[j * w + i] !== 1) return;
    g[j * w + i] = 2;
    cells++;
    fill(i + 1, j); fill(i - 1, j); fill(i, j + 1); fill(i, j - 1);
  }
  let count = 0;
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) if (g[j * w + i] === 1) { count++; fill(i, j); }
  return [count, cells];
}
for (let r = 0; r < 8; r++) console.log("islands", islands(40, 30, r * 7 + 1).join(" "));

// closures escaping their maker, each counting on its own
function counter(step) {
  let total = 0;
  function add(k) { if (k === 0) return total; total += step; return add(k - 1); }
  return add;
}
const adders = [];
for (let r = 0; r < 6; r++) adders.push(counter(r + 1));
let sum = 0;
for (let round = 0; round < 40; round++) for (let r = 0; r < 6; r++) sum += adders[r](50);
console.log("counters", sum, adders[0](0), adders[5](0));

// the nested function reassigned between calls of its maker
function chooser(flip) {
  function step(k) { return k <= 0 ? 0 : 1 + step(k - 1); }
  if (flip) step = function (k) { return k <= 0 ? 0 : 2 + step(k - 1); };
  let s = 0;
  for (let i = 0; i < 200; i++) s += step(i & 15);
  return s;
}
let cs = 0;
for (let r = 0; r < 30; r++) cs += chooser(r % 7 === 6);
console.log("chooser", cs);

// an activation whose captured variable overflows int32 midway
function grow(start) {
  let acc = start;
  function bump(k) { for (let i = 0; i < k; i++) acc += acc; return acc; }
  let t = 0;
  for (let i = 0; i < 20; i++) t += bump(2) % 1000;
  return t;
}
let gs = 0;
for (let r = 0; r < 20; r++) gs += grow(r < 15 ? 1 : 1000);
console.log("grow", gs);
