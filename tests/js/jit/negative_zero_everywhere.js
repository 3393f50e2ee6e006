// -0 through every compiled numeric operation, on doubles and on int32s:
// each operation is a function compiled after warm-up with ordinary values
// (whole numbers for the _int ones, fractions for the _dbl ones), then
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
// each operation twice, as separate functions (one warmed with int32s, one
// with doubles), made from its text: a function of its own, compiled alone
const ops = {
  add: "x + y", sub: "x - y", mul: "x * y", div: "x / y", mod: "x % y", pow: "x ** y",
  neg: "-x + y * 0", floor: "Math.floor(x) + y * 0", ceil: "Math.ceil(x) + y * 0",
  round: "Math.round(x) + y * 0", trunc: "Math.trunc(x) + y * 0", abs: "Math.abs(x) + y * 0",
  sign: "Math.sign(x) + y * 0", min: "Math.min(x, y)", max: "Math.max(x, y)", sqrt: "Math.sqrt(x) + y * 0",
};
for (const [name, body] of Object.entries(ops)) {
  for (const [kind, dx, dy] of [["int", 1, 1], ["dbl", 0.25, 1.5]]) {
    const f = new Function("x", "y", "return " + body + ";");
    for (let i = 0; i < 1500; i++) f(i % 7 + dx, i % 5 + dy);
    table(name + "_" + kind, f);
  }
}
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
