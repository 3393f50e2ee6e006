const a = [1, 2]; a.push(a); console.log(a);
const o = { name: "o" }; o.self = o; console.log(o);
class Node2 { constructor() { this.next = this; } } console.log(new Node2());
console.log(Math.hypot(3, 4), Math.cbrt(27), Math.log2(8), Math.log10(1000), Math.clz32(1), Math.imul(3, 4), Math.fround(5.5), Math.sinh(0), Math.expm1(0), Math.log1p(0), Math.asin(1), Math.acos(1), Math.atan(1), Math.LN2, Math.SQRT2, Math.LOG2E);
console.log(Number.isInteger(5), Number.isInteger(5.5), Number.isFinite(1 / 0), Number.isNaN(NaN), Number.parseFloat("1.5x"), (1234.5678).toPrecision(6), (0.000123).toPrecision(2), (255).toString(16), isFinite("12"), (12345.6789).toExponential(2));
const t0 = Date.now(); const d = new Date(); console.log(typeof t0, t0 > 1.6e12, d.getTime() >= t0, typeof (new Date() - d), new Date(0).toISOString(), new Date(86400000).getUTCDate());
console.log(Number("0x1f"), Number(""), Number(" 12 "), Number("1e3"), parseInt("08"), (25).toString(2), Number.MAX_SAFE_INTEGER + 2);
