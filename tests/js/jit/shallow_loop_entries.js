// A loop in a function the JIT cannot compile (a call of JSON.stringify) is
// entered natively from the interpreter, mirroring the objects it uses.  A
// loop of four iterations an entry stops being entered (mirroring costs more
// than it saves); one of forty goes on.  Output as node's either way.
class Rec { constructor() { this.count = 0; this.dest = 1; } }
class Pkt { constructor(n) { this.data = new Array(n).fill(0); this.id = 0; } }
function short(rec, pkt) {
  const tag = JSON.stringify(rec.count);
  rec.dest = rec.dest === 1 ? 2 : 1;
  pkt.id = rec.dest;
  for (let i = 0; i < 4; i += 1) {
    rec.count += 1;
    if (rec.count > 26) { rec.count = 1; }
    pkt.data[i] = 65 + rec.count - 1;
  }
  return tag.length;
}
function long(rec, pkt) {
  const tag = JSON.stringify(rec.dest);
  for (let i = 0; i < 40; i += 1) {
    rec.count += 2;
    if (rec.count > 26) { rec.count = 1; }
    pkt.data[i] = rec.count * 3;
  }
  return tag.length;
}
const r = new Rec(), a = new Pkt(4), b = new Pkt(40);
let s = 0;
for (let k = 0; k < 1500; k++) {
  s += short(r, a) + long(r, b) + a.data[3] + b.data[39];
}
console.log(s, r.count, a.data.join(","), b.data[0], a.id);
