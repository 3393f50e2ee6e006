// new C(args) built by compiled code itself: the object is allocated with
// C's keys in place and the constructor's stores run in compiled code --
// including calls on its arguments (AWFY's Bounce: new Ball(random), which
// calls random.next()).  Each case runs hot enough to compile; the output
// must be node's, key order included.

class Random {
  constructor() {
    this.seed = 74755;
  }

  next() {
    this.seed = (this.seed * 1309 + 13849) & 65535;
    return this.seed;
  }
}

class Ball {
  constructor(random) {
    this.x = random.next() % 500;
    this.y = random.next() % 500;
    this.xVel = (random.next() % 300) - 150;
    this.yVel = (random.next() % 300) - 150;
  }
}

// 1. Calls on an argument, in a loop that keeps the objects.
function balls(n) {
  const random = new Random();
  const all = new Array(n);
  for (let i = 0; i < n; i++) all[i] = new Ball(random);
  let s = 0;
  for (const b of all) s += b.x - b.y + b.xVel * b.yVel;
  return s + random.seed;
}
let t1 = 0;
for (let k = 0; k < 300; k++) t1 += balls(50);
console.log("balls", t1, JSON.stringify(new Ball(new Random())));

// 2. A class chain: super(expression), field initialisers (in node's order:
// the base's, then the derived class's after super returns), a default
// derived constructor, a key stored twice, an unused parameter.
class Base {
  kind = 1;
  constructor(a, unused) {
    this.a = a;
    this.flag = a > 10;
  }
}
class Derived extends Base {
  extra = true;
  constructor(a, b) {
    super(a * 2, b);
    this.b = b;
    this.b = this.b === undefined ? 0 : b + 1; // (reads this: not built in place)
  }
}
class Plain extends Base {
  constructor(a, b) {
    super(a + b, 0);
    this.sum = a + b;
    this.sum = this.sum; // (reads this)
  }
}
class Twice extends Base {
  constructor(a) {
    super(a, 0);
    this.z = a;
    this.z = a * 3;
    this.list = new Array(3).fill(a);
    this.next = null;
  }
}
class Same extends Twice {}
class Fielded extends Base {
  extra = true;
  constructor(a) {
    super(a, 1);
    this.c = a;
  }
}
const keep = { t: new Twice(0), u: new Same(0), p: new Point(0, 0), f: new Fielded(0) };
function chain(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = new Twice(i);
    const u = new Same(i + 1);
    keep.t = t;
    keep.u = u;
    keep.f = new Fielded(i);
    s += t.a + t.z + t.list[2] + (t.flag ? 1 : 0) + t.kind + u.z + (u.next === null ? 1 : 0);
  }
  return s;
}
let t2 = 0;
for (let k = 0; k < 300; k++) t2 += chain(40);
console.log("chain", t2, JSON.stringify(keep.t), JSON.stringify(keep.u), JSON.stringify(keep.f));
console.log(JSON.stringify(new Derived(3, 4)), JSON.stringify(new Plain(1, 2)));

// 3. A plain function as a constructor, its prototype replaced later.
function Point(x, y) {
  this.x = x;
  this.y = y;
}
function points(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = new Point(i, i * 2);
    keep.p = p;
    s += p.x + p.y;
  }
  return s;
}
let t3 = 0;
for (let k = 0; k < 300; k++) t3 += points(30);
Point.prototype = { kind: "replaced" };
console.log("points", t3, points(30), new Point(1, 2).kind, keep.p.kind, JSON.stringify(keep.p));

// 4. A setter for a stored key added up the chain: the setter runs, as in node.
let setterCalls = 0;
for (let k = 0; k < 100; k++) t1 += balls(50);
Object.defineProperty(Ball.prototype, "y", {
  set(v) {
    setterCalls++;
  },
  get() {
    return 7;
  },
  configurable: true,
});
console.log("setter", balls(20), setterCalls);
delete Ball.prototype.y;

// 5. A deopt in the middle of a construction: what its calls did is rolled
// back (random.next() is not called twice), the object is dropped.
class Reader {
  constructor(src, random) {
    this.r = random.next();
    this.v = src.size; // (a boolean one day: the cache deoptimises)
    this.w = random.next();
  }
}
function readAll(srcs, random) {
  let s = 0;
  for (let i = 0; i < srcs.length; i++) {
    const r = new Reader(srcs[i], random);
    s += r.r + r.w + r.v;
  }
  return s;
}
const srcs = [];
for (let i = 0; i < 20; i++) srcs.push({ size: i });
const rnd = new Random();
let t5 = 0;
for (let k = 0; k < 300; k++) t5 += readAll(srcs, rnd);
srcs[10] = { size: true };
t5 += readAll(srcs, rnd);
console.log("reader", t5, rnd.seed);

// 6. A module's class (new som.Random()), then the export replaced.
const som = { Random, Ball };
function fromModule(n) {
  const random = new som.Random();
  let s = 0;
  for (let i = 0; i < n; i++) s += new som.Ball(random).x;
  return s;
}
let t6 = 0;
for (let k = 0; k < 300; k++) t6 += fromModule(20);
som.Ball = class {
  constructor(r) {
    this.x = -1;
  }
};
console.log("module", t6, fromModule(20));

// 7. A recursive constructor is left to the interpreter.
class Tree {
  constructor(d) {
    this.left = d > 0 ? new Tree(d - 1) : null;
    this.d = d;
  }
}
function depth(t) {
  let n = 0;
  while (t !== null) {
    n += t.d;
    t = t.left;
  }
  return n;
}
let t7 = 0;
for (let k = 0; k < 300; k++) t7 += depth(new Tree(10));
console.log("tree", t7);
