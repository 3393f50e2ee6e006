// Subclasses of Promise: statics, then and await make and adopt the subclass (written here).
class P extends Promise {
  constructor(ex) { console.log("P ctor"); super(ex); }
  tag() { return "P!"; }
}
const a = P.resolve(1);
console.log(a instanceof P, a instanceof Promise, a.tag());
const b = a.then(x => x + 1);
console.log(b instanceof P);
b.then(v => console.log("b", v));
P.reject(new Error("no")).catch(e => console.log("caught", e.message));
P.all([1, P.resolve(2), Promise.resolve(3)]).then(v => console.log("all", v));
const c = new P((res) => res(5));
console.log(c.tag(), Object.getPrototypeOf(c) === P.prototype);
console.log(Promise.resolve(a) === a, P.resolve(a) === a);
(async () => { const v = await c; console.log("awaited", v); })();
class Q extends Promise {}
Q.race([Q.resolve("q")]).then(v => console.log("race", v, typeof v));
try { Promise.resolve.call(1, 2) } catch (e) { console.log(e.constructor.name, e.message) }
console.log(Promise.resolve(1) instanceof P);
