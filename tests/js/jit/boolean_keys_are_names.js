// A boolean key is a property name, not an index: a[true] is a["true"].
// Compiled code once converted it to 1 (and false to 0), reading and
// writing elements; only numbers index in compiled code now.
function read(a, k) { return a[k]; }
function write(a, k, v) { a[k] = v; return a.length; }
function sumAt(a, k, n) { let s = 0; for (let i = 0; i < n; i++) s += a[i] + (a[k] === undefined ? 0 : 100); return s; }
const nums = [5, 6, 7];
const objs = [{ v: 1 }, { v: 2 }];
const f = new Float64Array([1.5, 2.5]);
let last = "";
for (let i = 0; i < 3000; i++) {
  const k = i % 2 === 0;
  last = [read(nums, k), read("xyz", k), read(objs, k), read(f, k), sumAt(nums, k, 3)].map(String).join(" ");
}
const out = [last];
for (let i = 0; i < 3000; i++) write(nums, i % 3 === 0, i);
out.push(JSON.stringify(nums), nums.length, nums["true"], nums["false"], Object.keys(nums).join());
out.push(read(nums, 1), read(nums, true), read("xyz", 1), read("xyz", false));
// compiled for number keys, then given a boolean: the entry's guard declines
function at(a, k) { return a[k]; }
function put(a, k, v) { a[k] = v; return a[k]; }
let t = 0;
for (let i = 0; i < 3000; i++) t += at(nums, i % 3) + put(f, i % 2, i);
out.push(t, at(nums, true), at(nums, false), String(at("xyz", true)), put(nums, true, 8), nums["true"], nums.join());
console.log(out.join("\n"));
