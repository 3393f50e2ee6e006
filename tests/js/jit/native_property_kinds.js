// A property's value changes kind in compiled code: null -> an array of
// objects -> null, an object -> an array; each store moves the object to
// a new shape, and what the interpreter reads afterwards is what was stored.
class Item {
  constructor(v) { this.v = v; }
}
class Holder {
  constructor(k) { this.items = null; this.count = 0; this.k = k; }
  fill(n) {
    this.items = new Array(n);
    for (let i = 0; i < n; i += 1) { this.items[i] = new Item(i + this.k); }
    this.count = n;
  }
  sum() {
    let s = 0;
    for (let i = 0; i < this.count; i += 1) { s += this.items[i].v; }
    return s;
  }
  clear() { this.items = null; this.count = 0; }
}
function churn(rounds) {
  const kept = new Array(rounds);
  let total = 0;
  for (let r = 0; r < rounds; r += 1) {
    const h = new Holder(r);
    h.fill(r % 5 + 1);
    total += h.sum();
    if (r % 3 === 0) { h.clear(); }
    kept[r] = h;
  }
  return [total, kept];
}
const [total, kept] = churn(3000);
console.log(total, kept.length);
console.log(kept[0].items, kept[1].items.length, kept[1].items[1].v, kept[2999].items);
console.log(kept[2998].items.map((it) => it.v).join());

// An object's slot given an array, then read by a site compiled for objects.
class Node { constructor(v) { this.v = v; this.link = null; } }
function linkAll(nodes, n) {
  for (let i = 0; i < n; i += 1) { nodes[i % nodes.length].link = nodes[(i + 1) % nodes.length]; }
  return nodes[0].link.v;
}
function linkSum(nodes, n) {
  let s = 0;
  for (let i = 0; i < n; i += 1) { const l = nodes[i % nodes.length].link; if (l !== null) { s += l.v; } }
  return s;
}
const ns = [new Node(1), new Node(2), new Node(3)];
console.log(linkAll(ns, 5000), linkSum(ns, 5000));
function giveArrays(nodes, n) {
  for (let i = 0; i < n; i += 1) { nodes[i % nodes.length].link = new Array(2); }
  return nodes.length;
}
giveArrays(ns, 5000);
console.log(Array.isArray(ns[0].link), ns[0].link.length, linkSum(ns, 10));
console.log(linkSum([new Node(4), new Node(5)], 4));
