// classes, inheritance, super, statics, accessors
class Shape {
  static count = 0;
  #id;
  constructor(name) { this.name = name; this.#id = ++Shape.count; }
  get id() { return this.#id; }
  area() { return 0; }
  describe() { return `${this.name} #${this.id} area=${this.area().toFixed(2)}`; }
  toString() { return `Shape(${this.name})`; }
  static make(n) { return new this(n); }
}
class Circle extends Shape {
  constructor(r) { super("circle"); this.r = r; }
  area() { return Math.PI * this.r * this.r; }
  describe() { return "round " + super.describe(); }
}
class Square extends Shape {
  side = 2;
  area() { return this.side ** 2; }
  set size(v) { this.side = v; }
  get size() { return this.side; }
}
const shapes = [new Circle(1), new Square("sq"), Shape.make("plain")];
for (const s of shapes) console.log(s.describe(), s instanceof Shape, s instanceof Circle);
const sq = shapes[1]; sq.size = 5; console.log(sq.size, sq.area(), String(sq), `${sq}`, sq + "");
console.log(shapes);
console.log(Shape.count, Circle.count, Object.keys(sq), "side" in sq, "area" in sq, "nope" in sq);
console.log(typeof Shape, Shape.name, Circle.name, sq.constructor === Square, Object.getPrototypeOf(sq) === Square.prototype);
try { Shape("x"); } catch (e) { console.log(e instanceof TypeError, e.message); }
// prototypes, this, new
function Point(x, y) { this.x = x; this.y = y; }
Point.prototype.add = function (o) { return new Point(this.x + o.x, this.y + o.y); };
Point.prototype.toString = function () { return "(" + this.x + "," + this.y + ")"; };
const p = new Point(1, 2).add(new Point(3, 4));
console.log(p, "" + p, p instanceof Point, p.hasOwnProperty("x"), p.hasOwnProperty("add"));
for (const k in p) console.log("key", k);
const o = { a: 1, b: { c: 2 }, get d() { return this.a + 10; }, m() { return this.a; } };
console.log(o.d, o.m(), o, Object.entries(o).length);
for (let k in o) console.log(k);
// call/apply/bind/arguments
function sum() { let t = 0; for (let i = 0; i < arguments.length; i++) t += arguments[i]; return t; }
console.log(sum(1, 2, 3), sum.apply(null, [4, 5]), sum.call(null, 6, 7));
const bound = function (a, b) { return this.k + a + b; }.bind({ k: 100 }, 1);
console.log(bound(2));
const counter = { n: 0, inc() { return () => ++this.n; } };
const inc = counter.inc(); inc(); inc(); console.log(counter.n);
// rest / spread / defaults / ?? / ?.
function f(a, b = a * 2, ...rest) { return [a, b, rest]; }
console.log(f(1), f(1, 5, 7, 8), Math.max(...[3, 9, 2]), [..."abc", ...[1, 2]]);
const q = { x: { y: null } };
console.log(q?.x?.y?.z, q.nope?.deep.deeper, q.x.y ?? "dflt", 0 ?? 1, q.m?.(), [1,,3]);
let z = null; z ??= 5; let w = 1; w ||= 9; let v = 1; v &&= 7; console.log(z, w, v);
const spreadObj = { ...o, e: 5 }; console.log(Object.keys(spreadObj));
console.log(delete p.x, p, void 0);
class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; } }
try { throw new MyErr("bad"); } catch (e) { console.log(e.name, e.message, e instanceof MyErr, e instanceof Error, String(e)); }
