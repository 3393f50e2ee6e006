// a Map's, Set's or number's method read as a value is the prototype's
// function (the same each time; a TypeError on another receiver), and an
// iterator's toString is Object.prototype's
const s = new Set([1]), m = new Map([[1, 2]]);
console.log(s.has === Set.prototype.has, m.get === Map.prototype.get, s.values === s.keys, m[Symbol.iterator] === m.entries);
console.log(Set.prototype.has.call(s, 1), Map.prototype.get.call(m, 1), typeof s.add, s.add.name);
console.log("".trim === String.prototype.trim, [].map === Array.prototype.map, (1).toFixed === Number.prototype.toFixed);
const it = m.entries();
console.log(Object.prototype.toString.call(it), it.toString(), typeof it.next, String(s.entries()));
const f = s.add;
try { f(2); } catch (e) { console.log(e.constructor.name); }
const g = m.get;
try { g.call({}, 1); } catch (e) { console.log(e.constructor.name); }
const fix = (1.5).toFixed;
console.log(fix.call(2.25, 1), [...s.entries()], [...m.keys()], s.size, it);
class Counted extends Map { get(k) { return (super.get(k) ?? 0) + 100; } }
const c = new Counted([[1, 1]]);
console.log(c.get(1), c.get === Counted.prototype.get, c.set === Map.prototype.set);
