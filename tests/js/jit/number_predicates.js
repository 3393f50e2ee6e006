// Number.isInteger/isSafeInteger/isFinite/isNaN, the globals isNaN/isFinite and
// Number's constants compile as tests of a double's bits (each global and
// property checked at every entry to be the built-in still): node's answers
// for -0, NaN, the infinities, 2**53 and its neighbours, halves, booleans.
const xs = [0, -0, 1, -1, 0.5, -2.5, 3e300 * 1e10, -1 / 0, NaN, 2 ** 53, 2 ** 53 - 1, -(2 ** 53) + 1, 1e21, 4.0000000001, Number.MIN_VALUE];
function census(n) {
  let a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i % xs.length];
    if (Number.isInteger(x)) a++;
    if (Number.isSafeInteger(x)) b++;
    if (Number.isFinite(x)) c++;
    if (Number.isNaN(x)) d++;
    if (isNaN(x) || isNaN(i > n ? true : false)) e++;
    if (isFinite(x) && isFinite(i % 2 === 0)) f++;
  }
  return [a, b, c, d, e, f].join();
}
console.log(census(30000));
function constants(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = (i % 7) * Number.EPSILON;
    if (x < Number.MAX_SAFE_INTEGER && x > Number.MIN_SAFE_INTEGER && x < Number.MAX_VALUE) s += x > Number.MIN_VALUE ? 1 : 0;
    if (Number.POSITIVE_INFINITY > x && Number.NEGATIVE_INFINITY < x && !(Number.NaN === Number.NaN)) s += 2;
  }
  return s;
}
console.log(constants(30000));
// replaced between entries: the next entry calls the program's
function count(n) { let k = 0; for (let i = 0; i < n; i++) if (Number.isInteger(i / 2)) k++; return k; }
console.log(count(20000));
Number.isInteger = (v) => v > 100;
console.log(count(20000));
function nan(n) { let k = 0; for (let i = 0; i < n; i++) if (isNaN(i / (i % 3))) k++; return k; }
console.log(nan(20000));
globalThis.isNaN = (v) => true;
console.log(nan(20000));
// of a string or an object: stays interpreted (isNaN converts, Number.isNaN does not)
function others(n) { let k = 0; const ss = ["1", "x", ""]; for (let i = 0; i < n; i++) { const s = ss[i % 3]; if (Number.isNaN(s)) k++; if (isFinite(s)) k += 2; } return k; }
console.log(others(20000));
