// Loops whose variables hold null (or nothing yet) where they start: a list
// built node by node from null, the best object so far, a previous node.
class Node {
  constructor(v, next) {
    this.v = v;
    this.next = next;
  }
}
function build(n) {
  let h = null;
  for (let i = 0; i < n; i++) h = new Node(i, h);
  return h;
}
function stats(h) {
  let best = null;
  let prev;
  let s = 0;
  for (let p = h; p !== null; p = p.next) {
    if (best === null || p.v % 97 > best.v % 97) best = p;
    if (prev !== undefined) s += prev.v - p.v;
    prev = p;
  }
  return s * 1000 + best.v;
}
let t = 0;
for (let r = 0; r < 20; r++) t += stats(build(2000 + r));
console.log("lists", t);
