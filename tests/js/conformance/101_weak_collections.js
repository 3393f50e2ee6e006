// WeakMap, WeakSet and String.fromCodePoint (written here; compared with node's output).
const wm = new WeakMap(), ws = new WeakSet();
const a = {}, b = [], c = function () {};
wm.set(a, 1).set(b, "two");
ws.add(a).add(c);
console.log(wm.get(a), wm.get(b), wm.get({}), wm.has(a), wm.has(c), wm.delete(b), wm.has(b), wm.get(1));
console.log(ws.has(a), ws.has(b), ws.has(c), ws.delete(a), ws.has(a), ws.has("x"));
console.log(wm, ws, [wm], typeof wm, wm instanceof WeakMap, Object.prototype.toString.call(wm));
try { wm.set(1, 2); } catch (e) { console.log(e.constructor.name, e.message); }
try { ws.add("s"); } catch (e) { console.log(e.constructor.name, e.message); }
try { WeakMap(); } catch (e) { console.log(e.constructor.name, e.message); }
const wm2 = new WeakMap([[a, "A"], [c, "C"]]);
console.log(wm2.get(a), wm2.get(c));
const cache = new WeakMap();
function memo(o) { if (!cache.has(o)) cache.set(o, Object.keys(o).length); return cache.get(o); }
console.log(memo({ x: 1, y: 2 }), memo(a));
console.log(String.fromCodePoint(65, 0x1F600).length > 1, String.fromCodePoint(97, 98));
try { String.fromCodePoint(-1); } catch (e) { console.log(e.constructor.name, e.message); }
try { String.fromCodePoint(1.5); } catch (e) { console.log(e.constructor.name, e.message); }
