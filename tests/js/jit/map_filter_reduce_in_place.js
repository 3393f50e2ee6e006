// a.map(f), a.filter(f) and a.reduce(f, init) with an expression arrow are
// compiled in place, as forEach is: the length read once (elements pushed
// by the arrow are not visited, as the built-ins do), map's results a new
// packed array, filter's kept elements, reduce's running sum.  What cannot
// be done in place -- no initial value, results that are not numbers or
// booleans, a replaced Array.prototype method, an array with its own map --
// is the interpreter's.  Output: node's.
const out = [];
const xs = []; for (let i = 0; i < 50; i++) xs.push(i * 0.5);
function chain(a) { return a.map((x) => x * 2).filter((x) => x % 3 === 0).reduce((s, b) => s + b, 0); }
function withIndex(a) { return a.map((x, i) => x * i).reduce((s, x, i) => s + x - i, 0.5); }
function flags(a) { return a.map((x) => x > 10).filter((f) => f).length; }
function bools(bs) { return bs.filter((b) => !b).length + bs.map((b) => (b ? 1 : 2)).reduce((s, v) => s + v, 0); }
function fields(os) { return os.map((o) => o.v).reduce((s, v) => s + v, 0); }
function lengths(ss) { return ss.map((s) => s.length).reduce((m, n) => (n > m ? n : m), 0); }
function rowLens(rows) { return rows.map((r) => r.length + r[0]).reduce((s, n) => s + n, 0); }
function falsy(a) { return a.filter((x) => x / x).length; }          // NaN and 0/0: falsy
function count(a) { let c = 0; a.map((x) => (c += x)); return c; }    // the arrow's side effect on a local
function grows(a) { return a.map((x) => a.push(x + 100)).length; }    // pushed elements are not visited
function pastEnd(a, b) { return a.map((x, i) => x + b[i]).reduce((s, v) => s + v, 0); }  // b shorter: NaN
const objs = [{ v: 1 }, { v: 2 }, { v: 3.5 }];
for (let r = 0; r < 300; r++) {
  chain(xs); withIndex(xs); flags(xs); bools([true, false]); fields(objs); lengths(["a", "bcd"]); rowLens([[1], [2, 3]]);
  falsy([1, 0, 2]); count([1, 2]); grows([1]); pastEnd([1, 2], [1, 2]);
}
out.push(chain(xs), withIndex(xs), flags(xs), bools([true, false, false, true, false]), fields(objs));
out.push(lengths(["hello", "", "wide string here"]), rowLens([[5, 1], [6], [7, 8, 9]]));
out.push(falsy([0, -0, NaN, 1, 2, Infinity]), count([1.5, 2.5, 3]), grows([1, 2, 3]), pastEnd([1, 2, 3], [10, 20]));
out.push(chain([]), withIndex([]), String(flags([])));
// an array of objects with holes: reduce skips a hole, map keeps it a hole (its arrow never sees it)
function holeyObjs(os) { return os.reduce((s, o) => s + 1, 0); }
function holeyMap(os) { return os.map((o) => 7); }
for (let r = 0; r < 300; r++) { holeyObjs(objs); holeyMap(objs); }
const withHoles = [{ v: 1 }, , { v: 3 }, , ];
const hm = holeyMap(withHoles);
out.push(holeyObjs(withHoles), hm.length, Object.keys(hm).join(","), holeyMap(objs).join(","));
// what stays the interpreter's
function noInit(a) { return a.reduce((s, x) => s + x); }
function toStrings(a) { return a.map((x) => "n" + x).join(","); }
for (let r = 0; r < 300; r++) { noInit([1, 2]); toStrings([1]); }
out.push(noInit([1, 2, 3]), toStrings([1, 2]));
try { noInit([]); } catch (e) { out.push(e.constructor.name); }
const own = [1, 2, 3];
own.map = function (f) { return [42]; };
out.push(chain(own));
const savedMap = Array.prototype.map;
Array.prototype.map = function (f) { return savedMap.call(this, (x) => f(x) + 1000); };
out.push(chain([1, 2, 3]));
Array.prototype.map = savedMap;
out.push(chain([1, 2, 3]));
console.log(out.join("\n"));
