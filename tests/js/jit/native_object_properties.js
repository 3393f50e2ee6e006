// Objects held in objects' properties, and null: the slot holds the
// object's mirror (refreshed at the first cache miss in each compiled run),
// or 0 for null.  Compiled code walks lists, compares references, stores
// numbers into objects it reached, and hands objects (or null) back.
class Element {
  constructor(v) { this.val = v; this.next = null; }
  length() { if (this.next === null) { return 1; } return 1 + this.next.length(); }
}
function makeList(n) { let head = null; for (let i = n; i > 0; i--) { const e = new Element(i); e.next = head; head = e; } return head; }
class Lists {
  isShorterThan(x, y) {
    let xTail = x; let yTail = y;
    while (yTail !== null) {
      if (xTail === null) { return true; }
      xTail = xTail.next; yTail = yTail.next;
    }
    return false;
  }
  tail(x, y, z) {
    if (this.isShorterThan(y, x)) {
      return this.tail(this.tail(x.next, y, z), this.tail(y.next, z, x), this.tail(z.next, x, y));
    }
    return z;
  }
}
const L = new Lists();
let s = 0;
for (let i = 0; i < 40; i++) s += L.tail(makeList(12), makeList(8), makeList(4)).length();
console.log(s);

function sum(list) { let t = 0; let n = list; while (n !== null) { t += n.val; n = n.next; } return t; }
function bumpAll(list, k) { let n = list; while (n != null) { n.val = n.val + k; n = n.next; } return list; }
function last(list) { let n = list; while (n.next !== null) n = n.next; return n; }
function find(list, v) { let n = list; while (n !== null) { if (n.val === v) return n; n = n.next; } return null; }
const list = makeList(50);
let acc = 0;
for (let i = 0; i < 200; i++) acc += sum(list);
console.log(acc, sum(bumpAll(list, 1)), last(list).val, find(list, 10).val, find(list, 1000));
// The interpreter changes an object between compiled runs: the next run reads the change.
list.next.val = 1000;
list.next.next = null;
console.log(sum(list), last(list) === list.next, find(list, 1000) === list.next);

class Counter { constructor() { this.hits = 0; this.misses = 0; } }
class Cache {
  constructor() { this.stats = new Counter(); this.size = 8; }
  probe(k) { if (k % 3 === 0) { this.stats.hits += 1; return true; } this.stats.misses += 1; return false; }
  run(n) { let h = 0; for (let i = 0; i < n; i++) if (this.probe(i)) h++; return h; }
}
const c = new Cache();
console.log(c.run(3000), c.stats.hits, c.stats.misses, JSON.stringify(c));
