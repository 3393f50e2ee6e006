// Strings held in objects' properties (CD's node colours, a JSON parser's
// input and current token): compiled code loads them through inline caches,
// compares them, reads their length and units, and stores strings it holds --
// literals, and strings it loaded -- into properties, which the interpreter
// then reads back.
class Node { constructor(k, color) { this.key = k; this.color = color; this.next = null; } }
function paint(nodes, n) {
  let reds = 0;
  for (let i = 0; i < n; i++) {
    const x = nodes[i % nodes.length];
    if (x.color === 'red') { reds++; x.color = 'black'; } else { x.color = 'red'; }
  }
  return reds;
}
class Reader {
  constructor(input) { this.input = input; this.index = 0; this.current = 'x'; this.line = 0; }
  scan() {
    let n = 0;
    while (this.index < this.input.length) {
      if (this.input.charCodeAt(this.index) === 10) { this.line++; this.current = this.input; }
      else { this.current = 'c'; }
      this.index++; n++;
    }
    return n + this.current.length;
  }
}
function rotate(a, b, c, n) {
  let w = 0;
  for (let i = 0; i < n; i++) { const t = a.color; a.color = b.color; b.color = c.color; c.color = t; w += a.color.length; }
  return w;
}
function build(n) {
  let t = 0, last = null;
  for (let i = 0; i < n; i++) { const o = new Node(i, i % 2 ? 'red' : 'black'); o.next = last; last = o; t += o.color.length; }
  return t + (last.color < last.next.color ? 1 : 0);
}
const nodes = [];
for (let i = 0; i < 10; i++) nodes.push(new Node(i, i % 3 ? 'red' : 'black'));
let total = 0;
for (let k = 0; k < 300; k++) total += paint(nodes, 1000 + k);
console.log(total, nodes.map((n) => n.color).join(','));
let s = '';
for (let i = 0; i < 200; i++) s += i % 7 ? 'a' : '\n';
let lines = 0;
for (let k = 0; k < 300; k++) { const r = new Reader(s + k); lines += r.scan() + r.line + r.current.length; }
console.log(lines);
const a = new Node(1, 'long-colour'), b = new Node(2, 'xy'), c = new Node(3, 'a string made at run time: ' + lines);
for (let k = 0; k < 200; k++) rotate(a, b, c, 31 + k);
console.log(rotate(a, b, c, 1000), a.color, b.color, c.color);
let bt = 0;
for (let k = 0; k < 200; k++) bt += build(100);
console.log(bt);
