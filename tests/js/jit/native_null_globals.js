// Globals holding null (Richards keeps its NO_TASK / NO_WORK sentinels so) are
// object references in compiled code; one that later holds a number keeps
// compiled code out.  Output must be node's.
const NONE = null;
let last = null;
class N { constructor(v, next) { this.v = v; this.next = next; } }
function walk(list) { let s = 0; let n = list; while (n !== NONE) { s += n.v; last = n; n = n.next; } return s; }
let list = NONE;
for (let i = 0; i < 100; i++) list = new N(i, list);
let t = 0;
for (let k = 0; k < 2000; k++) t += walk(list);
console.log(t, last.v, walk(NONE), last === null);
last = 5;
console.log(walk(list), last.v);

// Arrays and strings compared with null: never null, in compiled code too.
function f(a, s, objs, n) {
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (a === null) c += 100;
    if (a != null) c += 1;
    if (null == s) c += 1000;
    if (objs !== null) c += 2;
    if (objs[i % objs.length] == null) c += 3;
  }
  return c;
}
class Q { constructor(v) { this.v = v; } }
let tn = 0;
for (let k = 0; k < 300; k++) tn += f([1, 2], "ab", [new Q(1), null], 50);
console.log("null comparisons", tn);
