// A sieve over new Array(n).fill(true): a packed boolean array that compiled
// code loads as booleans and stores true/false into (elements kind BARR).
function sieve(n) {
  const flags = new Array(n + 1).fill(true);
  flags[0] = false;
  flags[1] = false;
  for (let i = 2; i * i <= n; i++) {
    if (flags[i]) {
      for (let j = i * i; j <= n; j += i) flags[j] = false;
    }
  }
  let count = 0;
  for (let i = 0; i <= n; i++) if (flags[i]) count++;
  return count;
}
function mark(a, v) {
  for (let i = 0; i < a.length; i++) a[i] = v;
  return a[0];
}
function numbers(a) {
  // storing numbers would change the array's kind: never compiled as a BARR store
  for (let i = 0; i < a.length; i++) a[i] = i;
  return a;
}
let total = 0;
for (let k = 0; k < 5; k++) total += sieve(20000);
console.log(total);
const arr = new Array(10).fill(false);
console.log(mark(arr, true), mark(arr, false), arr);
const q = [1.5, 2.5];
console.log(mark(q, 3), q);
for (let k = 0; k < 3; k++) console.log(numbers([true, false, true]));
