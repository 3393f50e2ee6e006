// Function.prototype.toString gives the source text (methods from their modifiers, classes whole); the Function constructor
class A { static   s(a,b) { return 1 } async  m() {} *g() {} get x() { return 1; } set x(v) {} constructor(a) { this.a = a; } static async *ag() {} ['comp' + 1]() {} }
console.log(String(A.s)); console.log(String(A.prototype.m)); console.log(String(A.prototype.g));
const d = Object.getOwnPropertyDescriptor(A.prototype, "x"); console.log(String(d.get), "|", String(d.set));
console.log(String(A.ag), "|", String(A.prototype.comp1));
console.log(A.toString());
class B extends A {} console.log(String(B));
const o = { m() { return 2 }, async am() {}, get g() { return 3 }, f: function () {}, ar: (x) => x + 1, as: async x => x, *gen() {} };
console.log(String(o.m), "|", String(o.am), "|", String(o.f), "|", String(o.ar), "|", String(o.as), "|", String(o.gen));
console.log(String(Object.getOwnPropertyDescriptor(o, "g").get));
async function af(a, /* c */ b) { await 1; }
function* gf() { yield 1 }
console.log(af.toString()); console.log(`${gf}`); console.log("" + function named() { return "x"; });
console.log((function () {}).toString(), String(async () => {}), String(Math.max), String(function () {}.bind(null)), String(class {}));
console.log(String(new Function("a", "b", "return a + b")));
const f = function () {}; console.log(f + "", [f].join());
const add = new Function("a", "b", "return a + b");
console.log(add(2, 3), add.name, add.length, Function("return this")() === globalThis, typeof Function("x", "return x * 2"));
try { new Function("return )"); } catch (e) { console.log(e.name, e instanceof SyntaxError); }
var gv = 10; try { Function("return gv + 1")(); } catch (e) { console.log(e.name, e.message); } globalThis.gw = 5; console.log(Function("return gw + 1")());
const mk = Function("n", "let s = 0; for (let i = 0; i < n; i++) s += i; return s;"); console.log(mk(100));
console.log(String(add).split("\n").length, add.toString() === String(add));
