// Object.freeze/seal/preventExtensions (sloppy mode: stores ignored), ES2023 array copies, Error cause (written here).
const o = Object.freeze({ a: 1, nested: { b: 2 }, get g() { return "getter"; } });
o.a = 2; o.c = 3; delete o.a; o.nested.b = 20;
console.log(o, o.a, o.c, o.g, Object.isFrozen(o), Object.isSealed(o), Object.isExtensible(o), Object.keys(o));
const s = Object.seal({ x: 1 });
s.x = 5; s.y = 6; delete s.x;
console.log(s, Object.isSealed(s), Object.isFrozen(s), Object.isExtensible(s));
const p = Object.preventExtensions({ k: 1 });
p.k = 2; p.n = 3; delete p.k;
console.log(p, Object.isExtensible(p), Object.isSealed(p), Object.isFrozen(p));
console.log(Object.isFrozen(1), Object.isExtensible("s"), Object.isFrozen({}), Object.isFrozen(Object.preventExtensions({})));
function Point(x, y) { this.x = x; this.y = y; Object.freeze(this); }
Point.prototype.move = function () { this.x += 1; return this.x; };
const pt = new Point(1, 2);
console.log(pt.move(), pt, Object.isFrozen(pt));
const COLORS = Object.freeze({ RED: "red", GREEN: "green" });
COLORS.BLUE = "blue";
console.log(Object.values(COLORS), JSON.stringify(COLORS), { ...COLORS }, Object.assign({}, COLORS));
let setterRan = 0;
const withSetter = Object.freeze({ set v(x) { setterRan = x; } });
withSetter.v = 42;
console.log(setterRan);
const a = [3, 1, , 2];
console.log(a.toSorted(), a.toReversed(), a.with(1, 9), a.with(-1, 8), a.toSpliced(1, 2, "x", "y"), a);
console.log([5, 10, 1].toSorted((x, y) => x - y), [].toReversed(), [1, 2, 3].toSpliced(1));
try { [1].with(3, 0); } catch (e) { console.log(e.constructor.name, e.message); }
try { [1].with(-2, 0); } catch (e) { console.log(e.constructor.name, e.message); }
const e = new Error("outer", { cause: new TypeError("inner") });
console.log(e.cause.message, e.cause instanceof TypeError, Object.keys(e), "cause" in e, new Error("x").cause, new Error("y", {}).hasOwnProperty("cause"));
class AppError extends Error { constructor(m, o) { super(m, o); this.name = "AppError"; } }
const ae = new AppError("app", { cause: 42 });
console.log(ae.cause, ae.name, String(ae));
console.log(new EvalError("ev").name, new URIError("u") instanceof Error, String(new URIError("bad uri")));
