// KNOWN FAULT (found 2026-12-07, tenth session; present at 50f5339 and at HEAD): a WRONG RESULT.
//
//   mpk run --no-cache tests/attacks/known_faults/tier_up_list_reversal.js
//
// prints "0 0 -1" (each line) where node prints "0 19999 199990000" / "1 0 ..." / "2 19999 ...".
// (--no-cache: every run builds its O2 modules in the background, so reverse()'s loop unit leaves
// at a back-edge to switch builds; with the object cache warm there is no switch and it is right,
// and --no-background-jit is right too.)  The same happens with one tier-up exit forced by hand.
//
// What was seen: at that exit Tier._write_back resolves the spilled words of `cur` and `nx`
// (node 257's mirror address) with _back: run_value and owner_at both find nothing there, so it
// falls back to the variable's value in the interpreter's frame -- node 256 from before the run --
// and the interpreter resumes with prev === cur; the list becomes a cycle.  The nodes were built
// in place in build()'s compiled loops (arena blocks, materialised and evacuated when handed out),
// so the likely place is how a materialised or evacuated node's mirror address is registered
// (shapes._materialize / evacuate / _BY_ADDRESS) versus the address mirror_in wrote into the
// previous node's `next` slot.  Kept outside every suite until fixed (it hangs).
class Node { constructor(v) { this.v = v; this.left = null; this.right = null; this.next = null; } }
const SENT = new Node(-1);
function build(n) { const nodes = []; for (let i = 0; i < n; i++) nodes.push(new Node(i)); for (let i = 0; i + 1 < n; i++) nodes[i].next = nodes[i + 1]; nodes[n - 1].next = SENT; return nodes[0]; }
function reverse(list) { let prev = SENT; let cur = list; while (cur !== SENT) { const nx = cur.next; cur.next = prev; prev = cur; cur = nx; } return prev; }
function check(list) { let r = 0, k = 0; let n = list; while (n !== SENT && k < 100000) { r += n.v; n = n.next; k++; } return k < 100000 ? r : -1; }
let r = build(20000);
for (let i = 0; i < 3; i++) { r = reverse(r); console.log(i, r.v, check(r)); }
