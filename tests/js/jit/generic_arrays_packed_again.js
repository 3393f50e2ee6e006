// Arrays that went generic (new Array(n), filled by index; a string stored
// and replaced) are packed again where the JIT looks at them, once every
// element is a number (or every one a boolean): compiled code then reads
// them.  After that they must behave exactly as before -- a later
// non-number makes them generic again, a hole keeps them generic.
function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }
function countTrue(a) { let c = 0; for (let i = 0; i < a.length; i++) if (a[i]) c++; return c; }
function bump(a, k) { for (let i = 0; i < a.length; i++) a[i] = a[i] + k; return a.length; }

const byIndex = new Array(50);
for (let i = 0; i < 50; i++) byIndex[i] = i * 1.5;
const flags = new Array(40);
for (let i = 0; i < 40; i++) flags[i] = i % 3 === 0;
const wasString = [1, 2, 3, 4];
wasString[2] = "three";
wasString[2] = 3;
const holey = new Array(10);
for (let i = 1; i < 10; i++) holey[i] = i;

let out = [];
for (let r = 0; r < 2000; r++) {
  const s = sum(byIndex) + countTrue(flags) + sum(wasString);
  if (r % 500 === 0) out.push(s);
}
bump(byIndex, 1);
out.push(sum(byIndex), byIndex[49]);
byIndex[10] = "x";                         // generic again: the sum is a string now
out.push(sum(byIndex).slice(0, 20), byIndex.length);
byIndex[10] = 16;
for (let r = 0; r < 300; r++) bump(byIndex, 0.5);
out.push(sum(byIndex), byIndex[10]);
flags.push(true);
flags[3] = 0;                              // a number among booleans: generic, and 0 is falsy
out.push(countTrue(flags), flags.length);
out.push(String(sum(holey)), holey[0], 0 in holey);
holey[0] = 0;
for (let r = 0; r < 300; r++) sum(holey);
out.push(sum(holey), 0 in holey);
const alias = new Array(3);
alias[0] = 1; alias[1] = 2; alias[2] = 3;
function twice(a, b) { for (let i = 0; i < a.length; i++) b[i] = a[i] * 2; return a[0] + b[0]; }
let t = 0;
for (let r = 0; r < 1000; r++) t = twice(alias, alias);
out.push(t > 1e300 ? "inf-ish" : t, alias.join(","));
// a locked array of numbers is a list on purpose (its stores are the
// interpreter's checks): never packed again, never written past its lock
function setAll(a, v) { for (let i = 0; i < a.length; i++) a[i] = v; return a[0]; }
function setStrict(a, v) { "use strict"; a[0] = v; return a[0]; }
const open = [1, 2, 3];
for (let r = 0; r < 2000; r++) setAll(open, r);
for (const lock of [Object.freeze, Object.seal, Object.preventExtensions]) {
  const a = lock([3, 1, 2]);
  for (let r = 0; r < 300; r++) setAll(a, 7);
  let msg = "ok";
  try { setStrict(a, 9); } catch (e) { msg = e.constructor.name; }
  out.push(a.join(","), sum(a), msg, Object.isFrozen(a));
}
console.log(out.join("\n"));
