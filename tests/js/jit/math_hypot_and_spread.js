// Math.hypot of one to five numbers (V8's scaled, compensated sum: the
// interpreter's too), and Math.max / Math.min of a spread array of numbers,
// in hot loops: infinities, NaN, -0 and +0, huge and tiny values, an empty
// array.
function hyp(n) {
  const xs = [3, -4, 0, -0, 1e300, -1e300, 1e-300, 5e-324, Infinity, -Infinity, NaN, 0.1, 7.25];
  let s = 0, nans = 0, infs = 0;
  for (let i = 0; i < n; i++) {
    const a = xs[i % 13], b = xs[(i * 7) % 13], c = xs[(i * 11) % 13];
    const h2 = Math.hypot(a, b), h3 = Math.hypot(a, b, c), h1 = Math.hypot(a);
    const h5 = Math.hypot(a, 1, b, 2, c);
    for (const h of [h1, h2, h3, h5]) {
      if (h !== h) nans++;
      else if (h === Infinity) infs++;
      else s += h > 1e200 ? 1 : h < 1e-200 ? h * 1e300 : h;
    }
  }
  return s.toFixed(6) + " " + nans + " " + infs + " " + Math.hypot() + " " + Object.is(Math.hypot(-0), 0);
}

function extremes(n) {
  const plain = [];
  for (let i = 0; i < 200; i++) plain.push(((i * 7919) % 1009) - 500.5);
  const zeros = [-0, 0, -0];
  const negZeros = [-0, -0];
  const withNaN = [1, NaN, 3];
  const empty = [];
  let s = 0, flags = 0;
  for (let i = 0; i < n; i++) {
    s += Math.max(...plain) - Math.min(...plain) + (i % 3);
    if (1 / Math.max(...zeros) === Infinity) flags++;
    if (1 / Math.min(...zeros) === -Infinity) flags++;
    if (1 / Math.max(...negZeros) === -Infinity) flags++;
    if (Math.max(...withNaN) !== Math.max(...withNaN)) flags++;
    if (Math.min(...empty) === Infinity && Math.max(...empty) === -Infinity) flags++;
  }
  return s + " " + flags;
}

for (let r = 0; r < 3; r++) console.log("hypot", hyp(20000), "extremes", extremes(5000));
