// `const a = new Array(n); a.fill(v);` (AWFY's Sieve allocates its flags so)
// compiles as `new Array(n).fill(v)`: a packed array of numbers or booleans.
// Output must be node's, with Array.prototype.fill replaced halfway too.
class Sieve {
  benchmark(size) {
    const flags = new Array(size);
    flags.fill(true);
    return this.sieve(flags, size);
  }
  sieve(flags, size) {
    let primeCount = 0;
    for (let i = 2; i <= size; i += 1) {
      if (flags[i - 1]) {
        primeCount += 1;
        let k = i + i;
        while (k <= size) { flags[k - 1] = false; k += i; }
      }
    }
    return primeCount;
  }
}
let ZERO = 0.5;
function sums(n) {
  let a = new Array(n);
  a.fill(-1);
  const b = new Array(n);
  b.fill(ZERO);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] + b[i];
  return s + a.length;
}
function itself(n) {
  const c = new Array(n);
  c.fill(c.length);  // (reads the array itself: not merged -- stays interpreted, still right)
  return c[n - 1] + c.length;
}
const sv = new Sieve();
let primes = 0;
for (let r = 0; r < 300; r++) primes += sv.benchmark(500 + (r % 3));
console.log("primes", primes);
let t = 0;
for (let r = 0; r < 300; r++) t += sums(20 + (r % 5)) + itself(3);
console.log("sums", t);
function bad(n) {
  const a = new Array(n);
  a.fill(0);
  return a.length;
}
let lens = 0;
for (let r = 0; r < 300; r++) lens += bad(r % 7);
try { bad(-1); } catch (e) { console.log(e.constructor.name, e.message); }
console.log("lens", lens);
// the built-in replaced: the compiled declarations must see the new fill
const orig = Array.prototype.fill;
Array.prototype.fill = function (v) { orig.call(this, v === true ? false : 7); return "not the array"; };
console.log("after", sv.benchmark(50), sums(4), bad(3));
Array.prototype.fill = orig;
console.log("restored", sv.benchmark(50), sums(4));
