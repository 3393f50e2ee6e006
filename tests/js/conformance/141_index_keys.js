// Only canonical index strings index: "01", "00", " 1", "+1", "1.0", Unicode
// digits ("\u0661", superscript "\u00b2") and 2**32 - 1 are plain keys of
// arrays, strings and typed arrays alike.
const keys = ["0", "1", "01", "00", "1.0", "+1", " 1", "-0", "1e0", "\u0661", "\u00b2", "4294967294", "4294967295", "4294967296"];
const a = [5, 6, 7];
const s = "abc";
const f = new Float64Array([5, 6, 7]);
for (const k of keys) console.log(JSON.stringify(k), a[k], s[k], f[k], k in a);
const b = [1, 2];
for (const k of keys) if (k !== "4294967294") b[k] = k.length;  // (a sparse array of 2**32 - 1: not here)
console.log(b.length, JSON.stringify(Object.keys(b)), b[1], b["01"]);
const o = {};
for (const k of keys) o[k] = 1;
console.log(JSON.stringify(Object.keys(o)));
const big = [];
big["4294967295"] = 1;
console.log(big.length, JSON.stringify(Object.keys(big)));
