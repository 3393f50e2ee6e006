// some, every and findIndex with an arrow compiled in place: a loop over the
// array that stops at the first answer.
const xs = [];
for (let i = 0; i < 200; i++) xs.push((i * 37) % 101);
const os = [];
for (let i = 0; i < 50; i++) os.push({ v: (i * 3) % 17, w: i });
function scan(r) {
  let s = 0;
  if (xs.some((x) => x > 99 - (r & 3))) s += 2;
  if (xs.every((x) => x >= (r % 50 === 7 ? 1 : 0))) s += 3;
  s += xs.findIndex((x) => x === r % 101);
  s += os.findIndex((o) => o.v === r % 20);
  if (os.some((o) => o.w > 48 && o.v > (r & 15))) s += 5;
  return s;
}
let s = 0;
for (let r = 0; r < 20000; r++) s += scan(r);
console.log("scan", s);

// booleans, the index parameter, and empty arrays
function flags(n) {
  const f = [];
  for (let i = 0; i < n; i++) f.push(i % 7 === 3);
  let t = 0;
  for (let r = 0; r < 300; r++) {
    if (f.some((b, i) => b && i > r % n)) t++;
    if (f.every((b) => !b)) t += 100;
    t += f.findIndex((b, i) => b && i >= r % n);
  }
  return t;
}
console.log("flags", flags(40), flags(0), flags(3));

// a loop that searches rows of a grid
function firstRowWith(rows, v) { return rows.findIndex((row) => row.some((x) => x === v)); }
const rows = [];
for (let i = 0; i < 30; i++) rows.push(new Array(20).fill(i));
let t = 0;
for (let r = 0; r < 3000; r++) t += firstRowWith(rows, r % 40);
console.log("rows", t);
