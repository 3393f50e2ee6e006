// -0 through every compiled numeric operation, on doubles and on int32s:
// each operation is a function compiled after warm-up with ordinary values
// (whole numbers for the _int copies, fractions for the _dbl ones), then
// given the edge values.  A fast path that tests "x >= 0" or "x == 0" loses
// -0's sign (the remainder's once did): printed as "-0" here.
function show(v) { return v === 0 && 1 / v < 0 ? "-0" : String(v); }
const edges = [-0, 0, 1, -1, 2, -2, 3, 5, 0.5, -0.5, 2.5, -4, 2147483647, -2147483648, 4294967296, NaN, Infinity, -Infinity];
const rights = [-0, 0, 2, 3, 2.5, -3];
const lines = [];
function table(name, f) {
  const row = [];
  for (const x of edges) for (const y of rights) row.push(show(f(x, y)));
  lines.push(name + " " + row.join(","));
}
function add_int(x, y) { return x + y; }
for (let i = 0; i < 1500; i++) add_int(i % 7 + 1, i % 5 + 1);
table("add_int", add_int);
function add_dbl(x, y) { return x + y; }
for (let i = 0; i < 1500; i++) add_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("add_dbl", add_dbl);
function sub_int(x, y) { return x - y; }
for (let i = 0; i < 1500; i++) sub_int(i % 7 + 1, i % 5 + 1);
table("sub_int", sub_int);
function sub_dbl(x, y) { return x - y; }
for (let i = 0; i < 1500; i++) sub_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("sub_dbl", sub_dbl);
function mul_int(x, y) { return x * y; }
for (let i = 0; i < 1500; i++) mul_int(i % 7 + 1, i % 5 + 1);
table("mul_int", mul_int);
function mul_dbl(x, y) { return x * y; }
for (let i = 0; i < 1500; i++) mul_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("mul_dbl", mul_dbl);
function div_int(x, y) { return x / y; }
for (let i = 0; i < 1500; i++) div_int(i % 7 + 1, i % 5 + 1);
table("div_int", div_int);
function div_dbl(x, y) { return x / y; }
for (let i = 0; i < 1500; i++) div_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("div_dbl", div_dbl);
function mod_int(x, y) { return x % y; }
for (let i = 0; i < 1500; i++) mod_int(i % 7 + 1, i % 5 + 1);
table("mod_int", mod_int);
function mod_dbl(x, y) { return x % y; }
for (let i = 0; i < 1500; i++) mod_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("mod_dbl", mod_dbl);
function pow_int(x, y) { return x ** y; }
for (let i = 0; i < 1500; i++) pow_int(i % 7 + 1, i % 5 + 1);
table("pow_int", pow_int);
function pow_dbl(x, y) { return x ** y; }
for (let i = 0; i < 1500; i++) pow_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("pow_dbl", pow_dbl);
function neg_int(x, y) { return -x + y * 0; }
for (let i = 0; i < 1500; i++) neg_int(i % 7 + 1, i % 5 + 1);
table("neg_int", neg_int);
function neg_dbl(x, y) { return -x + y * 0; }
for (let i = 0; i < 1500; i++) neg_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("neg_dbl", neg_dbl);
function floor_int(x, y) { return Math.floor(x) + y * 0; }
for (let i = 0; i < 1500; i++) floor_int(i % 7 + 1, i % 5 + 1);
table("floor_int", floor_int);
function floor_dbl(x, y) { return Math.floor(x) + y * 0; }
for (let i = 0; i < 1500; i++) floor_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("floor_dbl", floor_dbl);
function ceil_int(x, y) { return Math.ceil(x) + y * 0; }
for (let i = 0; i < 1500; i++) ceil_int(i % 7 + 1, i % 5 + 1);
table("ceil_int", ceil_int);
function ceil_dbl(x, y) { return Math.ceil(x) + y * 0; }
for (let i = 0; i < 1500; i++) ceil_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("ceil_dbl", ceil_dbl);
function round_int(x, y) { return Math.round(x) + y * 0; }
for (let i = 0; i < 1500; i++) round_int(i % 7 + 1, i % 5 + 1);
table("round_int", round_int);
function round_dbl(x, y) { return Math.round(x) + y * 0; }
for (let i = 0; i < 1500; i++) round_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("round_dbl", round_dbl);
function trunc_int(x, y) { return Math.trunc(x) + y * 0; }
for (let i = 0; i < 1500; i++) trunc_int(i % 7 + 1, i % 5 + 1);
table("trunc_int", trunc_int);
function trunc_dbl(x, y) { return Math.trunc(x) + y * 0; }
for (let i = 0; i < 1500; i++) trunc_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("trunc_dbl", trunc_dbl);
function abs_int(x, y) { return Math.abs(x) + y * 0; }
for (let i = 0; i < 1500; i++) abs_int(i % 7 + 1, i % 5 + 1);
table("abs_int", abs_int);
function abs_dbl(x, y) { return Math.abs(x) + y * 0; }
for (let i = 0; i < 1500; i++) abs_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("abs_dbl", abs_dbl);
function sign_int(x, y) { return Math.sign(x) + y * 0; }
for (let i = 0; i < 1500; i++) sign_int(i % 7 + 1, i % 5 + 1);
table("sign_int", sign_int);
function sign_dbl(x, y) { return Math.sign(x) + y * 0; }
for (let i = 0; i < 1500; i++) sign_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("sign_dbl", sign_dbl);
function min_int(x, y) { return Math.min(x, y); }
for (let i = 0; i < 1500; i++) min_int(i % 7 + 1, i % 5 + 1);
table("min_int", min_int);
function min_dbl(x, y) { return Math.min(x, y); }
for (let i = 0; i < 1500; i++) min_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("min_dbl", min_dbl);
function max_int(x, y) { return Math.max(x, y); }
for (let i = 0; i < 1500; i++) max_int(i % 7 + 1, i % 5 + 1);
table("max_int", max_int);
function max_dbl(x, y) { return Math.max(x, y); }
for (let i = 0; i < 1500; i++) max_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("max_dbl", max_dbl);
function sqrt_int(x, y) { return Math.sqrt(x) + y * 0; }
for (let i = 0; i < 1500; i++) sqrt_int(i % 7 + 1, i % 5 + 1);
table("sqrt_int", sqrt_int);
function sqrt_dbl(x, y) { return Math.sqrt(x) + y * 0; }
for (let i = 0; i < 1500; i++) sqrt_dbl(i % 7 + 0.25, i % 5 + 1.5);
table("sqrt_dbl", sqrt_dbl);
// the dividend from a packed double array, in a compiled loop
function lastMod(a, y) { let r = 1; for (let i = 0; i < a.length; i++) r = a[i] % y; return r; }
const a = [0.5, 1.5, 7, -0];
let t = 0;
for (let i = 0; i < 3000; i++) t += lastMod(a, 2) + lastMod(a, 2.5);
lines.push("array " + show(lastMod(a, 2)) + " " + show(lastMod(a, 3)) + " " + show(lastMod(a, 2.5)) + " " + t);
// a loop whose accumulator meets -0 from a double
function loopMod(n, z) { let r = 0; for (let i = 0; i < n; i++) r = z % 5; return r; }
for (let i = 0; i < 300; i++) loopMod(50, 3);
lines.push("loop " + show(loopMod(50, -0)) + " " + show(loopMod(50, 7)) + " " + show(loopMod(50, -10)));
// int32 locals whose result is -0: each must leave the int32 representation
function negOfZero(n) { let r = 0; for (let i = 0; i < n; i++) { let z = i - i; r = -z; } return r; }
function negTimes(n) { let r = 0; for (let i = 0; i < n; i++) { let z = i % 3; r = -z * 1; } return r; }
function timesMinusOne(n) { let r = 0; for (let i = 0; i < n; i++) { const k = i & 0; r = k * -1; } return r; }
function zeroTimes(n) { let r = 0; for (let i = 0; i < n; i++) { r = -(i * 0); } return r; }
function countDownMod(n) { let r = 0; for (let i = n; i > -1; i--) { r = i % 4; } return r; }
let ints = "";
for (let t = 0; t < 200; t++) {
  ints = [negOfZero(30), negTimes(30), timesMinusOne(30), zeroTimes(30), countDownMod(30)].map(show).join(" ");
}
lines.push("int32 " + ints);
console.log(lines.join("\n"));
