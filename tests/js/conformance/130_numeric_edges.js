// Integer and rounding operators, Math.round/floor/ceil/trunc/min/max with -0, parseInt/parseFloat/Number on odd strings
let seed = 11; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const buf = new Float64Array(1); const u32 = new Uint32Array(buf.buffer);
const vals = [0, -0, 1, -1, 0.5, -0.5, 2 ** 31, -(2 ** 31), 2 ** 32, 2 ** 53, NaN, Infinity, -Infinity, 1e21, 4294967295.5];
for (let i = 0; i < 300; i++) {
  if (i % 2) { u32[0] = Math.floor(rnd() * 4294967296); u32[1] = Math.floor(rnd() * 4294967296); vals.push(buf[0]); }
  else vals.push((rnd() - 0.5) * Math.pow(2, Math.floor(rnd() * 70)));
}
const out = [];
const fmt = (v) => Object.is(v, -0) ? "-0" : String(v);
for (let i = 0; i < vals.length; i++) {
  const a = vals[i], b = vals[(i * 7 + 3) % vals.length];
  out.push([a | 0, a >>> 0, a >> 3, a << 5, ~a, a & b, a ^ b, a % b, a / b, a * b, a - b, Math.round(a), Math.floor(a), Math.ceil(a), Math.trunc(a), Math.sign(a), Math.fround(a), Math.clz32(a), Math.imul(a, b), parseInt(String(a)), parseFloat(String(a)), Number(String(a)), a % 7, -a % 3].map(fmt).join(" "));
}
const strs = ["", " 12 ", "0x1F", "0b101", "0o17", "1e3", "-.5", "+.5e-3", "Infinity", "-Infinity", "1_000", "12px", "  \n 42\t", "0.1e", "1e", ".", "-0", "00012", "0x", "1.2.3", "9007199254740993", "1e400", "-1e-400", "\u00a0 7"];
for (const s of strs) out.push([JSON.stringify(s), Number(s), parseInt(s), parseFloat(s), parseInt(s, 16), +s, s * 1, Math.max(s, 0)].map(fmt).join(" "));
console.log(out.join("\n"));
function f(a, b) { return [Math.max(a, b), Math.min(a, b), Math.ceil(a), Math.trunc(a), Math.round(a), Math.floor(a)]; }
function g(a, b) { let s = 0; for (let i = 0; i < 3; i++) { s = Math.max(a, b) + Math.min(a, b) * 0 + Math.ceil(a) + Math.round(a); } return Object.is(Math.max(a, b), -0) ? "max-0" : (Object.is(Math.min(a, b), -0) ? "min-0" : "ok") ; }
function h(a, b) { return Math.max(a, b); }
function k(a) { return Math.ceil(a); }
for (let i = 0; i < 5; i++) { console.log(Object.is(h(-0, 0), -0), Object.is(h(0, -0), -0), Object.is(k(-0.5), -0), 1 / h(-0, 0), 1 / k(-0.25)); }
console.log(f(-0, 0).map(v => Object.is(v, -0) ? "-0" : v), f(-0.5, -0).map(v => Object.is(v, -0) ? "-0" : v));
