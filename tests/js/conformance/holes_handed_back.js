// Holes read as undefined through every array method that hands an element back:
// pop and shift gave the hole itself (x === undefined was false).
const mk = () => { const a = new Array(6); a[1] = 5; a[3] = "s"; return a; };
const out = [];
let a = mk(); out.push(String(a.pop()), String(a.shift()), a.length);
a = mk(); out.push(String(a.at(0)), String(a.at(-1)), String(a.find(x => x === undefined)), String(a.findLast(x => x === undefined)));
a = mk(); out.push(String(a.indexOf(undefined)), String(a.includes(undefined)), String(a.findIndex(x => x === undefined)));
a = mk(); out.push(JSON.stringify(a.splice(0, 2)), JSON.stringify(a.slice(0, 3)), JSON.stringify([...mk()]), JSON.stringify(Array.from(mk())));
a = mk(); out.push(JSON.stringify(a.with(1, 2)), JSON.stringify(a.toSpliced(0, 1)), JSON.stringify(a.toReversed()), String(a.reduce((s, x) => s + 1, 0)));
a = mk(); const [p, q] = a; out.push(String(p), String(q), JSON.stringify(Object.values(a)), JSON.stringify(a.entries().next()), String(a.values().next().value));
a = mk(); out.push(String(a.flat()), JSON.stringify(a.concat([1])), String(a.lastIndexOf(undefined)), typeof a[0], String(a.keys().next().value));
a = mk(); out.push(String(a.sort()), a.length, JSON.stringify(a.copyWithin(0, 4)), JSON.stringify(a.fill(1, 4)));
a = mk(); out.push(String(a.unshift(1)), JSON.stringify(a), String(a.shift()), String(a.shift()));
console.log(out.join(" | "));
