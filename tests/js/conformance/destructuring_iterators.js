// Array destructuring from lazy iterators: endless generators, Map iterators, strings, parameters with defaults.
function* inf() { let i = 0; try { while (true) yield i++; } finally { console.log("inf closed"); } }
const [p, q] = inf();
console.log(p, q);
const [a, ...rest] = [1, 2, 3];
console.log(a, rest);
const m = new Map([[1, "a"], [2, "b"], [3, "c"]]);
const ents = m.entries();
const [[k1]] = [ents.next().value];
const [e2] = ents;
console.log(k1, e2, ents.next().value);
const [c1, c2] = "héllo";
console.log(c1, c2);
function f([x, y = 9] = []) { return [x, y]; }
console.log(f(), f([1]), f(inf()));
let log = [];
const it = { [Symbol.iterator]() { let i = 0; return { next: () => (log.push("next"), { done: i > 5, value: i++ }), return() { log.push("return"); return {}; } }; } };
const [u, , w] = it;
console.log(u, w, log.join());
log = [];
const [...all] = it;
console.log(all.length, log.length);
const [s0, s1] = new Set([5, 6, 7]);
console.log(s0, s1);
