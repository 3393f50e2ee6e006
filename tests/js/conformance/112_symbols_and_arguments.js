// A Symbol in a template or a + is a TypeError; arguments is an array-like object, not an array (written here).
const s = Symbol("s");
const r = [];
for (const [name, f] of [["template", () => `${s}`], ["concat", () => s + ""], ["concat left", () => "" + s], ["plus num", () => s + 1], ["append", () => { let x = "a"; x += s; return x; }], ["String()", () => String(s)], ["toString", () => s.toString()], ["description", () => s.description]]) {
  try { r.push(name + ": " + f()); } catch (e) { r.push(name + ": " + e.constructor.name + " " + e.message); }
}
console.log(r.join("\n"));
console.log([s], { k: s }, `${String(s)}`);
function f() {
  console.log(arguments, arguments.length, arguments[1], Array.isArray(arguments), typeof arguments.map, Object.prototype.toString.call(arguments), String(arguments));
  console.log([...arguments], Array.from(arguments), Array.prototype.slice.call(arguments, 1), Array.prototype.join.call(arguments, "-"));
  let s = 0; for (const x of arguments) s += x; for (let i = 0; i < arguments.length; i++) s += arguments[i];
  console.log(s, arguments.hasOwnProperty("0"), Object.keys(arguments), "length" in arguments);
  try { arguments.map((x) => x); } catch (e) { console.log(e.constructor.name, e.message); }
  return Math.max.apply(null, arguments);
}
console.log(f(1, 2, 3));
function g() { return arguments; }
console.log(g(), g("a"), [g(1)]);
function sum() { return Array.prototype.reduce.call(arguments, (a, b) => a + b, 0); }
console.log(sum(1, 2, 3, 4));
