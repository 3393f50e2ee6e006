// Every typed array kind is read and written by compiled code in place, at
// its element's width: stores convert as JS says (ToInt32 wrapped to the
// width, Uint8ClampedArray clamped and rounded half to even, Float32Array
// rounded to a float), reads give int32s (or doubles for Uint32/Float32),
// other views of the buffer see each store, and a unit that leaves half-way
// through an iteration has its narrow stores undone byte-exactly (the undo
// log restores the element's width, nothing around it).  Output: node's.
const KINDS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array];
const VALUES = [0, 1, -1, 127, 128, 255, 256, -129, 32767, 32768, 65535, 65536, 2147483647, 2147483648,
  4294967295, 4294967296, 4294967301, -2147483648, -2147483649, 0.5, 1.5, 2.5, -0.5, 254.5, 255.5, 3.7, -3.7,
  0.1, 1e40, NaN, Infinity, -Infinity, -0, 1e20, -1e20, 123456789.75];
const out = [];
for (const K of KINDS) {
  // one set of functions per kind (each site sees one kind, so each compiles)
  const put = new Function("a", "i", "v", "a[i] = v; return a[i];");
  const putInt = new Function("a", "k", "for (let i = 0; i < a.length; i++) a[i] = (i * k) | 0; return a.length;");
  const putBool = new Function("a", "t", "for (let i = 0; i < a.length; i++) a[i] = t; return a[0];");
  const sum = new Function("a", "let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s;");
  const bump = new Function("a", "for (let i = 0; i < a.length; i++) { a[i] += 3; a[i]++; } return a[a.length - 1];");
  const at = new Function("a", "i", "return a[i];");
  const a = new K(16);
  for (let r = 0; r < 300; r++) { put(a, r % 16, r); putInt(a, r); sum(a); bump(a); at(a, r % 16); putBool(a, r % 2 === 0); }
  const stored = VALUES.map((v) => String(put(a, 5, v)));
  out.push(K.name + " stores: " + stored.join(" "));
  putInt(a, 40000007);
  out.push(K.name + " int stores: " + Array.from(a).join(" ") + " sum " + sum(a));
  out.push(K.name + " bools: " + putBool(a, true) + " " + putBool(a, false) + " bump " + bump(a) + " sum " + sum(a));
  out.push(K.name + " past the end: " + String(at(a, 16)) + " " + String(at(a, -1)) + " " + String(put(a, 16, 9)) + " " + a.length);
}
// int32 sums that overflow (the unit is compiled again with doubles)
const big = new Int32Array(64).fill(2147483647);
const sumI = (a) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; };
for (let r = 0; r < 300; r++) sumI(new Int32Array(8).fill(r));
out.push("overflowing sum " + sumI(big) + " " + sumI(new Int32Array(4).fill(-2147483648)));
// views of one buffer see every compiled store
const buf = new ArrayBuffer(64);
const words = new Int32Array(buf), bytes = new Uint8Array(buf), halves = new Int16Array(buf, 8, 12);
const fillWords = (w, k) => { for (let i = 0; i < w.length; i++) w[i] = i * k - 5; };
const fillHalves = (h) => { for (let i = 0; i < h.length; i++) h[i] = -i * 1000; };
for (let r = 0; r < 300; r++) { fillWords(words, r); fillHalves(halves); }
out.push("bytes " + Array.from(bytes).join(","));
out.push("words " + Array.from(words).join(","));
// a unit that leaves in the middle of an iteration, after narrow stores: undone exactly (the elements
// after them, never stored again, keep their values), then the interpreter goes on
function scatter(a, extra, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    a[i] = i * 37 + 1;
    a[(i + 1) % a.length] += 7;
    s += extra[i];          // past extra's end: the unit leaves, its stores of this iteration undone
  }
  return s;
}
for (const K of KINDS) {
  const tail = new K(13);
  const ex = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  for (let r = 0; r < 200; r++) scatter(tail, ex, 13);
  const odd = new K(13).fill(9);
  const last = new K(13).fill(-3);
  out.push(K.name + " left half-way: " + scatter(odd, [1, 2, 3, 4, 5, 6], 7) + " " + Array.from(odd).join(",")
    + " at the end: " + scatter(last, ex.slice(0, 12), 13) + " " + Array.from(last).join(","));
}
// a throw half-way through a compiled loop keeps the stores before it
function until(a, stop) { for (let i = 0; i < a.length; i++) { a[i] = 200 + i; if (i === stop) throw new Error("stopped at " + i); } }
const u8 = new Uint8Array(9);
for (let r = 0; r < 300; r++) until(u8, 100);
try { until(u8.fill(0), 4); } catch (e) { out.push(e.message + " " + Array.from(u8).join(",")); }
console.log(out.join("\n"));
