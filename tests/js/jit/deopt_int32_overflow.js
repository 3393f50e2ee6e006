// Values speculated int32 that leave the range, or become -0 or fractional:
// each check fails once, the unit is compiled again with doubles, and every
// result is what the interpreter (and node) print.
function grow(n) { let x = 1; for (let i = 0; i < n; i++) x = x * 3 + 1; return x; }
console.log(grow(3), grow(10), grow(25), grow(40));
function hash(n) { let h = 7; for (let i = 0; i < n; i++) h = (h * 31 + i) | 0; return h; }
console.log(hash(3), hash(10), hash(5000));
function count(n) { let c = 2147483640; for (let i = 0; i < n; i++) c++; return c; }
console.log(count(1), count(5), count(20), count(3));
function negzero(n) { let z = 1; for (let i = 0; i < n; i++) z = (i - 3) * 0; return z; }
console.log(Object.is(negzero(1), 0), Object.is(negzero(0), 1), Object.is(negzero(2), -0), Object.is(negzero(5), 0), 1 / negzero(2));
function rem(n) { let r = 0; for (let i = 0; i < n; i++) r += (i - 5) % 3; return r; }
console.log(rem(1), rem(4), rem(20), Object.is(-6 % 3, -0));
let total = 0;
for (let i = 0; i < 3000; i++) total += i;
total += 0.5;
for (let i = 0; i < 3000; i++) total += i;
console.log(total);
let k = 0;
for (let j = 0; j < 5000; j++) { k += j; if (j === 4000) k = k / 3; }
console.log(k);
let big = 2147483000;
for (let j = 0; j < 2000; j++) big += 1;
console.log(big, -2147483648 - 1, 65536 * 65536, (2 ** 31) | 0, 1 << 31, ~2147483647);
const arr = [1.5, 2.5, 3.5];
let acc = 0;
for (let i = 0; i < 4000; i++) acc += arr[i % arr.length] + arr.length;
console.log(acc);
