// forEach, map, filter, some, every, flatMap and reduce skip holes and read each element when
// they reach it; find and its kin see holes as undefined (the interpreter passed its hole marker on).
const a = new Array(6); a[1] = 3; a[3] = null; a[4] = undefined;
let s = []; a.forEach((x, i) => s.push(i + ":" + x)); console.log(s.join(" "));
console.log(a.map((x) => x === undefined ? "u" : x));
console.log(a.filter(() => true).length, a.some((x) => x === undefined), a.every((x) => x !== 7));
console.log(a.find((x) => x === undefined), a.findIndex((x) => x === undefined), a.findLast((x) => x === undefined), a.findLastIndex((x) => x === undefined));
console.log([ , 1, , 2].reduce((p, x, i) => p + "," + i + "=" + x), [1, , 2, ,].reduceRight((p, x, i) => p + "," + i + "=" + x, "r"));
const b = [1, 2, 3, 4];
b.forEach((x, i) => { if (i + 1 < b.length) b[i + 1] = x * 10; if (i === 1) b.length = 3; s.push(x); });
console.log(s.slice(-5).join(" "), b);
const c = [1, 2, 3]; const seen = []; c.forEach((x) => { seen.push(x); c.push(x); }); console.log(seen, c.length);
console.log([ , ].flatMap((x) => [x, x]).length, [1, , 3].indexOf(undefined), [1, , 3].includes(undefined));
try { [ , , ].reduce((p, x) => p); } catch (e) { console.log(e.constructor.name, e.message); }
