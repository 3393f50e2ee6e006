// A property compiled code reads as a number turns into a string, a boolean,
// an object, undefined: each new hidden class misses, and the handler deoptimises.
function area(r) { return r.w * r.h; }
const r = {w: 2, h: 3};
let s = 0;
for (let i = 0; i < 2000; i++) s += area(r);
console.log(s);
const kinds = ["4", true, {valueOf() { return 5; }}, undefined, null, 6];
for (const k of kinds) { r.h = k; console.log(area(r)); }
function bump(o) { o.n = o.n + 1; return o.n; }
const c = {n: 0};
for (let i = 0; i < 2000; i++) bump(c);
c.n = "1";
console.log(bump(c), typeof c.n);
c.n = 10;
console.log(bump(c), c);
