// Arrays held in objects' properties, read through inline caches: the slot
// holds the array's own descriptor, so compiled code indexes it, stores into
// it (the interpreter sees the stores), and reads its length.
class Permute {
  constructor() { this.count = 0; this.v = null; }
  run(n) { this.count = 0; this.v = new Array(n).fill(0); this.permute(n); return this.count; }
  permute(n) {
    this.count += 1;
    if (n !== 0) {
      const n1 = n - 1;
      this.permute(n1);
      for (let i = n1; i >= 0; i -= 1) { this.swap(n1, i); this.permute(n1); this.swap(n1, i); }
    }
  }
  swap(i, j) { const tmp = this.v[i]; this.v[i] = this.v[j]; this.v[j] = tmp; }
}
const p = new Permute();
let t = 0;
for (let k = 0; k < 20; k++) t += p.run(5);
console.log(t, p.v.join(","));

class Queens {
  constructor() { this.freeRows = null; this.freeMaxs = null; this.freeMins = null; this.queenRows = null; }
  solve() {
    this.freeRows = new Array(8).fill(true);
    this.freeMaxs = new Array(16).fill(true);
    this.freeMins = new Array(16).fill(true);
    this.queenRows = new Array(8).fill(-1);
    return this.place(0);
  }
  place(c) {
    for (let r = 0; r < 8; r += 1) {
      if (this.get(r, c)) {
        this.queenRows[r] = c;
        this.set(r, c, false);
        if (c === 7) return true;
        if (this.place(c + 1)) return true;
        this.set(r, c, true);
      }
    }
    return false;
  }
  get(r, c) { return this.freeRows[r] && this.freeMaxs[c + r] && this.freeMins[c - r + 7]; }
  set(r, c, v) { this.freeRows[r] = v; this.freeMaxs[c + r] = v; this.freeMins[c - r + 7] = v; }
}
const q = new Queens();
let ok = 0;
for (let k = 0; k < 40; k++) if (q.solve()) ok++;
console.log(ok, q.queenRows.join(","), q.freeRows.join(","));

// A property's array replaced between calls: each entry reads the new one.
function total(o) { let s = 0; for (let i = 0; i < o.xs.length; i++) s += o.xs[i]; return s; }
const box = {tag: 1, xs: [1, 2, 3]};
let acc = 0;
for (let k = 0; k < 3000; k++) acc += total(box);
box.xs = [10, 20, 30, 40];
acc += total(box);
box.xs.push(5);
console.log(acc, total(box));
