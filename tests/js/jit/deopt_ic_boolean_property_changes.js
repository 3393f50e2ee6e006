// A boolean property turns into a number, a string, null; a number property
// is given a boolean by compiled code: each is a new hidden class or a slot
// of another kind, so the cache misses and compiled code deoptimises.
function count(o, n) { let c = 0; for (let i = 0; i < n; i++) if (o.flag) c += 1; return c; }
function setAll(o, v, n) { for (let i = 0; i < n; i++) o.flag = v; return o.flag; }
const o = {flag: true, other: 1};
console.log(count(o, 3000), setAll(o, false, 3000), count(o, 10));
o.flag = 1;
console.log(count(o, 10), typeof o.flag);
o.flag = "";
console.log(count(o, 10));
o.flag = null;
console.log(count(o, 10));
o.flag = true;
console.log(count(o, 10), setAll(o, false, 5), typeof o.flag);
const num = {flag: 7, other: 1};
console.log(setAll(num, true, 3), typeof num.flag, count(num, 4));
function bump(o, n) { for (let i = 0; i < n; i++) o.other = o.other + 1; return o.other; }
bump(num, 3000);
num.other = false;
console.log(bump(num, 2), typeof num.other);
