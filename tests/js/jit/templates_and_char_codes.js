// Template literals, String.fromCharCode and charAt in compiled code: each
// a string made there (apps.js.madestrings); what cannot be made leaves.

function rows(n) {
  let out = "";
  for (let i = 0; i < n; i++) out += `${i}:${i * i};`;
  return `[${out.length}] ${out.slice(-20)}`;
}

function plain(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += `ab`.length + ``.length;
  return s;
}

function codes(n) {
  let t = "";
  for (let i = 0; i < n; i++) t += String.fromCharCode(65 + (i % 26), 0x3b1 + (i % 3));
  t += String.fromCharCode() + String.fromCharCode(0x1F600 & 0xffff, 65536 + 66);
  return t.length + " " + t.slice(0, 10) + " " + t.charCodeAt(t.length - 1);
}

function chars(s, n) {
  let t = "";
  for (let i = -2; i < n; i++) t += s.charAt(i) + s.charAt(i + 0.5) + s.charAt((i / 0) * 0) + "/";
  return t;
}

function half(n, d) {
  // a fraction in a template leaves
  let t = "";
  for (let i = 0; i < n; i++) t += `<${i / d}>`;
  return t;
}

function show(r, x) { if (r >= 10) console.log(x); }
for (let r = 0; r < 12; r++) show(r, rows(50 + r));
for (let r = 0; r < 12; r++) show(r, plain(10 + r));
for (let r = 0; r < 12; r++) show(r, codes(40 + r));
for (let r = 0; r < 12; r++) show(r, chars(r < 11 ? "héllo€" : "xy", 8));
for (let r = 0; r < 12; r++) show(r, half(5, r < 11 ? 1 : 2));

function codeAtNaN(s, n) {
  // charCodeAt / codePointAt of NaN are at 0 (ToIntegerOrInfinity), a fraction is dropped
  let t = 0;
  for (let i = 0; i < n; i++) t += s.charCodeAt((i / 0) * 0) + s.charCodeAt(i + 0.5) + s.codePointAt((i / 0) * 0);
  return t;
}
for (let r = 0; r < 12; r++) show(r, codeAtNaN("abc", 3));
