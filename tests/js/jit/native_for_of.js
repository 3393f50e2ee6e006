// for...of in compiled code over packed arrays, arrays of objects and of
// strings; deopts and cold exits inside one go back to the loop around it.
class Ball {
  constructor(x, v) { this.x = x; this.v = v; }
  bounce() {
    this.x += this.v;
    if (this.x > 100) { this.x = 100; this.v = 0 - Math.abs(this.v); return true; }
    if (this.x < 0) { this.x = 0; this.v = Math.abs(this.v); return true; }
    return false;
  }
}
const balls = [];
for (let i = 0; i < 40; i++) balls.push(new Ball(i * 2.5, (i % 7) - 3));
function simulate(list, steps) {  // few iterations, each over many elements: hot by its for...of
  let bounces = 0;
  for (let s = 0; s < steps; s++) {
    for (const b of list) {
      if (b.bounce()) bounces += 1;
    }
  }
  return bounces;
}
let total = 0;
for (let k = 0; k < 150; k++) total += simulate(balls, 3);
console.log('balls', total, balls[3].x, balls[10].v, balls[39].x);

const nums = [1.5, 2, -3, 4.25], flags = [true, false, true], words = ['ab', 'cde', ''];
function mixed(a, f, w, stop) {
  let s = 0;
  for (let r = 0; r < 2; r++) {
    for (const x of a) {
      if (x < 0) continue;
      if (x > stop) break;
      s += x;
    }
    for (const on of f) if (on) s += 10;
    for (const word of w) s += word.length * 100;
    let last = 0;
    for (last of a) s += 0;  // (an existing variable as the target)
    s += last;
    for (const x of a) for (const y of f) if (y) s += x;  // (nested)
  }
  return s;
}
let m = 0;
for (let k = 0; k < 3000; k++) m += mixed(nums, flags, words, 3);
console.log('mixed', m, mixed([], [], [], 0), mixed(nums, flags, words, 1.5));

// a deopt inside the for...of: an index past the end
function picks(a, idx) {
  let s = 0;
  for (let r = 0; r < 3; r++) {
    for (const i of idx) s += a[i];
  }
  return s;
}
let p = 0;
for (let k = 0; k < 3000; k++) p += picks(nums, [0, 1, 3]);
console.log('picks', p, picks(nums, [0, 9]), picks(nums, [3, 2]));

// a cold branch taken inside a for...of, and a string there
function labels(list, limit) {
  let n = 0;
  for (let r = 0; r < 2; r++) {
    for (const b of list) {
      if (b.x > limit) { n += ('' + b.x).length; } else { n += 1; }
    }
  }
  return n;
}
let l = 0;
for (let k = 0; k < 2000; k++) l += labels(balls, 1000);
console.log('labels', l, labels(balls, 50));

// the array changes between runs: a hole, then another kind
function sumAll(a) { let s = 0; for (let r = 0; r < 2; r++) for (const x of a) s += x; return s; }
const live = [1, 2, 3];
let q = 0;
for (let k = 0; k < 3000; k++) q += sumAll(live);
live.push(4);
const before = sumAll(live);
live[6] = 7;
console.log('live', q, before, sumAll(live));
live[1] = 'two';
console.log('kinds', sumAll(live));
