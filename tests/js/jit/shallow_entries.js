// Entries from the interpreter that do little (a loop over a list one long)
// stop being made; those that do a lot go on.  Output as node's either way.
class Node { constructor(v, next) { this.v = v; this.next = next; } }
class Q {
  constructor() { this.head = null; }
  last() { let p = this.head; while (p.next !== null) { p = p.next; } return p.v; }
  sum() { let s = 0; for (let p = this.head; p !== null; p = p.next) { s += p.v; } return s; }
}
const short = new Q();
short.head = new Node(1, new Node(2, null));
const long = new Q();
for (let i = 0; i < 50; i++) long.head = new Node(i, long.head);
let t = 0, text = "";
for (let i = 0; i < 2000; i++) {
  t += short.last() + long.sum();
  try { text = "" + i; } catch (e) { text = ""; }  // (keeps this loop interpreted: every call is an entry)
}
short.head = new Node(5, new Node(6, new Node(7, null)));
console.log(t, text, short.last());
