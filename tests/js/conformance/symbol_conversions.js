// A Symbol converted to a number (explicitly, by arithmetic, by Math, by a comparison) or
// implicitly to a string is a TypeError; String(symbol) is its text.
const s = Symbol("x");
for (const f of [() => Number(s), () => +s, () => s * 1, () => Math.abs(s), () => [s] - 0, () => s < 1, () => parseFloat(s), () => isNaN(s), () => s | 0, () => String(s)]) { try { console.log(f()); } catch (e) { console.log(e.name, e.message); } }
console.log(Number.parseFloat === parseFloat, Number.parseInt === parseInt, Number.isNaN === isNaN, parseInt("12px"), parseFloat("3.5e2x"));
