// Strings compiled code makes: concatenation (appended in place when the
// left side is the string made last), numbers printed as JS prints them,
// console.log of a made string.  Every deopt path too: a fractional number,
// NaN, a huge whole number, a string too large for the run's budget.

function initials(words) {
  let t = "";
  for (let i = 0; i < words.length; i++) t += words[i][0];
  return t;
}

function shared(n) {
  // u keeps its own (shorter) count after t grows past it
  let t = "ab";
  let u = t;
  let total = 0;
  for (let i = 0; i < n; i++) {
    u = t;
    t += "c";
    total += u.length * 2 - t.length;
  }
  return [t.length, u.length, total, u === t, u < t, t.charCodeAt(t.length - 1)];
}

function notLast(n) {
  // both sides copied: neither is the string made last
  let a = "x", b = "y", r = "";
  for (let i = 0; i < n; i++) {
    const c = a + b;
    a = b + "!";
    b = c;
    r = c + a;
  }
  return r.length + ":" + r.slice(0, 12);
}

function numbers(k) {
  let s = "";
  for (let i = -k; i <= k; i += 7) s = s + i + ",";
  let d = 0;
  for (let i = 0; i < 5; i++) { d = d * 1000 + 999; s += d + ";"; }
  s += (-0) + "|" + (2 ** 53 - 1) + "|" + -(2 ** 31) + "|" + (2 ** 31) + "|";
  return s;
}

function fractional(n, d) {
  // whole numbers until d is 4
  let s = "";
  for (let i = 0; i < n; i++) s += (i * 4) / d + " ";
  return s;
}

function notANumber(n, r) {
  let s = "";
  for (let i = 0; i < n; i++) s += (i === n - 1 && r > 8 ? 0 / 0 : i * 0.5 * 2) + ",";
  return s;
}

function huge(n) {
  // past 2^53 a whole double prints in the shortest digits: leaves
  let s = "<";
  let x = 1;
  for (let i = 0; i < n; i++) { x *= 8; s += x + "."; }
  return s;
}

function logs(n) {
  let t = "log";
  for (let i = 0; i < n; i++) {
    t += "-" + i;
    if (i % 50 === 0) console.log(t.length, t.slice(-8), "<" + t.charCodeAt(3) + ">");
  }
  return t.length;
}

function wide(src, n) {
  // units above U+00FF (a one-unit string made for each) and surrogate
  // pairs: copied as units, halves included
  let t = "";
  for (let i = 0; i < n; i++) t += src[i % src.length];
  return t.length + "," + t.charCodeAt(2) + "," + t.charCodeAt(3) + "," + t.slice(0, 8);
}

function cuts(s, r) {
  // slice counts negative positions from the end; substring clamps and
  // orders; NaN is 0 and fractions are dropped
  let out = "";
  for (let i = -3; i < 4; i++) {
    out += s.slice(i) + "|" + s.slice(i, -1) + "|" + s.substring(i, 2) + "|" + s.substring(5 - i) + "|";
  }
  out += s.slice(1.7, 3.2) + s.substring(0 / 0, 2) + s.slice(r / 0) + "|" + s.substring(4, 1) + s.slice(2, 1) + "#";
  return out;
}

class Tag {
  constructor(name) { this.name = name; this.full = ""; }
}

function intoObjects(tags, n) {
  for (let r = 0; r < n; r++) {
    const g = tags[r % 4];
    g.full = g.full + g.name + r + "/";
  }
  let s = "";
  for (let i = 0; i < tags.length; i++) s += tags[i].full.length + tags[i].full.slice(-6) + " ";
  return s;
}

function compare(n) {
  let a = "", b = "", eq = 0, lt = 0;
  for (let i = 0; i < n; i++) {
    a += i % 3;
    b = b + (i % 3);
    if (a === b) eq++;
    if (a + "0" < b + "1") lt++;
  }
  return eq + "/" + lt;
}

function big(n) {
  // ~2^23 units per call: more chunks, and past the run's budget
  let t = "";
  for (let i = 0; i < n; i++) t += "abcdefghijklmnop";
  return t.length + ":" + t.charCodeAt(t.length - 3);
}

const words = "the quick brown fox jumps over the lazy dog".split(" ");
function show(r, x) { if (r >= 10) console.log(x); }
for (let r = 0; r < 12; r++) show(r, initials(words));
for (let r = 0; r < 12; r++) show(r, shared(500 + r).join(","));
for (let r = 0; r < 12; r++) show(r, notLast(20 + r));
for (let r = 0; r < 12; r++) show(r, numbers(100 + r));
for (let r = 0; r < 12; r++) show(r, fractional(6 + r, r < 10 ? 1 : 4));
for (let r = 0; r < 12; r++) show(r, notANumber(5, r));
for (let r = 0; r < 12; r++) show(r, huge(r < 10 ? 15 : 20));
for (let r = 0; r < 3; r++) console.log(logs(120));
for (let r = 0; r < 12; r++) show(r, wide("é€😀okßé", 40 + r));
for (let r = 0; r < 12; r++) show(r, cuts(r < 11 ? "abcdefg" : "x€😀yz", r < 11 ? 1 : -1));
for (let r = 0; r < 12; r++) {
  const tags = [];
  for (let i = 0; i < 4; i++) tags.push(new Tag("t" + i));
  show(r, intoObjects(tags, 30 + r));
}
for (let r = 0; r < 12; r++) show(r, compare(200));
for (let r = 0; r < 3; r++) console.log(big(600000));
