function check(x) {
  if (x < 0) throw new RangeError("negative: " + x);
  if (x === 0) throw "zero";
  if (x === 1) throw { code: 1 };
  return Math.sqrt(x);
}
let vals = [4, -1, 0, 1];
for (let i = 0; i < vals.length; i++) {
  try {
    console.log("ok", check(vals[i]));
  } catch (e) {
    console.log("caught", typeof e, e.name, e.message, e.code);
  } finally {
    console.log("finally", i);
  }
}
try { null.x; } catch (e) { console.log(e.name + ": " + e.message); }
try { undefinedThing + 1; } catch (e) { console.log(e.name, "|", e.message); }
function deep(n) { return deep(n + 1) + 1; }
try { deep(0); } catch (e) { console.log("deep:", e.name, e.message); }
function f() {
  try { return "try"; } finally { console.log("finally runs before return"); }
}
console.log(f());
function g() {
  for (let i = 0; i < 3; i++) {
    try { if (i === 1) continue; if (i === 2) break; console.log("body", i); } finally { console.log("fin", i); }
  }
  return "g done";
}
console.log(g());
function h() { try { throw new Error("lost"); } finally { return "finally wins"; } }
console.log(h());
let err = new Error("boom");
console.log(err.message, err.name, String(err), Object.keys(err).length, "" + err);
let e2 = TypeError("no new");
console.log(e2.name, e2.message);
try { try { throw new Error("inner"); } catch (e) { throw new TypeError("outer from " + e.message); } } catch (e) { console.log(e.name, e.message); }
try { throw 42; } catch { console.log("caught without binding"); }
let count = 0;
for (let i = 0; i < 1000; i++) { try { if (i % 7 === 0) throw i; count += 1; } catch (x) { count += 100; } }
console.log(count);
const cs = [];
for (let i = 0; i < 3; i++) { try { throw i; } catch (e) { cs.push(() => e); } }
console.log(cs.map(fn => fn()).join(","));
