// A Float64Array is read and written by compiled code in place, as a packed
// array of numbers: its memory is its buffer's, so other views of that
// buffer see every compiled store, and what compiled code cannot do (a
// store past the end, which JS ignores; a read past it, undefined) goes
// back to the interpreter.  Output compared with node's.
function fill(a, k) { for (let i = 0; i < a.length; i++) a[i] = i * k; return a.length; }
function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }
function dot(x, y) { let t = 0; for (let i = 0; i < x.length; i++) t += x[i] * y[i]; return t; }
function storeAt(a, i, v) { a[i] = v; return a[i]; }
function readAt(a, i) { return a[i]; }

const buf = new ArrayBuffer(8 * 64);
const f = new Float64Array(buf);
const bytes = new Uint8Array(buf);
const tail = new Float64Array(buf, 8 * 32, 16);      // a view in the middle of the same memory
const plain = [];
for (let i = 0; i < 64; i++) plain.push(i + 0.5);
const out = [];
for (let r = 0; r < 2000; r++) {
  fill(f, 1.5);
  fill(plain, 2);                                     // one unit, given both kinds of array
  out.length = 0;
  out.push(sum(f), sum(plain), dot(f, plain), sum(tail));
}
out.push(bytes[8], bytes[15], bytes[8 * 33 + 7]);     // the bytes compiled stores wrote
fill(tail, -1);
out.push(f[32], f[47], f[48], sum(f));
for (let r = 0; r < 1000; r++) storeAt(f, r % 64, r);
out.push(String(storeAt(f, 64, 7)), String(storeAt(f, -1, 7)), f.length);  // ignored: undefined back
out.push(String(readAt(f, 64)), String(readAt(f, 1e9)), readAt(f, 63));
storeAt(f, 0, NaN);
storeAt(f, 1, -0);
out.push(String(f[0]), 1 / f[1], Object.is(readAt(f, 1), -0));
const same = new Float64Array(8);
for (let r = 0; r < 1000; r++) { fill(same, 1); dot(same, same); }
out.push(dot(same, same), sum(same));
let caught = "";
function throwsMidway(a) { for (let i = 0; i < a.length; i++) { a[i] = -i; if (i === 5 && a.length === 8) throw new Error("at " + i); } return 0; }
for (let r = 0; r < 300; r++) throwsMidway(f);
try { throwsMidway(same); } catch (e) { caught = e.message; }
out.push(caught, Array.from(same).join(","));
// a typed array's elements stay writable whatever is locked: node refuses to
// freeze one with elements, and seals it (or stops its extension) as it is
for (const lock of ["freeze", "seal", "preventExtensions"]) {
  const a = new Float64Array(4);
  let msg = "locked";
  try { Object[lock](a); } catch (e) { msg = e.constructor.name + ": " + e.message; }
  for (let r = 0; r < 300; r++) fill(a, 3);
  out.push(lock + " " + msg + " " + sum(a));
}
console.log(out.join("\n"));
