// `a ?? b` in compiled code: only null and undefined give b.  A number (0,
// NaN), a boolean (false) or a string ("") is never nullish -- compiled code
// once took ?? for ||, and 0 ?? 7 was 7 -- and b is then never evaluated; an
// object reference that is null or undefined gives b.  In conditions too.
let sideEffects = 0;
function bump() { sideEffects++; return 1; }
function numbers(n) {
  let t = 0;
  for (let i = 0; i < n; i++) {
    const z = i % 3;          // 0, 1, 2: never nullish
    const f = z / z;          // NaN at 0
    t += (z ?? 7) + ((f ?? 5) || 0) + (z ?? bump());
  }
  return t;
}
console.log(numbers(30000), sideEffects);
function flags(n) {
  let t = 0;
  for (let i = 0; i < n; i++) {
    const b = i % 2 === 0;
    if (b ?? true) t++;
    if (!(i ?? 1)) t += 1000;
    t += (b ?? true) ? 10 : 0;
  }
  return t;
}
console.log(flags(30000));
function strs(words, n) {
  let s = "";
  for (let i = 0; i < n; i++) s = (words[i % words.length] ?? "?") + "|" + s.slice(0, 6);
  return s;
}
console.log(strs(["", "a", "bc"], 30000));
function objs(list, n) {
  let t = 0;
  for (let i = 0; i < n; i++) {
    const o = list[i % list.length];
    const x = o ?? list[0];
    const y = o ?? null ?? list[2];
    t += x.k + (y ?? list[0]).k * 100;
  }
  return t;
}
console.log(objs([{ k: 1 }, null, { k: 5 }, undefined], 30000));
function assigns(n) {
  let t = 0;
  for (let i = 0; i < n; i++) {
    let a = i % 3, c = i % 5;
    a ??= 10;
    c ??= bump();
    t += a + c;
  }
  return t;
}
console.log(assigns(30000), sideEffects);
