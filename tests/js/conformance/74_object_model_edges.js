// getters/setters on prototypes and statics, super in static and object methods,
// Object.create/defineProperty, instanceof with plain functions, for-in order
class Temp {
  static #made = 0;
  static get made() { return Temp.#made; }
  constructor(c) { this._c = c; Temp.#made++; }
  get f() { return this._c * 9 / 5 + 32; }
  set f(v) { this._c = (v - 32) * 5 / 9; }
  static from(f) { const t = new Temp(0); t.f = f; return t; }
}
class Kelvin extends Temp {
  get k() { return this._c + 273.15; }
  static from(f) { const t = super.from(f); return Object.setPrototypeOf(t, Kelvin.prototype); }
}
const t = Kelvin.from(212);
console.log(t._c, t.f, t.k, Temp.made, t instanceof Kelvin, t instanceof Temp, Object.keys(t));
const base = { greet() { return "hi from " + this.name; } };
const child = { __proto: 1, name: "child", greet() { return super.greet() + "!"; } };
Object.setPrototypeOf(child, base);
console.log(child.greet(), Object.getPrototypeOf(child) === base, base.isPrototypeOf(child));
const o = Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true }, hidden: { value: 3 } });
const keys = []; for (const k in o) keys.push(k);
console.log(keys, o.hidden, Object.keys(o), JSON.stringify(o), o.propertyIsEnumerable("hidden"));
const withAcc = {}; Object.defineProperty(withAcc, "x", { get() { return 42; }, enumerable: true });
console.log(withAcc.x, withAcc);
const order = { b: 1, 2: "two", a: 2, 1: "one" }; for (const k in order) console.log(k, order[k]);
function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + " makes a sound"; };
function Dog(name) { Animal.call(this, name); }
Dog.prototype = Object.create(Animal.prototype);
Dog.prototype.constructor = Dog;
Dog.prototype.speak = function () { return Animal.prototype.speak.call(this) + " (woof)"; };
const d = new Dog("Rex");
console.log(d.speak(), d instanceof Dog, d instanceof Animal, d, d.constructor.name);
const returned = new (function () { this.a = 1; return { b: 2 }; })();
console.log(returned, typeof Dog, typeof d, "speak" in d, d.hasOwnProperty("speak"));
try { class X extends 5 {} } catch (e) { console.log(e.name, e.message); }
try { null.x; } catch (e) { console.log(e.constructor.name, e instanceof TypeError); }
try { ({}).x.y; } catch (e) { console.log(e.message); }
const args = (function () { return Array.prototype.slice.call(arguments, 1); })(1, 2, 3);
console.log(args, [3, 1, 2].sort().concat([9]), Math.min.apply(Math, [4, 2, 8]));
