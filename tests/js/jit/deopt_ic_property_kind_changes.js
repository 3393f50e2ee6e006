// A property compiled code reads as a number turns into a string, a boolean,
// an object, undefined: each new hidden class misses, and the handler deoptimises.
// (Every probe runs inside a loop, compiled with the leaf in it.)
function area(r) { return r.w * r.h; }
function areas(r, n) { let s = 0; for (let i = 0; i < n; i++) s += area(r); return s; }
const r = {w: 2, h: 3};
console.log(areas(r, 3000));
const kinds = ["4", true, {valueOf() { return 5; }}, undefined, null, 6];
for (const k of kinds) { r.h = k; console.log(areas(r, 1)); }
function bump(o) { o.n = o.n + 1; return o.n; }
function bumps(o, n) { let r = 0; for (let i = 0; i < n; i++) r = bump(o); return r; }
const c = {n: 0};
bumps(c, 3000);
c.n = "1";
console.log(bumps(c, 1), typeof c.n);
c.n = 10;
console.log(bumps(c, 1), c);
