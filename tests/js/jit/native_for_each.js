// a.forEach(arrow) compiled in place: the arrow's body runs as a loop
// inside its function's compiled code, its captured variables that
// function's locals.  Each case runs hot enough to compile; the output
// must be node's.

class Body {
  constructor(x, vx) {
    this.x = x;
    this.vx = vx;
  }
}

// 1. NBody's advance: a parameter and a local captured, objects updated.
class System {
  constructor() {
    this.bodies = [new Body(1, 0.5), new Body(2, -1.5), new Body(4, 2.25)];
  }

  advance(dt) {
    let moved = 0;
    for (let i = 0; i < this.bodies.length; i += 1) moved += this.bodies[i].vx * 0;
    this.bodies.forEach((body) => {
      body.x += dt * body.vx;
      moved += 1;
    });
    return moved;
  }
}
const sys = new System();
let steps = 0;
for (let k = 0; k < 3000; k++) steps += sys.advance(0.01);
console.log("advance", steps, sys.bodies.map((b) => b.x.toFixed(6)).join(" "));

// 2. The index, a return that goes to the next element, an expression body.
function oddWeighted(a) {
  let total = 0;
  a.forEach((x, i) => {
    if (i % 2 === 0) return;
    total += x * i;
  });
  let count = 0;
  a.forEach((x) => (count += x > 2 ? 1 : 0));
  return total + count / 100;
}
const nums = [1.5, 2, 3, 4, 5, 6, 7];
let w = 0;
for (let k = 0; k < 3000; k++) w += oddWeighted(nums);
console.log("weighted", w);

// 3. Holes are skipped, null and undefined are visited; booleans and strings.
function visits(objs, flags, words) {
  let n = 0;
  objs.forEach((o, i) => {
    n += o ? o.x : i * 1000;
  });
  flags.forEach((f) => {
    if (f) n += 0.5;
  });
  words.forEach((s) => {
    n += s.length;
  });
  return n;
}
const sparse = new Array(7);
sparse[1] = new Body(10, 0);
sparse[2] = null;
sparse[4] = new Body(20, 0);
sparse[5] = undefined;
let v = 0;
for (let k = 0; k < 3000; k++) v += visits(sparse, [true, false, true], ["ab", "cde"]);
console.log("visits", v);

// 4. A deopt inside the callback: what the call did so far is rolled back
// and the interpreter makes it again -- once.
function bump(list, by) {
  let sum = 0;
  list.forEach((b) => {
    b.x += by;
    sum += b.vx; // (a boolean here, at the end: a cache that deoptimises)
  });
  return sum;
}
const bumped = [new Body(0, 1), new Body(0, 2), new Body(0, 3)];
let bs = 0;
for (let k = 0; k < 3000; k++) bs += bump(bumped, 1);
bumped[2].vx = true;
bs += bump(bumped, 1);
console.log("bump", bs, bumped.map((b) => b.x).join(","));

// 5. A deopt after a commit in the loop around it: the interpreter goes on
// with the captured variables in cells, as its closures expect.
function drift(list, objs, rounds, dt) {
  let acc = 0;
  for (let r = 0; r < rounds; r++) {
    list.forEach((b) => {
      acc += b.vx * dt;
    });
    acc += objs[r % objs.length].vx;
  }
  return acc;
}
const probes = [new Body(0, 1), new Body(0, 2)];
let d = 0;
for (let k = 0; k < 200; k++) d += drift(bumped.slice(0, 2), probes, 50, 0.5);
probes[1] = new Body(0, false);
probes[1].vx = true; // (same shape, a boolean: deopts mid-loop)
d += drift(bumped.slice(0, 2), probes, 5000, 0.5);
console.log("drift", d);

// 6. forEach that is not Array.prototype's built-in is called, not inlined.
class Tally extends Array {
  forEach(f) {
    f(100, 0);
  }
}
function total(a) {
  let t = 0;
  a.forEach((x) => {
    t += x;
  });
  return t;
}
const plain = [1, 2, 3];
let tt = 0;
for (let k = 0; k < 3000; k++) tt += total(plain);
const tally = new Tally();
tally.push(1, 2);
tt += total(tally);
const own = [4, 5];
own.forEach = function (f) {
  f(1000, 0);
};
tt += total(own);
const saved = Array.prototype.forEach;
Array.prototype.forEach = function (f) {
  f(7, 0);
};
tt += total(plain);
Array.prototype.forEach = saved;
tt += total(plain);
console.log("total", tt);
