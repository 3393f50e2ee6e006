// Objects that, when compiled code leaves, only its own variables still
// hold: the write-back overwrites the last property (or cuts the last
// element) that referenced them.  A list reversed in place -- the node in
// `cur` was held only by the `next` the loop just rewrote --, a stack
// popped in a loop, an array of objects popped into a variable.  Each must
// come back to the interpreter as itself (the tier-up switch attacks leave
// these loops at every back-edge).  The loops are bounded: a list the
// write-back broke into a cycle prints a wrong total rather than hangs.
class Node {
  constructor(v) {
    this.v = v;
    this.next = null;
  }
}
const SENT = new Node(-1);
function build(n) {
  const nodes = [];
  for (let i = 0; i < n; i++) nodes.push(new Node(i));
  for (let i = 0; i + 1 < n; i++) nodes[i].next = nodes[i + 1];
  nodes[n - 1].next = SENT;
  return nodes[0];
}
function reverse(list) {
  let prev = SENT;
  let cur = list;
  let steps = 0;
  while (cur !== SENT && steps++ < 1000000) {
    const nx = cur.next;
    cur.next = prev;
    prev = cur;
    cur = nx;
  }
  return prev;
}
function total(list) {
  let r = 0;
  let k = 0;
  for (let n = list; n !== SENT && k < 100000; n = n.next) {
    r += n.v;
    k++;
  }
  return k < 100000 ? r : -1;
}
let r = build(20000);
for (let i = 0; i < 3; i++) {
  r = reverse(r);
  console.log("reversed", i, r.v, total(r));
}

class Stack {
  constructor() {
    this.head = SENT;
  }
}
function drain(s, n) {
  let t = 0;
  for (let i = 0; i < n && s.head !== SENT; i++) {
    const b = s.head;
    s.head = b.next;
    b.next = null;
    t += b.v * (i % 3);
  }
  return t;
}
const s = new Stack();
s.head = build(15000);
console.log("drained", drain(s, 7000), drain(s, 9000), s.head === SENT);

function popAll(xs) {
  let t = 0;
  let last = null;
  while (xs.length > 0) {
    const o = xs.pop();
    t += o.v;
    last = o;
  }
  return t + (last === null ? 0 : last.v);
}
const xs = [];
for (let i = 0; i < 20000; i++) xs.push(new Node(i));
console.log("popped", popAll(xs), xs.length);
