// Regular expressions from a random grammar (backreferences to groups that have not matched, legacy octal escapes, lazy and refused possessive quantifiers, lookarounds, named groups, flags) and JSON round trips of random values
{
let seed = 21; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const atoms = ["a", "b", "c", ".", "\\d", "\\w", "\\s", "[ab]", "[^a]", "\\b", "^", "$", "(a|b)", "(?:ab)", "(a)?", "(?<n>b)", "\\1", "[a-c]", "x", " ", "\\.", "(?=a)", "(?!b)", "(?<=a)", "[\\d.]"];
const quants = ["", "", "", "*", "+", "?", "{2}", "{1,3}", "*?", "+?", "??"];
function pat() { let s = ""; const n = 1 + Math.floor(rnd() * 4); for (let i = 0; i < n; i++) { let a = pick(atoms); if (!["^", "$", "\\b", "(?=a)", "(?!b)", "(?<=a)"].includes(a)) a += pick(quants); s += a; } if (rnd() < 0.2) s += "|" + pick(atoms); return s; }
const strs = ["", "a", "ab", "abc", "aab b", "b a.b", "abcabc", "x1.2 y", "a\nb", "  aa bb  ", "bbbaaa", "c.a.b"];
const out = [];
for (let i = 0; i < 600; i++) {
  const p = pat(); const fl = pick(["", "g", "i", "m", "gi", "y", "s"]);
  let re; try { re = new RegExp(p, fl); } catch (e) { out.push(p + " ERR " + e.constructor.name); continue; }
  const s = pick(strs);
  const m = s.match(re);
  out.push(JSON.stringify([p, fl, s, m && [...m], m && m.index, s.replace(re, "<$&>"), s.split(new RegExp(p, fl.replace("y", ""))), re.test(s), re.lastIndex]));
}
console.log(out.join("\n"));
}
{
let seed = 9; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const keys = ["a", "b", "long key", "0", "1", "__proto__x", "é", "😀", "\n", "x\"y"];
function gen(depth) {
  const r = rnd();
  if (depth > 3 || r < 0.3) {
    const k = Math.floor(rnd() * 9);
    return [0, -0, 1.5, -1e21, 1e-7, "s\u2028\t\"\\", true, null, undefined][k];
  }
  if (r < 0.6) { const n = Math.floor(rnd() * 5); const a = []; for (let i = 0; i < n; i++) a.push(gen(depth + 1)); if (rnd() < 0.2) a.length += 2; return a; }
  const o = {}; const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) o[keys[Math.floor(rnd() * keys.length)]] = gen(depth + 1);
  if (rnd() < 0.1) o.fn = () => 1;
  if (rnd() < 0.1) o.date = new Date(0);
  if (rnd() < 0.1) o.nested = { toJSON(k) { return "tj:" + k; } };
  return o;
}
const out = [];
for (let i = 0; i < 300; i++) {
  const v = gen(0);
  const ind = [undefined, 2, "--", 0, 11, "\t"][i % 6];
  const s = JSON.stringify(v, i % 7 === 0 ? ["a", "b", "0"] : (i % 11 === 0 ? (k, x) => (typeof x === "number" ? x * 2 : x) : null), ind);
  out.push(String(s));
  if (s !== undefined && ind !== "--") out.push(JSON.stringify(JSON.parse(s)));
}
console.log(out.join("\n"));
}
