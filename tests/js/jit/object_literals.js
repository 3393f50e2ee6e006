// Object literals built in compiled code: distinct plain keys, values of
// every slot kind; read back by compiled code and by the interpreter,
// stored into other objects, returned.  Keys compiled code does not build
// (an index, __proto__, a computed key, an accessor, a spread) stay the
// interpreter's; a setter on Object.prototype for a literal's key does
// not run (a literal defines its properties).

function points(n) {
  let sx = 0, sy = 0, last = null;
  for (let i = 0; i < n; i++) {
    const p = { x: i, y: i * 0.5, on: i % 2 === 0, name: "p" + i, prev: last };
    sx += p.x + (p.on ? 1 : 0);
    sy += p.y;
    last = p;
  }
  return sx + "," + sy + "," + last.name + "," + last.prev.name + "," + last.prev.prev.x + "," + (last.on ? 1 : 0);
}

function pair(a, b) { return { lo: a < b ? a : b, hi: a < b ? b : a }; }
function spans(n) {
  let w = 0;
  for (let i = 0; i < n; i++) { const s = pair(i, (i * 7) % 13); w += s.hi - s.lo; }
  return w;
}

function records(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push({ id: i, tag: "r" + (i % 3), score: i * 1.5 });
  return out;
}

function arrays(n) {
  let t = 0;
  for (let i = 0; i < n; i++) {
    const o = { xs: [i, i + 1, i + 2], flags: [true, false] };
    t += o.xs[2] + (o.flags[0] ? 1 : 0);
  }
  return t;
}

function odd(n) {
  // keys compiled code does not build: each function stays interpreted
  let t = 0;
  for (let i = 0; i < n; i++) {
    const a = { 1: i, b: 2 };
    const k = "c" + (i % 2);
    const c = { [k]: i };
    const d = { get v() { return i; } };
    const e = { ...a, z: 1 };
    t += a[1] + c[k] + d.v + e.z + Object.keys(a).length;
  }
  return t;
}

let r;
for (let k = 0; k < 12; k++) r = points(300 + k);
console.log(r);
for (let k = 0; k < 12; k++) r = spans(200 + k);
console.log(r);
for (let k = 0; k < 12; k++) r = records(50 + k);
console.log(r.length, JSON.stringify(r[7]), Object.keys(r[3]).join(","), r[60].tag, r.reduce((s, o) => s + o.score, 0));
for (let k = 0; k < 12; k++) r = arrays(100 + k);
console.log(r);
for (let k = 0; k < 12; k++) r = odd(20 + k);
console.log(r);
let hits = 0;
Object.defineProperty(Object.prototype, "id", { set(v) { hits++; }, get() { return -1; }, configurable: true });
for (let k = 0; k < 3; k++) r = records(10);
console.log(hits, r[4].id, JSON.stringify(r[9]));
delete Object.prototype.id;
