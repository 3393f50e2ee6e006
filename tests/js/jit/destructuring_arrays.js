// Array patterns in declarations over arrays that exist already: rows of a
// table, pairs, an array of objects with holes, strings, nested patterns, a
// pattern longer than the array (undefined: compiled code leaves), and the
// forms that keep the iterator's copy (a default, a rest, an array with its
// own iterator).
function rows(n) {
  const pts = [];
  for (let i = 0; i < 50; i++) pts.push([i, i * 2, i % 7]);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [x, y, z] = pts[i % 50];
    const [first] = pts[(i * 7) % 50];
    s += x * 3 + y - z + first;
  }
  return s;
}

function pairs(n) {
  const ps = [];
  for (let i = 0; i < 40; i++) ps.push([i, 40 - i]);
  let s = 0;
  for (let r = 0; r < n; r++) {
    for (const [k, v] of ps) s += k * v;
  }
  return s;
}

class P {
  constructor(k) {
    this.k = k;
  }
}
function objects(n) {
  const holey = new Array(6);
  holey[0] = new P(1);
  holey[2] = new P(3);
  holey[4] = null;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [a, b, c, d, e] = holey;
    s += a.k + c.k + (b === undefined ? 10 : 0) + (d === undefined ? 100 : 0) + (e === null ? 1000 : 0);
  }
  return s;
}

function words(n) {
  const ws = ["alpha", "beta", "gamma", "delta"];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [w1, , w3] = ws;
    s += w1.length * 10 + w3.length + (i % 3);
  }
  return s;
}

function nested(n) {
  const table = [];
  for (let i = 0; i < 20; i++) table.push([[i, i + 1], [i * 2]]);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [[a, b], [c]] = table[i % 20];
    s += a + b * c;
  }
  return s;
}

function short(n) {
  const p = [1, 2];
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [a, b, c] = p;
    s += a + b + (c === undefined ? 1 : 0);
  }
  return s;
}

function kept(n) {
  const p = [4, 5, 6];
  const q = [7, 8];
  q[Symbol.iterator] = function* () {
    yield 1;
    yield 2;
  };
  let s = 0;
  for (let i = 0; i < n; i++) {
    const [a = 9, b] = p;
    const [c, ...rest] = p;
    const [d, e] = i % 2 ? q : p;
    s += a + b + c + rest.length + d + e;
  }
  return s;
}

let t = 0;
for (let r = 0; r < 3; r++) {
  t += rows(20000) + pairs(500) + objects(20000) + words(20000) + nested(20000) + short(20000) + kept(3000);
}
console.log("destructured", t);
