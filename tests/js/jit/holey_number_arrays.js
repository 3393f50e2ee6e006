// An array of numbers with holes (fannkuch's `count`, whose element 0 is
// never set) is compiled code's: its elements copied at entry, a hole as a
// NaN no arithmetic or store makes.  Reading a hole leaves for the
// interpreter; a store fills a hole; what compiled code changed (and only
// that: a hole not stored to stays a hole, a store undone by a rollback
// never lands) goes back when it leaves.  Output: node's.
function fannkuch(n) {
  const perm = new Array(n), perm1 = new Array(n), count = new Array(n);
  let maxFlips = 0, checksum = 0, r = n, permCount = 0;
  for (let i = 0; i < n; i++) perm1[i] = i;
  while (true) {
    while (r !== 1) { count[r - 1] = r; r--; }
    for (let i = 0; i < n; i++) perm[i] = perm1[i];
    let flips = 0, k;
    while ((k = perm[0]) !== 0) {
      const k2 = (k + 1) >> 1;
      for (let i = 0; i < k2; i++) { const t = perm[i]; perm[i] = perm[k - i]; perm[k - i] = t; }
      flips++;
    }
    if (flips > maxFlips) maxFlips = flips;
    checksum += permCount % 2 === 0 ? flips : -flips;
    while (true) {
      if (r === n) return [checksum, maxFlips, 0 in count, count.length, count.join(",")];
      const p0 = perm1[0];
      for (let i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = p0;
      count[r]--;
      if (count[r] > 0) break;
      r++;
    }
    permCount++;
  }
}
const out = [String(fannkuch(7))];
// stores fill holes; reads of holes leave (undefined in the interpreter: NaN in the sum)
function sumEvery(a, step) { let s = 0; for (let i = 0; i < a.length; i += step) s += a[i]; return s; }
function fillOdd(a, v) { for (let i = 1; i < a.length; i += 2) a[i] = v * i; return a.length; }
const h = [];
h[9] = 1;
for (let r = 0; r < 300; r++) { const g = [, 1, , 3, , 5, 6, 7, 8, 9]; fillOdd(g, r); sumEvery(g, 2); sumEvery(g, 3); }
fillOdd(h, 2);
out.push(sumEvery(h, 1), h.join(","), Object.keys(h).join(","), h.filter(() => true).length);
// a hole reads as undefined, not as a NaN: x !== x is false for it, true for a NaN
function nans(a) { let n = 0; for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) n++; return n; }
for (let r = 0; r < 300; r++) nans([NaN, 1, , 3]);
out.push(nans([NaN, , 2, , NaN]), nans([, , , 1]));
// NaN and -0 stored, then read by the interpreter; a NaN whose bits are a hole's stays a number
const bits = new Uint32Array(2);
bits[0] = 1; bits[1] = 0x7ff40000;
const odd = new Float64Array(bits.buffer)[0];
function put(a, i, v) { a[i] = v; return a.length; }
for (let r = 0; r < 300; r++) put([1, , 3], r % 3, r);
const special = [1, , 3, , 5];
put(special, 1, NaN); put(special, 3, -0); put(special, 4, odd);
out.push(String(special[1]), 1 / special[3], String(special[4]), 4 in special, Object.keys(special).join(","));
// a unit leaving half-way through an iteration: that iteration's stores undone (else the interpreter,
// running it again, adds twice), holes after it kept
function scatter(a, extra, n) {
  let s = 0;
  for (let i = 0; i < n; i++) { a[i * 2] += i + 0.5; s += extra[i]; }
  return s;
}
for (let r = 0; r < 300; r++) scatter([0, , 0, , 0, , 0, , 0, ,], [1, 2, 3, 4, 5], 5);
const sc = [0, , 0, , 0, , 0, , 0, , 7];
out.push(scatter(sc, [1, 2, 3], 5), sc.join(","), Object.keys(sc).join(","));
// a throw half-way keeps the stores before it
function until(a, stop) { for (let i = 0; i < a.length; i++) { a[i] = i * 3; if (i === stop) throw new Error("at " + i); } }
for (let r = 0; r < 300; r++) until([, 1, , 2], 99);
const th = [, , , , 9, , ];
try { until(th, 2); } catch (e) { out.push(e.message, th.join(","), Object.keys(th).join(",")); }
// the same array's kind changes between calls: objects stored by the interpreter, then holes again
function total(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }
const m = [1, , 3];
for (let r = 0; r < 300; r++) total(m);
m[1] = { valueOf() { return 50; } };
out.push(total(m));
delete m[1];
m[0] = 0.25;
out.push(total(m), m.length, 1 in m);
console.log(out.join("\n"));
