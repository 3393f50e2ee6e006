// `o.p === null` where o.p holds an array or null (som's Vector.storage),
// a string or null (DeltaBlue's direction), or a number: compiled code
// asks the shape whether the slot holds a reference and compares its word,
// never reading the value as one kind.  Loose tests take undefined too; an
// accessor, or a property the object lacks, leaves compiled code.
class V {
  constructor(n) { this.storage = n === 0 ? null : new Array(n); this.dir = null; this.k = 1; }
}
function count(vs, n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = vs[i % vs.length];
    if (v.storage === null) { s += 1; }
    if (v.dir !== null) { s += 10; }
    if (v.dir == undefined) { s += 100; }
    if (v.k === null) { s += 1000; }
    if (null != v.k) { s += 10000; }
  }
  return s;
}
const vs = [new V(0), new V(2), new V(0)];
vs[1].dir = 'forward';
console.log(count(vs, 3000));
vs[0].dir = 'backward';
vs[0].storage = new Array(3);
vs[2].k = null;
console.log(count(vs, 3000));
vs[1].storage = undefined;
vs[2].dir = () => 1;
console.log(count(vs, 3000));
const odd = new V(4);
Object.defineProperty(odd, 'dir', { get() { return null; } });
console.log(count([odd, vs[1]], 3000));
const lacking = new V(1);
delete lacking.k;
console.log(count([lacking, vs[0]], 3000));
