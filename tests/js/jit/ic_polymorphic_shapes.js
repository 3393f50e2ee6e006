// One read site sees 1, then 3, then 6 hidden classes (mono-, poly-, megamorphic);
// stores and methods use the receiver's shape too.
function norm2(p) { return p.x * p.x + p.y * p.y; }
function move(p, d) { p.x = p.x + d; p.y -= d; return p.x - p.y; }
class Vec {
  constructor(x, y) { this.x = x; this.y = y; }
  dot(o) { return this.x * o.x + this.y * o.y; }
  grow(k) { this.x *= k; this.y *= k; return this.x + this.y; }
}
const shapes = [
  {x: 1, y: 2}, {y: 3, x: 4}, {x: 5, y: 6, z: 7}, {a: 0, x: 1.5, y: 2.5},
  {x: 2, y: 1, w: 0, v: 0}, {q: 1, x: 3, y: 3},
];
let s = 0;
for (let i = 0; i < 3000; i++) s += norm2(shapes[0]);
console.log("mono", s);
for (let i = 0; i < 3000; i++) s += norm2(shapes[i % 3]) + move(shapes[i % 3], 0.25);
console.log("poly", s, shapes[1].x, shapes[2].y);
for (let i = 0; i < 3000; i++) s += norm2(shapes[i % 6]) - move(shapes[(i + 1) % 6], -0.5);
console.log("mega", s, JSON.stringify(shapes));
const v = new Vec(1, 2), w = new Vec(0.5, -1);
let t = 0;
for (let i = 0; i < 5000; i++) { t += v.dot(w); if (i % 1000 === 0) t += w.grow(1.5); }
console.log("methods", t, v, w);
const plain = {x: 3, y: 4, dot: Vec.prototype.dot};
console.log(plain.dot(v), Vec.prototype.dot.call(w, plain));
