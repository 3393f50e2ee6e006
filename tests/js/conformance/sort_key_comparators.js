// Comparators of the form a - b / b - a (of the values or of one property
// each) sort by those numbers without being called; anything else -- NaN,
// infinities, a getter, strings, arrays -- calls the comparator.  Stable in
// both directions; -0 and 0 tie.
const nums = [];
for (let i = 0; i < 2000; i++) nums.push(((i * 7919) % 1009) - 500 + (i % 3) * 0.25);
console.log(nums.slice().sort((a, b) => a - b).slice(0, 8).join(","));
console.log(nums.slice().sort((x, y) => y - x).slice(0, 8).join(","));
console.log(nums.slice().sort(function (p, q) { return p - q; }).slice(-5).join(","));

const tagged = [];
for (let i = 0; i < 300; i++) tagged.push({ k: i % 7 === 0 ? -0 : (i * 13) % 11, tag: i });
const up = tagged.slice().sort((a, b) => a.k - b.k);
const down = tagged.slice().sort((a, b) => b.k - a.k);
console.log(up.slice(0, 12).map(o => o.tag).join(","), Object.is(up[0].k, -0) || Object.is(up[0].k, 0));
console.log(down.slice(0, 12).map(o => o.tag).join(","));
console.log(down.slice(-12).map(o => o.tag).join(","));

// a NaN among them: a - b is NaN for some pairs -- the comparator decides
const withNaN = [3, NaN, 1, 2];
console.log(withNaN.slice().sort((a, b) => a - b).length);
const withInf = [3, Infinity, -Infinity, 1, 2, Infinity];
console.log(withInf.slice().sort((a, b) => a - b).join(","));

// a getter: called as the comparator reads it
let reads = 0;
class G { constructor(v) { this.v = v; } get k() { reads++; return this.v; } }
const gs = [new G(3), new G(1), new G(2)];
console.log(gs.sort((a, b) => a.k - b.k).map(g => g.v).join(","), reads > 0);

// other values: strings subtract as numbers, arrays as their text
console.log(["10", "9", "1"].sort((a, b) => a - b).join(","));
console.log([[3], [1], [2]].sort((a, b) => a - b).join(","));
// not this shape: a comparator with its own logic is called
let calls = 0;
console.log([3, 1, 2].sort((a, b) => { calls++; return a - b; }).join(","), calls > 0);
console.log([3, 1, 2].sort((a, b) => a - b - 0).join(","));
console.log([3, 1, 2].sort((a, b) => b - b).join(","));
// holes and undefined still go last
const sparse = [5, , 1, undefined, 3];
console.log(JSON.stringify(sparse.sort((a, b) => a - b)), sparse.length, 1 in sparse, 4 in sparse);

// several keys joined by ||: each decides where the ones before it tie
const people = [];
for (let i = 0; i < 400; i++) people.push({ age: (i * 37) % 9, score: (i * 13) % 7 === 3 ? -0 : (i * 13) % 7, id: i });
const by2 = people.slice().sort((a, b) => a.age - b.age || b.score - a.score);
console.log(by2.slice(0, 15).map(p => p.id).join(","), by2.slice(-6).map(p => p.id).join(","));
const by3 = people.slice().sort((a, b) => b.age - a.age || a.score - b.score || b.id - a.id);
console.log(by3.slice(0, 10).map(p => p.id).join(","));
const mixed = [5, 3, 5, 1].map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v || a.i - b.i);
console.log(mixed.map(o => o.i).join(","));
// a NaN in the second key: the comparator decides
const half = [{ a: 1, b: NaN }, { a: 1, b: 2 }, { a: 0, b: 1 }];
console.log(half.sort((x, y) => x.a - y.a || x.b - y.b).map(o => o.a + ":" + o.b).join(","));
// || of something else: called
let called = 0;
console.log([3, 1, 2].sort((a, b) => a - b || (called++, 0)).join(","), called);
