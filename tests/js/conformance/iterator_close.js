// Iterators closed as node closes them: for-of left by break, return, a throw or an outer continue calls return() (its errors ranked below the body's); destructuring takes only what its pattern needs, then closes (an endless generator ends).
function mk(log, n = 5) {
  let i = 0;
  return { [Symbol.iterator]() { return { next: () => ({ done: i >= n, value: i++ }), return() { log.push("return"); return {}; } }; } };
}
let log = [];
for (const x of mk(log)) { if (x === 1) break; }
console.log(log.join(), "break");
log = [];
(function () { for (const x of mk(log)) { if (x === 2) return; } })();
console.log(log.join(), "return");
log = [];
try { for (const x of mk(log)) { throw new Error("boom"); } } catch (e) { console.log(e.message); }
console.log(log.join(), "throw");
log = [];
for (const x of mk(log, 2)) {}
console.log(log.join(), "exhausted (no return)");
log = [];
outer: for (const a of [1, 2]) { for (const x of mk(log)) { continue outer; } }
console.log(log.join(), "continue outer");
const bad = { [Symbol.iterator]() { return { next: () => ({ done: false, value: 1 }), return() { return 5; } }; } };
try { for (const x of bad) break; } catch (e) { console.log(e.name, e.message); }
const thrower = { [Symbol.iterator]() { return { next: () => ({ done: false, value: 1 }), return() { throw new Error("from return"); } }; } };
try { for (const x of thrower) break; } catch (e) { console.log(e.message); }
try { for (const x of thrower) throw new Error("body wins"); } catch (e) { console.log(e.message); }
function* g() { try { yield 1; yield 2; } finally { console.log("generator finally"); } }
const wrapped = { [Symbol.iterator]: g };
for (const x of wrapped) break;
const [first] = mk(log = [], 3);
console.log(first, log.join(), "destructuring");
function* inf() { let i = 0; while (true) yield i++; }
const [p, q] = inf();
console.log(p, q);
