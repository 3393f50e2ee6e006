// Inline-cache traffic: records of 4 hidden classes (the same 8 keys in 4
// orders) flow through 24 reader functions of 16 property sites each, made
// with the Function constructor -- 384 sites, each patched once per shape
// (4-way polymorphic): 1536 patches of live code, each through the code
// cache's write window.  Each reader loops over the records, so it is worth
// compiling when the interpreter calls it (a loopless one would stay
// interpreted, and nothing would be patched).  The figure includes
// compiling and patching.
const N = typeof SIZE === "number" ? SIZE : 200;
const KEYS = ["a", "b", "c", "d", "e", "f", "g", "h"];
function record(k, v) {
  const o = {};
  for (let j = 0; j < 8; j++) o[KEYS[(j * (2 * k + 1) + k) % 8]] = v + j;
  return o;
}
const records = [];
for (let k = 0; k < 4; k++) records.push(record(k, k));
const readers = [];
for (let r = 0; r < 24; r++) {
  const terms = [];
  for (let j = 0; j < 16; j++) terms.push(`o.${KEYS[(j + r) % 8]} * ${(j % 5) + 1}`);
  const body = `let s = 0; for (let i = 0; i < n; i++) { const o = rs[i & 3]; s += ${terms.join(" + ")}; } return s;`;
  readers.push(new Function("rs", "n", body));
}
const t0 = performance.now();
let sum = 0;
for (let i = 0; i < N; i++)
  for (let r = 0; r < readers.length; r++) sum += readers[r](records, 4);
console.log("ics", N, sum, "ms", performance.now() - t0);
