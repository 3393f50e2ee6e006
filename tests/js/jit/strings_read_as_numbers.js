// Strings read as numbers in compiled code: +s, -s, Number, parseInt, parseFloat
// -- plain digits read in place, anything else left to the interpreter.
function rpn(tokens) {
  const st = [];
  for (const t of tokens) {
    switch (t) {
      case "+": st.push(st.pop() + st.pop()); break;
      case "*": st.push(st.pop() * st.pop()); break;
      case "-": { const b = st.pop(); st.push(st.pop() - b); break; }
      default: st.push(+t);
    }
  }
  return st.pop();
}
const prog = "3 4 + 2 * 7 - 5 3 * + -2 *".split(" ");
let t = 0;
for (let i = 0; i < 20000; i++) t += rpn(prog);
console.log("rpn", t);
const cells = "12,7px,-3,0042, 5,3.25,1e2,0x1F,,-0,abc,999999999999999,1234567890123456".split(",");
function sums(xs) {
  let a = 0, b = 0, c = 0, d = 0;
  for (let i = 0; i < xs.length; i++) {
    const s = xs[i];
    const x = parseInt(s), y = parseFloat(s), z = Number(s), w = parseInt(s, 10);
    if (x === x) a += x;
    if (y === y) b += y;
    if (z === z) c += z;
    if (w === w) d += w - s.length;
  }
  return [a, b, c, d];
}
let r = [0, 0, 0, 0];
for (let k = 0; k < 3000; k++) { const q = sums(cells); for (let j = 0; j < 4; j++) r[j] += q[j]; }
console.log("sums", r.join(" "));
const plain = "1 22 333 -4 +5 0 -0 0007".split(" ");
function total(xs) { let s = 0; for (const x of xs) s += +x + Number(x) - -x + parseInt(x) + parseFloat(x); return s; }
let u = 0;
for (let k = 0; k < 5000; k++) u += total(plain);
console.log("plain", u, Object.is(+"-0", -0), Object.is(parseInt("-0"), -0));
