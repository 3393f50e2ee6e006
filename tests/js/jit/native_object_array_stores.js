// Compiled code stores objects and null into arrays of objects, which may
// hold holes, null and undefined (AWFY's Towers keeps its piles so).  Each
// case runs hot enough to compile; its output must be node's.

class Disk {
  constructor(size) {
    this.size = size;
    this.next = null;
  }
}

class Piles {
  constructor() {
    this.piles = new Array(3); // three holes
    this.moves = 0;
  }

  push(disk, pile) {
    const top = this.piles[pile];
    if (top && disk.size >= top.size) {
      throw new Error("Cannot put a big disk on a smaller one");
    }
    disk.next = top; // undefined for the first disk on a pile
    this.piles[pile] = disk;
  }

  pop(pile) {
    const top = this.piles[pile];
    if (top === null) {
      throw new Error("empty pile");
    }
    this.piles[pile] = top.next;
    top.next = null;
    return top;
  }

  moveTop(from, to) {
    this.push(this.pop(from), to);
    this.moves += 1;
  }

  move(disks, from, to) {
    if (disks === 1) {
      this.moveTop(from, to);
    } else {
      const other = 3 - from - to;
      this.move(disks - 1, from, other);
      this.moveTop(from, to);
      this.move(disks - 1, other, to);
    }
  }
}

function towers(n) {
  const t = new Piles();
  for (let i = n; i >= 0; i -= 1) t.push(new Disk(i), 0);
  t.move(n, 0, 1);
  return t;
}

// 1. Hanoi: holes, undefined in a property, stores of objects into elements.
let total = 0;
let last = null;
for (let r = 0; r < 40; r++) {
  last = towers(8);
  total += last.moves;
}
console.log("moves", total, last.piles.length, 0 in last.piles, 2 in last.piles);
console.log("bottom next", last.piles[1].next === null, last.pop(1).size);
let depth = 0;
for (let d = last.piles[1]; d; d = d.next) depth++;
console.log("depth", depth, last.piles[0], last.piles[2] === undefined);

// 2. A hole stays a hole unless stored to; undefined stored is an own element.
function shuffle(a, n) {
  let moved = 0;
  for (let i = 0; i < n; i++) {
    const j = i % a.length;
    const k = (i * 7 + 3) % a.length;
    const x = a[j];
    a[j] = a[k];
    a[k] = x;
    if (x == null) moved++;
  }
  return moved;
}
const holes = new Array(6);
holes[1] = new Disk(1);
holes[4] = null;
console.log("moved", shuffle(holes, 5000), holes.length);
console.log("own", [0, 1, 2, 3, 4, 5].map((i) => i in holes).join(","));
console.log(holes.map((d) => (d === null ? "null" : d === undefined ? "undef" : d.size)).join(","));
function evens(a, d, n) {
  for (let i = 0; i < n; i++) a[(i * 2) % a.length] = i % 3 === 0 ? d : null;
  return a.length;
}
const half = new Array(8);
half[1] = new Disk(3);
evens(half, new Disk(4), 4001);
console.log("half", [0, 1, 2, 3, 4, 5, 6, 7].map((i) => i in half).join(","), half[1].size, half[6]);
const untouched = new Array(4);
untouched[0] = new Disk(7);
function readOnly(a, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i % 4];
    if (d) s += d.size;
  }
  return s;
}
console.log("read", readOnly(untouched, 4000), [0, 1, 2, 3].map((i) => i in untouched).join(","));

// 3. A store, then a deopt in the same iteration: the store is rolled back
// and the interpreter makes it again -- once.
class Other {
  constructor() {
    this.tag = 1;
    this.size = 2;
  }
}
function relink(a, objs, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const o = objs[i % objs.length];
    a[i % a.length] = o;
    s += o.size; // Other's size is at another slot: a cache miss, then a patch
  }
  return s;
}
const slots = [null, null, null];
const mixed = [];
for (let i = 0; i < 30; i++) mixed.push(new Disk(i));
console.log("relink", relink(slots, mixed, 3000), slots.map((d) => d.size).join(","));
mixed[17] = new Other();
console.log("relink", relink(slots, mixed, 3000), slots.map((d) => d.size).join(","));
function rotate(a, objs, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = a[0];
    a[0] = a[1];
    a[1] = a[2];
    a[2] = t; // (made twice, the rotation would show)
    s += objs[i % objs.length].size;
  }
  return s;
}
const ring = [new Disk(0), null, new Disk(2)];
console.log("rotate", rotate(ring, mixed.slice(0, 10), 3001), ring.map((d) => d && d.size).join(","));
const odd = new Other();
odd.size = true; // (a boolean where compiled code reads numbers: a deopt after the stores)
mixed[5] = odd;
console.log("rotate", rotate(ring, mixed, 3001), ring.map((d) => d && d.size).join(","));

// 4. Conditions mixing an object and a boolean, negated and nested.
function count(a, limit) {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i];
    if (d && d.size > limit) n++;
    if (!(d || limit > 100)) n += 100;
    if ((d && d.size === 3) || (!d && limit === 5)) n += 1000;
    while (d && d.size < 0) {}
    if (i + 1 < a.length && a[i] === a[i + 1]) n += 10000; // (a hole is undefined)
  }
  return n;
}
const sparse = new Array(10);
for (let i = 0; i < 10; i += 2) sparse[i] = new Disk(i);
sparse[3] = null;
sparse[6] = undefined; // (beside a hole)
let c = 0;
for (let r = 0; r < 500; r++) c += count(sparse, r % 7);
console.log("count", c);

// 5. A frozen array of objects is never stored into.
function setAll(a, d, n) {
  for (let i = 0; i < n; i++) a[i % a.length] = d;
  return a.length;
}
const open = [new Disk(1), new Disk(2)];
const frozen = Object.freeze([new Disk(3), new Disk(4)]);
setAll(open, new Disk(9), 3000);
setAll(frozen, new Disk(9), 3000);
console.log("frozen", open[0].size, open[1].size, frozen[0].size, frozen[1].size);

// 6. The array stops being one of objects between runs: the interpreter runs.
const kinds = [new Disk(1), null, new Disk(2)];
setAll(kinds, new Disk(5), 3000);
kinds[1] = 42;
console.log("kinds", readOnlyKinds(kinds));
function readOnlyKinds(a) {
  let s = 0;
  for (let r = 0; r < 2000; r++) {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x === "number") s += x;
      else s += 1;
    }
  }
  return s;
}
