// Typed arrays: each kind's conversion of random doubles (wrapping, clamping half to even, float32 rounding and overflow)
let seed = 17; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const vals = [0, -0, 0.5, 1.5, 2.5, -0.5, -1.5, 254.5, 255.5, 256, -129, 127.9, 1e10, -1e10, NaN, Infinity, -Infinity, 3.4e38, 3.5e38, 1e-46, 0.1, 65535.5, 2 ** 31, -(2 ** 31) - 1];
for (let i = 0; i < 60; i++) vals.push((rnd() - 0.5) * Math.pow(2, Math.floor(rnd() * 40)));
const kinds = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
for (const K of kinds) {
  const a = new K(vals.length);
  vals.forEach((v, i) => { a[i] = v; });
  console.log(K.name, Array.from(a).map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(","));
}
console.log(new Float32Array([0.1, 1 / 3, 1e-40]), new Uint8ClampedArray([1.5, 2.5, -3, 300]), new Int16Array([40000, -40000]));
const f = new Float64Array([3, 1, NaN, -0, 0, -Infinity, 2]); f.sort(); console.log(f);
const u = new Uint8Array([5, 1, 4]); console.log(u.map((x) => x * 100), u.filter((x) => x > 1), u.reduce((s, x) => s + x), u.join("-"), u.indexOf(4), u.reverse(), u.subarray(1), u.slice(-2));
