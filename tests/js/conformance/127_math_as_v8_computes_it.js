// Math's transcendental functions give V8's (fdlibm's) results bit for bit, in the interpreter and in compiled code
const fns = ["sin", "cos", "tan", "exp", "log", "atan", "asin", "acos", "sinh", "cosh", "tanh", "log10", "log2", "expm1", "log1p", "cbrt", "atanh", "asinh", "acosh"];
function sample(f, i) {
  if (f === "acosh") return 1 + i * 0.0731;
  if (f === "asin" || f === "acos" || f === "atanh") return ((i % 200) / 200) * 0.999 * (i % 2 ? -1 : 1);
  return (i * 0.0731 - 4) * (i % 3 === 0 ? 37.3 : 1);
}
function table(f) {
  const out = [];
  for (let i = 1; i < 160; i++) out.push(Math[f](sample(f, i)));
  return out.join(" ");
}
for (const f of fns) console.log(f, table(f));
function mixed(n) { let s = 0; for (let i = 1; i <= n; i++) s += Math.sin(i * 0.37) * Math.cos(i * 0.11) + Math.exp(-i / n) + Math.log(i) + Math.atan2(i, 7) + Math.tan(i * 0.001); return s; }
for (let k = 0; k < 3; k++) console.log(mixed(2000 + k));
const edge = [0, -0, 1e-310, -1e-310, 1e-20, 0.5, 1, -1, 2, 700, 710, -745, -750, 1e6, 1e300, Infinity, -Infinity, NaN, Math.PI, Math.PI / 2, Math.PI / 4, 3 * Math.PI / 4];
for (const f of [...fns, "atan2", "hypot"]) console.log(f, edge.map((x) => (f === "atan2" || f === "hypot" ? Math[f](x, 0.75) : Math[f](x))).map((v) => Object.is(v, -0) ? "-0" : String(v)).join(" "));
console.log(Math.hypot(3, 4), Math.hypot(1e200, 1e200), Math.hypot(), Math.hypot(NaN, Infinity), Math.hypot(0.1, 0.2, 0.3), Math.hypot(-0));
console.log(Math.atan2(0, -0), Math.atan2(-0, -0), Math.atan2(Infinity, -Infinity), Math.atan2(-1, -Infinity), Math.atan2(1e308, 1e-308));
{
  const out = [];
  for (let i = 1; i < 120; i++) { out.push(Math.pow(1.0001 + i / 1000, i * 1.37)); out.push(Math.pow(i * 0.731, -2.5 + i / 97)); out.push((i / 7) ** (i % 13 - 6)); out.push(Math.pow(-i * 0.5, i % 9 - 4)); out.push(Math.pow(10, i / 11 - 18)); }
  const ed = [0, -0, 1, -1, 2, 0.5, -0.5, 3, -3, Infinity, -Infinity, NaN, 1e-310, 1e300, 2 ** 31 + 0.5, 2 ** 64, 1 + 2 ** -30];
  for (const a of ed) out.push(ed.map((b) => (Object.is(a ** b, -0) ? "-0" : String(a ** b))).join(" "));
  console.log(out.join("\n"));
  function powers(n) { let s = 0; for (let i = 1; i <= n; i++) s += (i * 0.731) ** (-2.5 + i / 97) + Math.pow(1.0001 + i / 1000, i * 1.37) + (i / 7) ** 2; return s; }
  for (let k = 0; k < 3; k++) console.log(powers(300 + k));
}
