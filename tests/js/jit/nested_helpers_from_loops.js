// Loops calling the nested functions of the function they are in: a flood
// fill's grid scan, a memoised recursion behind a sibling helper, a counter
// both sides write -- the loops compile and call the helpers' code, each
// call of the outer function with its own variables.
function islands(grid, n) {
  const seen = new Array(n * n).fill(false);
  let biggest = 0;
  function fill(i, j) {
    if (i < 0 || j < 0 || i >= n || j >= n) return 0;
    const k = i * n + j;
    if (seen[k] || grid[k] === 0) return 0;
    seen[k] = true;
    return 1 + fill(i + 1, j) + fill(i - 1, j) + fill(i, j + 1) + fill(i, j - 1);
  }
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const s = fill(i, j);
      if (s > 0) {
        count++;
        if (s > biggest) biggest = s;
      }
    }
  }
  return [count, biggest];
}

function paths(n) {
  const memo = new Array(n + 1).fill(-1);
  let lookups = 0;
  function ways(k) {
    lookups++;
    if (k <= 1) return 1;
    if (memo[k] >= 0) return memo[k];
    const v = (ways(k - 1) + ways(k - 2)) % 1000007;
    memo[k] = v;
    return v;
  }
  function twice(k) {
    return (ways(k) * 2) % 1000007;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + twice(i)) % 1000007;
  return [s, lookups];
}

function runs(xs) {
  let len = 0;
  let best = 0;
  function step(x) {
    len = x > 0 ? len + 1 : 0;
  }
  for (let i = 0; i < xs.length; i++) {
    step(xs[i]);
    if (len > best) best = len;
  }
  return best;
}

let seed = 7;
function rnd() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
for (let r = 0; r < 4; r++) {
  const n = 60 + r * 5;
  const grid = [];
  for (let i = 0; i < n * n; i++) grid.push(rnd() < 0.45 ? 1 : 0);
  const [count, biggest] = islands(grid, n);
  console.log("islands", n, count, biggest);
}
for (let r = 0; r < 4; r++) console.log("paths", paths(4000 + r).join(" "));
for (let r = 0; r < 4; r++) {
  const xs = [];
  for (let i = 0; i < 30000; i++) xs.push(rnd() < 0.8 ? 1 : -1);
  console.log("runs", runs(xs));
}
