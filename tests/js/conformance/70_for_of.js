const arr = [3, 1, 4, 1, 5];
let sum = 0;
for (const x of arr) sum += x;
console.log(sum);
for (let ch of "héllo") process_char(ch);
function process_char(c) { console.log(c, c.length); }
const fns = [];
for (let v of [10, 20, 30]) fns.push(() => v);
console.log(fns.map(f => f()).join(" "));
var last;
for (var w of ["a", "b"]) last = w;
console.log(last, w);
let y;
for (y of [7, 8]) {}
console.log(y);
const grow = [1, 2];
for (const g of grow) { if (grow.length < 5) grow.push(g * 10); }
console.log(grow);
for (const a of [1, 2, 3]) { if (a === 2) continue; if (a === 3) break; console.log("a", a); }
function firstBig(xs) { for (const x of xs) { if (x > 2) return x; } return -1; }
console.log(firstBig([1, 5, 9]), firstBig([]));
const holes = new Array(3); holes[1] = "m";
for (const h of holes) console.log(h);
let n = 0;
for (const i of new Array(20000).fill(1)) n += i;
console.log(n);
try { for (const z of 5) {} } catch (e) { console.log(e.name, e.message); }
try { for (const z of {}) {} } catch (e) { console.log(e.name, e.message); }
