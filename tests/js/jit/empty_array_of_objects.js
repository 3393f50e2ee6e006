// `const list = []; ... list.push({...})` made afresh in a hot loop: the
// compiler types `[]` by what the arrays it made held (objects), even when
// the unit starts right after the site made a new empty one -- it kept the
// loop interpreted before ("pushing a obj onto an array of nums").
function run(n) {
  let tot = 0;
  for (let r = 0; r < n; r++) {
    const pts = [];
    for (let i = 0; i < 100; i++) pts.push({ x: (i + r) % 17, y: i % 5 });
    for (const p of pts) tot += p.x * p.y;
    const big = pts.filter((p) => p.x > 10);
    tot += big.length;
  }
  return tot;
}
console.log(run(400));
// the same site later making arrays of numbers: compiled code leaves, node's output
function mixed(n, objects) {
  let tot = 0;
  for (let r = 0; r < n; r++) {
    const xs = [];
    for (let i = 0; i < 20; i++) xs.push(objects ? { v: i } : i);
    tot += xs.length + (objects ? xs[3].v : xs[3]);
  }
  return tot;
}
console.log(mixed(3000, true), mixed(3000, false), mixed(10, true));
// an array literal of objects (and null): its elements are the same objects
function literal(n) {
  const a = { v: 2 }, b = { v: 3 };
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const xs = [a, null, b, { v: i % 7 }];
    tot += xs[0].v + xs[2].v + xs[3].v + (xs[1] === null ? 1 : 0) + xs.length;
    xs[0].v = (i % 5) + 2;
  }
  return tot + a.v;
}
console.log(literal(30000));
