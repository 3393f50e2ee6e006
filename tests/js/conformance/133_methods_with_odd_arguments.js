// String and array methods with random arguments (negatives, NaN, Infinity, undefined, objects): results, mutations and error messages
let seed = 31; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const nums = [0, -0, 1, -1, 2, 3, -3, 5, 100, -100, 0.5, -1.5, NaN, Infinity, -Infinity, undefined, null, "2", "x", true, [], [1]];
const strs = ["", "abc", "hello world", "a,b,,c", "  pad ", "ÄéÖ", "😀x😀", "aaa"];
const out = [];
const show = (v) => { try { return JSON.stringify(v); } catch (e) { return String(v); } };
for (let i = 0; i < 1500; i++) {
  const s = pick(strs), a = pick(nums), b = pick(nums);
  const m = pick(["slice", "substring", "substr", "charAt", "charCodeAt", "indexOf", "lastIndexOf", "includes", "startsWith", "endsWith", "padStart", "padEnd", "at", "split", "repeat", "codePointAt", "concat", "replace", "search"]);
  let r;
  try {
    if (m === "indexOf" || m === "lastIndexOf" || m === "includes" || m === "startsWith" || m === "endsWith") r = s[m](pick(["a", "", "o", "c", "😀"]), a);
    else if (m === "split") r = s.split(pick([",", "", " ", "a", undefined]), a);
    else if (m === "padStart" || m === "padEnd") r = s[m](typeof a === "number" && a > 50 ? 3 : a, pick(["", "*", "ab", undefined]));
    else if (m === "repeat") r = s.repeat(typeof a === "number" && Math.abs(a) > 20 ? 2 : a);
    else if (m === "replace") r = s.replace(pick(["a", "", "l", "😀"]), pick(["$&$&", "[$`]", "$'", "$$", "-"]));
    else if (m === "search") r = s.search(pick(["a", "o", "z"]));
    else r = s[m](a, b);
  } catch (e) { r = "ERR " + e.name + ": " + e.message; }
  out.push([m, show(s), show(a), show(b), show(r)].join(" "));
}
const arrs = () => pick([[], [1, 2, 3], [3, 1, 2, 10, 20], ["b", "a", "c"], [1, , 3], [0, -0, NaN], [[1, [2]], [3]]]).slice();
for (let i = 0; i < 1500; i++) {
  const arr = arrs(), a = pick(nums), b = pick(nums);
  const m = pick(["slice", "splice", "indexOf", "lastIndexOf", "includes", "fill", "copyWithin", "at", "flat", "join", "with", "toSpliced", "sort", "reverse", "concat", "keys", "entries", "findIndex", "every"]);
  let r;
  try {
    if (m === "sort") r = arr.sort(pick([undefined, (x, y) => x - y, (x, y) => (x < y ? 1 : -1)]));
    else if (m === "fill") r = arr.fill(7, a, b);
    else if (m === "keys" || m === "entries") r = [...arr[m]()];
    else if (m === "findIndex" || m === "every") r = arr[m]((x) => x > 1);
    else if (m === "join") r = arr.join(pick([undefined, "-", "", null]));
    else if (m === "flat") r = arr.flat(a);
    else if (m === "with") r = arr.with(a, 9);
    else r = arr[m](a, b);
  } catch (e) { r = "ERR " + e.name + ": " + e.message; }
  out.push([m, show(r), show(arr), show(a), show(b)].join(" "));
}
console.log(out.join("\n"));
const sp = [3, , undefined, 1, , 2]; sp.sort(); console.log(sp, sp.length, 1 in sp, 4 in sp, [3, , 1].toSorted(), [, 2, 1].sort((x, y) => x - y));
