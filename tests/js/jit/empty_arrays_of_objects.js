// [] whose last array held objects is made as an array of objects in
// compiled code (the interpreter's feedback), pushed onto, popped from and cut
// (a.length = k) there; wrong feedback, arrays that escape, a longer length,
// and numbers pushed after are the interpreter's.  Node's output.
class P { constructor(x, y) { this.x = x; this.y = y; } }
let tot = 0;
for (let r = 0; r < 40; r++) {
  const ps = [];
  for (let i = 0; i < 300; i++) ps.push(new P((i * 7919) % 1000, i));
  while (ps.length > 250) tot += ps.pop().x;
  ps.length = 100;
  tot += ps.length + ps[99].y + ps[0].x;
}
console.log("rounds", tot);

let kept = null;
const all = [];
for (let r = 0; r < 60; r++) {
  const row = [];
  for (let i = 0; i < 5 + (r % 3); i++) row.push(new P(r, i));
  if (r % 20 === 19) kept = row;
  all.push(row.length);
}
kept.push(7);
kept.push("s");
console.log("kept", kept.length, kept[0].x, kept[kept.length - 1], all.slice(0, 6).join(","));

function make(kind, n) {
  const a = [];
  for (let i = 0; i < n; i++) a.push(kind ? new P(i, i) : i);
  return a;
}
let t3 = 0;
for (let r = 0; r < 200; r++) { const a = make(r % 5 !== 0, 4); t3 += typeof a[1] === "number" ? a[1] : a[1].x + 10; }
console.log("mixed", t3);

const q = [];
let t4 = 0;
for (let i = 0; i < 20000; i++) {
  q.push(new P(i % 7, i));
  if (q.length > 30) { t4 += q[q.length - 1].x; q.length = 20; }
  if (i === 15000) q.length = 25;
}
q.length = 40;
console.log("cut", t4, q.length, q[39], q[19].y);

const nums = [1, 2, 3, 4, 5, 6];
let t5 = 0;
for (let r = 0; r < 300; r++) {
  nums.push(r);
  nums.push(r + 0.5);
  nums.length = 6 + (r % 2);
  t5 += nums[nums.length - 1];
}
nums.length = 3.5 > 3 ? 3 : 0;
console.log("numbers", t5, nums.join(","));

const flags = [true, false];
for (let r = 0; r < 300; r++) { flags.push(r % 2 === 0); flags.length = 2; }
try { flags.length = 1.5; } catch (e) { console.log(e.constructor.name); }
console.log("flags", flags.join(","));

const big = new Array(0);
for (let i = 0; i < 5000; i++) { big.push(new P(i, -i)); if (big.length > 4000) big.length = 10; }
console.log("new Array(0)", big.length, big[big.length - 1].y);
