// Number to text: String, toFixed, toPrecision, toExponential (ties round up on the exact value), toString(radix) as V8 writes them
let seed = 7; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const buf = new Float64Array(1); const u32 = new Uint32Array(buf.buffer);
const out = [];
for (let i = 0; i < 1500; i++) {
  let x;
  if (i % 3 === 0) { u32[0] = Math.floor(rnd() * 4294967296); u32[1] = Math.floor(rnd() * 4294967296); x = buf[0]; }
  else if (i % 3 === 1) x = (rnd() - 0.5) * Math.pow(10, Math.floor(rnd() * 40) - 20);
  else x = Math.round(rnd() * 1e6) / Math.pow(10, Math.floor(rnd() * 8));
  if (!Number.isFinite(x)) continue;
  const k = i % 21, p = 1 + (i % 21), r = 2 + (i % 35);
  let row = [String(x), x.toFixed(k), x.toPrecision(p), x.toExponential(k % 21)];
  if (Math.abs(x) < 1e21) row.push(x.toString(r));
  out.push(row.join(" "));
}
console.log(out.join("\n"));
console.log((-1e-10).toFixed(2), (-0).toFixed(2), (-0.0001).toFixed(0), (4.2e17).toFixed(20), (1.005).toFixed(2), (-1.5).toFixed(0), (1.1496515488303676e+61).toFixed(3));
console.log((0).toExponential(2), (0).toExponential(), (-0).toPrecision(3), (9.995).toPrecision(3), (99.5).toPrecision(2), (1e21).toPrecision(3), (5e-324).toExponential(3), (0.1).toString(3), (255.5).toString(16), (2 ** 60).toString(7), (-0.5).toString(2));
