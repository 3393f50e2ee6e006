// includes, indexOf and lastIndexOf of arrays of numbers, booleans and
// objects in hot loops: NaN (includes finds it, indexOf never), -0 and +0,
// a start from the end, past the end, fractional, NaN or infinite, objects
// by identity, null among holes, and a search for a missing value.
function numbers(n) {
  const a = [];
  for (let i = 0; i < 40; i++) a.push(i % 2 ? i * 1.5 : -i);
  a.push(NaN);
  a.push(-0);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const x = (i % 45) * 1.5;
    if (a.includes(x)) s += 1;
    s += a.indexOf(x) + a.lastIndexOf(-(i % 41));
    s += a.indexOf(x, (i % 7) - 3) + a.indexOf(-(i % 41), i % 50);
    s += a.lastIndexOf(x, (i % 90) - 45);
    if (a.includes(NaN)) s += 2;
    s += a.indexOf(NaN) + a.indexOf(0) + a.lastIndexOf(0) + (a.includes(-0, 41) ? 3 : 0);
    s += a.indexOf(x, 2.7) + a.indexOf(x, NaN) + a.indexOf(x, Infinity) + a.lastIndexOf(x, -Infinity);
    s += a.indexOf(x, -Infinity) + a.lastIndexOf(x, Infinity) + (a.includes(x, 100) ? 5 : 0);
  }
  return s;
}

function flags(n) {
  const a = [];
  for (let i = 0; i < 64; i++) a.push(i % 9 === 4);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const want = i % 3 === 0;
    s += a.indexOf(want, i % 70) + a.lastIndexOf(!want, (i % 80) - 40);
    if (a.includes(want, i % 66)) s += 7;
  }
  return s;
}

class P {
  constructor(k) {
    this.k = k;
  }
}
function objects(n) {
  const ps = [];
  for (let i = 0; i < 30; i++) ps.push(new P(i));
  const holey = new Array(20);
  for (let i = 0; i < 20; i += 3) holey[i] = ps[i];
  holey[10] = null;
  const other = new P(-1);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = ps[i % 30];
    s += ps.indexOf(p) + ps.lastIndexOf(p, (i % 40) - 20) + holey.indexOf(p) + holey.lastIndexOf(p);
    if (holey.includes(p, i % 25)) s += 3;
    if (holey.includes(null)) s += 1;
    s += holey.indexOf(null) + ps.indexOf(other) + (ps.includes(other) ? 100 : 0);
  }
  return s;
}

let t = 0;
for (let r = 0; r < 4; r++) t += numbers(5000) + flags(5000) + objects(5000);
console.log("searches", t);
console.log([1, NaN].includes(NaN), [1, NaN].indexOf(NaN), [0].indexOf(-0), [-0].includes(0), [1, 2, 3].lastIndexOf(3, -2));
