// Destructuring *assignment* (to variables that exist) with defaults, nested
// patterns and shorthand initializers, and for-of / for-in heads that assign
// to a pattern or a property -- the forms an object literal only takes as a pattern.
let a, b, c, x, y;
({ a: b = 1 } = {});
console.log(b);
({ a, b = (a === undefined ? "no a" : a), c: { x = 3 } = {} } = { a: 0 });
console.log(a, b, x);
({ x = 5, ...y } = { p: 1, q: 2 });
console.log(x, JSON.stringify(y));
[a, { b = "d" } = {}, ...c] = [7, undefined, 8, 9];
console.log(a, b, c);
const log = [];
({ [(log.push("key"), "k")]: a = (log.push("default"), 10) } = { k: undefined });
console.log(a, log.join());
const o = { list: [] };
for ([a, b = "none"] of [[1, 2], [3]]) console.log(a, b);
for ({ x, y = x * 2 } of [{ x: 1 }, { x: 2, y: 0 }]) console.log(x, y);
for (o.last of ["p", "q"]) o.list.push(o.last);
console.log(o.last, o.list);
for ([c] in { ab: 1, cd: 2 }) console.log(c);
for (o.list[0] in { z: 1 });
console.log(o.list);
let n = 0;
for ({ n = n + 1 } of [{}, {}, { n: 10 }]);
console.log(n);
