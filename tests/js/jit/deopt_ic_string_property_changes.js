// A string property becomes a number, null, an object, undefined; compiled
// code stores a string into a slot that held a number, null or an object:
// each is a slot of another kind (a cache miss, a deoptimisation or a move to
// a new hidden class), and every result is the interpreter's.  More distinct
// strings than the string table keeps pass through one compiled run.
function count(o, _, n) { let c = 0; for (let i = 0; i < n; i++) if (o.name === 'red') c += o.name.length; return c; }
function setAll(o, v, n) { for (let i = 0; i < n; i++) o.name = v; return o.name; }
function copy(from, to, n) { for (let i = 0; i < n; i++) to.name = from.name; return to.name.length; }
function hot(f, o, v, n) { let r; for (let k = 0; k < 300; k++) r = f(o, v, n); return r; }
const o = { name: 'red', other: 1 };
console.log(hot(count, o, 0, 20), hot(setAll, o, 'blue', 20), hot(count, o, 0, 10), hot(setAll, o, 'red', 2));
o.name = 7;
console.log(hot(count, o, 0, 10), typeof o.name);
o.name = null;
console.log(hot(count, o, 0, 10));
o.name = { toString() { return 'red'; } };
console.log(hot(count, o, 0, 10));
o.name = undefined;
console.log(hot(count, o, 0, 10));
o.name = 'red';
console.log(hot(count, o, 0, 10), hot(setAll, o, 'green', 5), typeof o.name);
const num = { name: 7, other: 1 };
console.log(setAll(num, 'now a string', 3), typeof num.name, count(num, 0, 4));
const empty = { name: null };
console.log(hot(copy, o, empty, 3), empty.name);
const holder = { name: { x: 1 } };
console.log(hot(copy, o, holder, 3), holder.name, typeof holder.name);
console.log(setAll(o, 12, 30), typeof o.name);
// many distinct strings in one run
const objs = [];
for (let i = 0; i < 6000; i++) objs.push({ name: 'id-' + i, n: i });
function shift(a, n) {
  let len = 0;
  const first = a[0].name;
  for (let i = 0; i + 1 < n; i++) { a[i].name = a[i + 1].name; len += a[i].name.length; }
  a[n - 1].name = first;
  return len;
}
let L = 0;
for (let k = 0; k < 5; k++) L += shift(objs, objs.length);
console.log(L, objs[0].name, objs[5999].name, objs[3000].name, objs.filter((x) => x.name === 'id-' + ((x.n + 5) % 6000)).length);
