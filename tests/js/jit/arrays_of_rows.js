// An array of packed arrays of numbers (a matrix, a DP table, jagged rows)
// is compiled code's: its rows' descriptors copied at entry, a row read as
// a packed array (read, stored into, pushed onto in place), a row stored
// into the outer array going back when the unit leaves -- and a store
// undone by a rollback never landing.  Output: node's.
function matrix(n, seed) {
  const m = [];
  for (let i = 0; i < n; i++) { const row = new Array(n).fill(0); for (let j = 0; j < n; j++) { seed = (seed * 16807) % 2147483647; row[j] = seed % 100; } m.push(row); }
  return m;
}
function mul(a, b, c, n) {
  for (let i = 0; i < n; i++) { const ci = c[i]; for (let j = 0; j < n; j++) ci[j] = 0; for (let k = 0; k < n; k++) { const aik = a[i][k]; const bk = b[k]; for (let j = 0; j < n; j++) ci[j] += aik * bk[j]; } }
  return c[n - 1][n - 1];
}
function lcs(x, y, dp) {
  for (let i = 1; i <= x.length; i++) for (let j = 1; j <= y.length; j++)
    dp[i][j] = x[i - 1] === y[j - 1] ? dp[i - 1][j - 1] + 1 : Math.max(dp[i - 1][j], dp[i][j - 1]);
  return dp[x.length][y.length];
}
function table(r, c) { const t = []; for (let i = 0; i < r; i++) t.push(new Array(c).fill(0)); return t; }
function rowSums(m) { let s = 0; for (const row of m) { let t = 0; for (let j = 0; j < row.length; j++) t += row[j]; s += t * (row.length + 1); } return s; }
function eachRow(m) { let s = 0; m.forEach((row) => { s += row[0] - row[row.length - 1]; }); return s; }
function swapRows(m, n) { for (let i = 0; i + 1 < n; i += 2) { const t = m[i]; m[i] = m[i + 1]; m[i + 1] = t; } return m[0][0]; }
function grow(m, k) { for (let i = 0; i < m.length; i++) for (let r = 0; r < k; r++) m[i].push(i * 10 + r); return m[0].length; }
const out = [];
const A = matrix(12, 1), B = matrix(12, 2), C = matrix(12, 3);
for (let r = 0; r < 100; r++) { mul(A, B, C, 12); lcs([1, 2, 3, 2, 1], [2, 3, 1, 2], table(6, 5)); rowSums(A); eachRow(B); swapRows(matrix(4, r + 1), 4); grow(table(3, 1), 2); }
out.push(mul(A, B, C, 12), C[5].join(","), rowSums(C), eachRow(C));
const xs = [], ys = [];
for (let i = 0; i < 300; i++) { xs.push((i * 7) % 13); ys.push((i * 5) % 11); }
out.push(lcs(xs, ys, table(301, 301)));
const S = matrix(6, 9);
out.push(swapRows(S, 6), S.map((r) => r[0]).join(","));
const G = table(3, 2);
out.push(grow(G, 40), G[2].length, G[2].slice(0, 6).join(","), rowSums(G));
// jagged rows: a read past a short row's end leaves (undefined: NaN), the stores before it in that
// iteration are undone and made again by the interpreter
function jagged(m, v) { let s = 0; for (let i = 0; i < m.length; i++) { m[i][0] += v; s += m[i][3]; } return s; }
for (let r = 0; r < 200; r++) jagged([[1, 2, 3, 4], [5, 6, 7, 8]], 1);
const J = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10], [11, 12, 13, 14]];
out.push(jagged(J, 100), J.map((r) => r.join(" ")).join("|"));
// a row swap undone by a leave in the same iteration: once, not twice
function swapThenLeave(m, extra) { let s = 0; for (let i = 0; i + 1 < m.length; i++) { const t = m[i]; m[i] = m[i + 1]; m[i + 1] = t; s += extra[i]; } return s; }
for (let r = 0; r < 200; r++) swapThenLeave(matrix(5, 3), [1, 1, 1, 1, 1]);
const W = [[1], [2], [3], [4], [5]];
out.push(swapThenLeave(W, [1, 1]), W.map((r) => r[0]).join(","));
// rows filled by index (lists of holes, then numbers) are packed again where the JIT looks at them
const byIndex = [];
for (let i = 0; i < 4; i++) { const row = new Array(5); for (let j = 0; j < 5; j++) row[j] = i * 5 + j; byIndex.push(row); }
out.push(rowSums(byIndex), swapRows(byIndex, 4), byIndex.map((r) => r.join(" ")).join("|"));
// what is not a table of number rows stays the interpreter's: a row of strings, a frozen table, a hole
const mixedRows = [[1, 2], ["a", "b"]];
out.push(rowSums(mixedRows));
const frozenT = Object.freeze([[1, 2], [3, 4]]);
try { swapRows(frozenT, 2); } catch (e) { out.push(e.constructor.name); }
out.push(frozenT[0][0]);
const holeT = [[1, 2], , [3, 4]];
try { out.push(rowSums(holeT)); } catch (e) { out.push(e.constructor.name); }
console.log(out.join("\n"));
