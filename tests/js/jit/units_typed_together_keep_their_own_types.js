// Units planned in one batch, or emitted again later, share AST nodes: each
// must be emitted with its own types (a loop typed with int32s inside a
// function typed with doubles; a small leaf's private copy for booleans
// after its compilation for numbers).
class Queens {
  constructor() { this.freeMaxs = null; this.freeRows = null; this.freeMins = null; this.queenRows = null; }
  benchmark() {
    let result = true;
    for (let i = 0; i < 10; i += 1) { result = result && this.queens(); }
    return result;
  }
  queens() {
    this.freeRows = new Array(8).fill(true);
    this.freeMaxs = new Array(16).fill(true);
    this.freeMins = new Array(16).fill(true);
    this.queenRows = new Array(8).fill(-1);
    return this.placeQueen(0);
  }
  placeQueen(c) {
    for (let r = 0; r < 8; r += 1) {
      if (this.getRowColumn(r, c)) {
        this.queenRows[r] = c;
        this.setRowColumn(r, c, false);
        if (c === 7) { return true; }
        if (this.placeQueen(c + 1)) { return true; }
        this.setRowColumn(r, c, true);
      }
    }
    return false;
  }
  getRowColumn(r, c) { return this.freeRows[r] && this.freeMaxs[c + r] && this.freeMins[c - r + 7]; }
  setRowColumn(r, c, v) { this.freeRows[r] = v; this.freeMaxs[c + r] = v; this.freeMins[c - r + 7] = v; }
}
const q = new Queens();
let ok = true;
const N = 12;
for (let i = 0; i < N; i++) ok = ok && q.benchmark();
console.log(ok);

function sq3(x) { return x * 3 + 1; }
let a = 0;
for (let i = 0; i < 3000; i++) a += sq3(i % 100);
let b = 0;
for (let i = 0; i < 3000; i++) b += sq3(i % 3 === 0);
function g3(n) { let t = 0; for (let i = 0; i < n; i++) t += sq3(i % 7); return t; }
let c = 0;
for (let k = 0; k < 50; k++) c += g3(100);
console.log(a, b, c);
