// Holes (never-set elements) through conversions, iteration, searches and own-property
// checks; Object.hasOwn; join's symbols.
const a = [, 1, , 3];
const out = [];
out.push(JSON.stringify(a), a.indexOf(undefined), a.includes(undefined), Object.keys(a).join());
out.push([...a].length, String([...a]), Array.from(a).map(String).join("|"));
let n = 0; a.forEach(() => n++); out.push(n);
out.push(String(a.map((x) => x * 2)), String(a.filter(() => true)), a.reduce((s, x) => s + x, 0));
out.push(String([3, , 1, undefined, 2].sort()), [3, , 1].sort().length, 1 in [3, , 1].sort());
out.push(a.findIndex((x) => x === undefined), a.find((x) => x === undefined), a.some((x) => x === undefined), a.every((x) => x !== undefined));
out.push(a.lastIndexOf(undefined), String(a.concat([, 5])), a.flat().length, String(a.slice(0, 2)), 0 in a.slice(0, 2));
out.push(typeof a[0], 0 in a, a.hasOwnProperty(0), Object.entries(a).length, String(a.reverse()), 0 in a);
for (const x of [, 7]) out.push(x);
for (const k in [, 7]) out.push("k" + k);
out.push(Math.max(...[, 2]), String(Array.prototype.fill.call([, ,], 4)), [, 'a'].join("+"));
console.log(out.map(String).join(" "));
console.log([, 1, , 3]);
console.log(JSON.stringify({ a: [, 1] }), [, [, 2]].toString(), [, , 3].at(0), [, 2].entries().next().value);

{
const a = [, 1, , 3];
console.log(a.hasOwnProperty(0), a.hasOwnProperty("0"), a.hasOwnProperty(1), Object.hasOwn(a, 0), Object.prototype.hasOwnProperty.call(a, 2),
  Object.getOwnPropertyDescriptor(a, 0), Object.getOwnPropertyNames(a).join(), Reflect.has(a, 0), Reflect.ownKeys(a).join(),
  Object.prototype.propertyIsEnumerable.call(a, 0), delete a[1], a.hasOwnProperty(1), Object.keys(a).join(), JSON.stringify(Object.getOwnPropertyDescriptors([,5])));
}
try { Object.hasOwn(null, "a"); } catch (e) { console.log(e.message); }
console.log(Object.hasOwn({a: 1}, "a"), Object.hasOwn("ab", 1), Object.hasOwn([1], "length"));
try { [1, Symbol("s")].join(); } catch (e) { console.log(e.name, e.message); }
console.log(String([, 1]), [, 1] + "", `${[1, , [2, , 3]]}`);
