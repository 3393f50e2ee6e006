// Evaluation order in compiled loops: a variable read before the right-hand side reassigns it,
// a key bumped inside its own expression, an object reference replaced mid-expression.
function a1(n) { let t = 0; for (let i = 0; i < n; i++) { let x = i; x += (x = 5); t += x; } return t; }
function a2(n) { let t = 0; for (let i = 0; i < n; i++) { let y = i; y = y * (y = 3) + y; t += y; } return t; }
function a3(arr, n) { let t = 0; for (let i = 0; i < n; i++) { let k = i & 7; arr[k] = arr[k++] + arr[k & 7]; t += k; } return t; }
function a4(arr, n) { let t = 0; for (let i = 0; i < n; i++) { let z = i; const w = z + (z = 1) + z; t += w + z; } return t; }
function a5(a, n) { let t = 0; for (let i = 0; i < n; i++) { let j = i & 3; t += a[j] + a[++j] * a[j++ + 1]; t += j; } return t; }
function a6(o, n) { let t = 0; for (let i = 0; i < n; i++) { let c = o; t += c.v + (c = o.next).v + c.v; } return t; }
function a7(arr, n) { let t = 0; for (let i = 0; i < n; i++) { let k = i & 7; arr[k] = k++; arr[k & 7] += k; t += arr[(k + 1) & 7]; } return t; }
const A = new Array(8).fill(1), B = [1, 2, 3, 4, 5, 6, 7, 8], C = new Array(8).fill(0);
const O = { v: 1, next: { v: 10, next: null } };
let r = [0, 0, 0, 0, 0, 0, 0];
for (let rep = 0; rep < 30; rep++) { r[0] += a1(500); r[1] += a2(500); r[2] += a3(A, 500) % 1000; r[3] += a4(A, 500); r[4] += a5(B, 500); r[5] += a6(O, 500); r[6] += a7(C, 500); }
console.log(r, A, C);
