// switch in compiled code: tests in order until one is strictly equal,
// default wherever it stands, fall-through, break out of the switch,
// continue to the enclosing loop, return from a case; strings, booleans,
// numbers of both kinds (0 === -0, NaN matches nothing), tests of another
// type; a declaration read in another case (refused: the interpreter).

function collatz(n) {
  let steps = 0;
  while (n !== 1) {
    switch (n & 1) {
      case 0: n = n / 2; break;
      default: n = 3 * n + 1;
    }
    steps++;
  }
  return steps;
}

function through(k) {
  // fall-through, default in the middle, a case after it
  let s = "";
  switch (k % 7) {
    case 0: s += "a";
    case 1: s += "b"; break;
    default: s += "d";
    case 5: s += "f";
    case 6: { s += "g"; break; }
    case 2: s += "c";
  }
  return s;
}

function names(words) {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    switch (words[i]) {
      case "one": total += 1; break;
      case "two": total += 2; break;
      case "o" + "ne": total += 100; break;
      case "": total += 1000; break;
      default: total += words[i].length * 10000;
    }
  }
  return total;
}

function loopy(n) {
  // continue goes to the loop, break only leaves the switch; a loop inside a case
  let odd = 0, even = 0, inner = 0;
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 1:
      case 3:
        odd++;
        continue;
      case 0:
        for (let j = 0; j < 3; j++) { if (j === 2) break; inner++; }
        break;
      default:
        even += 10;
    }
    even++;
  }
  return odd + ":" + even + ":" + inner;
}

function early(x) {
  switch (x) {
    case 1: return "one";
    case 2: { const y = x * 21; return "y" + y; }
    case 3: return "three";
  }
  return "none";
}

function kinds(x, f) {
  // numbers: 0 === -0, NaN matches nothing; a string "1" never equals 1; a double against int cases
  let r = 0;
  switch (x) { case 0: r += 1; break; case 1: r += 2; break; case 1.5: r += 3; break; default: r += 4; }
  switch (f) { case true: r += 10; break; case false: r += 20; break; }
  switch (true) { case x < 0: r += 100; break; case x > 1: r += 200; break; default: r += 300; }
  return r;
}

function nested(a, b) {
  let s = 0;
  switch (a) {
    case 1:
      switch (b) { case 1: s += 11; break; case 2: s += 12; }
      s += 1;
      break;
    case 2:
      switch (b) { default: s += 20; case 3: s += 23; }
      break;
  }
  return s;
}

function acrossCases(k) {
  // y is declared in case 1 and read in case 2: entered at case 2 it would
  // be in its TDZ (a ReferenceError) -- this function stays interpreted
  let out = 0;
  switch (k) {
    case 1: let y = 5; out = y;
    case 2: out += y * 2; break;
  }
  return out;
}

function rare(n, late) {
  // a case that never ran until late: an exit to the interpreter there
  let s = 0;
  for (let i = 0; i < n; i++) {
    switch (i % 3) {
      case 0: s += 1; break;
      case 1: s += 2; break;
      case 2: if (late) { s += i * 1000; } else { s += 3; } break;
    }
  }
  return s;
}

let best = 0, arg = 0;
for (let i = 1; i < 3000; i++) { const c = collatz(i); if (c > best) { best = c; arg = i; } }
console.log(best, arg);
let t = "";
for (let k = 0; k < 40; k++) t += through(k) + ",";
console.log(t);
const ws = ["one", "two", "three", "", "one", "four"];
let nm = 0;
for (let r = 0; r < 30; r++) nm = names(ws);
console.log(nm);
for (let r = 0; r < 20; r++) t = loopy(50 + r);
console.log(t);
t = "";
for (let r = 0; r < 20; r++) t += early(r % 5) + " ";
console.log(t);
t = "";
for (let r = 0; r < 30; r++) {
  const xs = [0, -0, 1, 1.5, 2, -3, 0 / 0];
  for (let i = 0; i < xs.length; i++) t += kinds(xs[i], (r + i) % 2 === 0) + (r === 29 ? "," : "");
}
console.log(t.slice(-60));
t = "";
for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) t += nested(a, b) + " ";
console.log(t);
t = "";
for (let r = 0; r < 20; r++) t += acrossCases(r % 2) + " ";
console.log(t);
let rr = 0;
for (let r = 0; r < 20; r++) rr += rare(30, r === 19);
console.log(rr);
