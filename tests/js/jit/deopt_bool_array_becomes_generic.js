// poke is compiled for a packed boolean array; the array then takes a number
// (its kind becomes generic) and the next call's entry guard sends it to the
// interpreter.
function poke(a, i) {
  a[i] = !a[i];
  return a[i];
}
const p = [true, false, true];
let t = 0;
for (let i = 0; i < 2000; i++) if (poke(p, i % 3)) t++;
console.log(t, p);
p[1] = 7;
console.log(poke(p, 0), poke(p, 1), p);
