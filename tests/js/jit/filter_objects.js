// `objs.filter(o => ...)` over an array of objects compiles in place: the kept
// objects (the same ones, not copies) pushed onto a new array of objects.
// Holes are skipped, null reaches the arrow, and an arrow that fails on one
// leaves compiled code: node's output in each case.
function run(pts, n) {
  let tot = 0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < pts.length; i++) pts[i].x = (i + r) % 17;
    const far = pts.filter((p) => p.x > 8);
    const even = pts.filter((p, i) => (i & 1) === 0 && p.y < 5);
    for (const p of far) tot += p.x * p.y;
    tot += far.length * 1000 + even.length;
    far[0].x = 100;  // the same object as in pts
    tot += pts[(9 - (r % 17) + 17) % 17].x;
    far.push({ x: 1, y: 2 });
    tot += far.length + far[far.length - 1].y;
  }
  return tot;
}
const pts = [];
for (let i = 0; i < 200; i++) pts.push({ x: 0, y: (i * 3) % 11 });
console.log(run(pts, 300));
// holes and nulls: a hole is skipped, a null is tested by the arrow
function sparse(n) {
  const a = new Array(6);
  a[0] = { v: 1 }; a[2] = null; a[3] = { v: 3 }; a[5] = { v: 5 };
  let k = 0;
  for (let i = 0; i < n; i++) k += a.filter((o) => o !== null && o.v > 2).length + a.filter((o) => o === null).length;
  return k;
}
console.log(sparse(30000));
// an arrow that reads a property of null: the TypeError node throws
function failing(n) {
  const a = [{ v: 1 }, { v: 2 }, { v: 3 }];
  let k = 0;
  try {
    for (let i = 0; i < n; i++) {
      if (i === n - 1) a[1] = null;
      k += a.filter((o) => o.v !== 2).length;
    }
  } catch (e) { return e.constructor.name + " " + k; }
  return k;
}
console.log(failing(30000));
