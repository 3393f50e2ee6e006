// An arrow passed to a method is compiled in place, inside a loop or a
// function.  Its references count frames from the arrow; the unit's
// environment is its function's: a variable must be found in the frame of
// the function that declares it, never in the one a level further out.
class Bag {
  constructor() { this.items = [1, 2, 3]; this.n = 3; }
  each(fn) { for (let i = 0; i < this.n; i += 1) { fn(this.items[i]); } }
}

function outer() {
  // captured (cells) in the frame one level out from work()
  let a = 100, b = 200, c = 300, d = 400, e = 500, g = 600;
  const peek = () => [a, b, c, d, e, g].join(",");
  let scale = 2;  // read and written by the arrows below, two functions out
  const hist = [0, 0, 0, 0, 0, 0];

  function work(v) {  // a loop unit: the arrow uses the loop's own variables
    let p = 0, q = 0, r = 0, s = 0, total = 0, more = 0;
    for (let k = 0; k < 5000; k += 1) {
      v.each((x) => { total = total + x; more = more + 1; });
    }
    return [p, q, r, s, total, more].join(",");
  }

  function scaled(v) {  // a loop unit: the arrow uses only its enclosing function's variables
    for (let k = 0; k < 5000; k += 1) {
      v.each((x) => { hist[x] = hist[x] + x * scale; });
    }
    return hist.join(",");
  }

  function step(v) {  // a function unit that also makes a closure it does not inline
    let acc = 0;
    v.each((x) => { acc = acc + x * scale; });
    const h = () => acc;
    return h();
  }

  const v = new Bag();
  const lines = [];
  for (let j = 0; j < 3; j += 1) lines.push(work(v));
  for (let j = 0; j < 3; j += 1) { lines.push(scaled(v)); scale += 1; }
  let sum = 0;
  for (let j = 0; j < 3000; j += 1) sum += step(v);
  lines.push(String(sum));
  lines.push(peek());
  return lines;
}

for (const line of outer()) console.log(line);
