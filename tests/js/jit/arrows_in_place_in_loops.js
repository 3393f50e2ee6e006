// Arrows passed to forEach, map, filter and reduce inside a hot loop compile
// in place in the loop's unit: the variables they share with the loop are
// the unit's own.  Output compared with node.
const xs = [];
for (let i = 0; i < 500; i++) xs.push(i);

// 1. A top-level loop of map, filter, reduce.
let total = 0;
for (let r = 0; r < 200; r++) total += xs.map((x) => x * 2).filter((x) => x % 3 === 0).reduce((a, b) => a + b, 0);
console.log("chain", total);

// 2. Arrows reading the loop's variable (for-let: each round's own) and one
// declared in the body.
let acc = 0;
for (let r = 0; r < 300; r++) {
  const k = r % 7;
  acc += xs.filter((x) => x % 5 === k).reduce((s, x) => s + x * r, 0);
}
console.log("captures", acc);

// 3. In a function: a variable the arrows write, shared with a closure
// made before the loop and called after it.
function counted(n) {
  let seen = 0;
  const report = () => seen;
  for (let r = 0; r < n; r++) {
    xs.forEach((x) => {
      if (x % 10 === r % 10) seen += 1;
    });
  }
  return report() + seen;
}
console.log("shared", counted(150), counted(3));

// 4. Elements that change kind mid-loop (a deopt inside an arrow), then back.
const ys = xs.slice();
let z = 0;
for (let r = 0; r < 400; r++) {
  if (r === 250) ys[10] = "ten";
  if (r === 300) ys[10] = 10;
  z += ys.reduce((s, y) => s + (typeof y === "number" ? y : 1000), 0);
}
console.log("kinds", z);

// 5. Nested: a forEach inside a for inside a loop.
let grid = 0;
for (let r = 0; r < 100; r++) {
  for (let c = 0; c < 3; c++) xs.forEach((x, i) => { grid += (x + i * c) % (r + 1); });
}
console.log("nested", grid);

// 6. A replaced built-in after the loop compiled: the replacement runs.
let rep = 0;
for (let r = 0; r < 300; r++) {
  if (r === 200) Array.prototype.map = function (f) { return [f(1), f(2)]; };
  rep += xs.map((x) => x + 1).length;
}
console.log("replaced", rep);
