// o.m() where o is of up to four classes: one call cache per function,
// tried in turn (each caching "not mine" too).  Each case runs hot enough
// to compile; the output must be node's.

class Shape {
  constructor(k) {
    this.k = k;
  }
}
class Sq extends Shape {
  area() {
    return this.k * this.k;
  }
  grow(n) {
    this.k += n;
  }
}
class Circ extends Shape {
  area() {
    return 3 * this.k * this.k;
  }
  grow(n) {
    this.k *= 1 + n / 100;
  }
}
class Tri {
  constructor(b, h) {
    this.b = b;
    this.h = h;
    this.k = b;
  }
  area() {
    return (this.b * this.h) / 2;
  }
  grow(n) {
    this.b += n;
  }
}
class Unit {
  area() {
    return 1; // (an int32 where the others return doubles)
  }
  grow(n) {}
}

function total(shapes, n) {
  let s = 0;
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < shapes.length; i++) {
      const x = shapes[i];
      s += x.area();
      if (r % 100 === 0) x.grow(1);
    }
  }
  return s;
}

// 1. Four classes at one site.
const shapes = [new Sq(1), new Circ(2), new Tri(3, 4), new Sq(5), new Unit()];
let t = 0;
for (let k = 0; k < 20; k++) t += total(shapes, 500);
console.log("four", t.toFixed(3));

// 2. A method replaced after the sites were patched: a class that was "not
// this function" for a site now is, and one that was, is not.
Tri.prototype.area = Sq.prototype.area;
console.log("replaced", total(shapes, 300).toFixed(3));
Sq.prototype.area = function () {
  return -this.k;
};
console.log("replaced again", total(shapes, 300).toFixed(3));

// 3. More than four: the site is left to the interpreter.
class Hex {
  area() {
    return 6;
  }
  grow() {}
}
shapes.push(new Hex());
console.log("five", total(shapes, 300).toFixed(3));

// 4. A site that met one class for long, then a second: it deoptimises,
// and its function is compiled again for both.
class A {
  constructor(v) {
    this.v = v;
  }
  get2() {
    return this.v * 2;
  }
}
class B {
  constructor(v) {
    this.w = 0;
    this.v = v;
  }
  get2() {
    return this.v + 2;
  }
}
function sum2(list, n) {
  let s = 0;
  for (let r = 0; r < n; r++) for (let i = 0; i < list.length; i++) s += list[i].get2();
  return s;
}
const list = [new A(1), new A(2), new A(3)];
let u = 0;
for (let k = 0; k < 50; k++) u += sum2(list, 100);
list.push(new B(4));
for (let k = 0; k < 50; k++) u += sum2(list, 100);
console.log("recompiled", u);
