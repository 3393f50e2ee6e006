// A hot loop that uses a variable a closure captures runs natively (the
// variable held in a register, written back to its cell when the loop
// leaves), and arrays of objects held in properties are read natively.
class Body { constructor(x, v, m) { this.x = x; this.v = v; this.mass = m; } }
class System {
  constructor(n) { this.bodies = []; for (let i = 0; i < n; i++) this.bodies.push(new Body(i, 1 - i * 0.5, i + 1)); }
  advance(dt) {
    for (let i = 0; i < this.bodies.length; i += 1) {
      const a = this.bodies[i];
      for (let j = i + 1; j < this.bodies.length; j += 1) {
        const b = this.bodies[j];
        const d = a.x - b.x;
        a.v -= d * b.mass * dt;
        b.v += d * a.mass * dt;
      }
    }
    this.bodies.forEach((body) => { body.x += dt * body.v; });  // (dt is captured)
  }
  energy() { let e = 0; for (const b of this.bodies) e += 0.5 * b.mass * b.v * b.v; return e; }
}
const sys = new System(5);
for (let k = 0; k < 3000; k++) sys.advance(0.01);
console.log('system', sys.energy().toFixed(9), sys.bodies[2].x.toFixed(9));

// the loop changes the captured variable; a closure made before it reads it after
function counter(n) {
  let total = 0;
  const read = () => total;
  for (let i = 0; i < n; i++) total += i;
  return read();
}
let c = 0;
for (let k = 0; k < 2000; k++) c += counter(50);
console.log('counter', c, counter(10));

// a deopt inside the loop: the interpreter resumes with the cell as compiled code left it
function stepped(a, n) {
  let acc = 0;
  const peek = () => acc;
  for (let i = 0; i < n; i++) acc += a[i];  // past the end: a deopt
  return peek() + acc;
}
let s = 0;
const arr = [1, 2, 3, 4];
for (let k = 0; k < 2000; k++) s += stepped(arr, 4);
console.log('stepped', s, stepped(arr, 6));

// a compiled closure of the same function that also uses the variable: the loop stays interpreted
function shared(n) {
  let hits = 0;
  const o = { bump() { hits += 1; return hits; } };
  let last = 0;
  for (let i = 0; i < n; i++) last = o.bump() + hits;
  return last + hits;
}
let sh = 0;
for (let k = 0; k < 300; k++) sh += shared(40);
console.log('shared', sh);

// arrays of objects in properties: changed between runs, shared by two holders
const list = { items: [new Body(1, 2, 3), new Body(4, 5, 6)] };
const other = { items: list.items };
function weigh(h, g) {
  let w = 0;
  for (let r = 0; r < 3; r++) {
    for (let i = 0; i < h.items.length; i++) { h.items[i].mass += 1; w += g.items[i].mass; }
  }
  return w;
}
let wt = 0;
for (let k = 0; k < 2000; k++) wt += weigh(list, other);
list.items.push(new Body(7, 8, 9));
const w1 = weigh(list, other);
list.items[1] = 5;  // no longer an array of objects
let w2;
try { w2 = weigh(list, other); } catch (e) { w2 = e.constructor.name; }
console.log('weigh', wt, w1, w2, list.items[0].mass);
function firstItems(h) { let n = 0; for (let i = 0; i < 3; i++) n += h.items.length; return h.items; }
const held = { items: [new Body(0, 0, 1)] };
let got = null;
for (let k = 0; k < 2000; k++) got = firstItems(held);
console.log('handed back', got === held.items, got.length);

// one compiled closure of the function, called in its hot loop: both use the variable
function sharedOnce(n) {
  let hits = 0;
  class Bumper { bump() { hits += 1; return hits; } }
  const o = new Bumper();
  let last = 0;
  for (let i = 0; i < n; i++) last = o.bump() + hits;
  return last + hits;
}
console.log('shared once', sharedOnce(30000));
