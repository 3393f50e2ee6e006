// Math.round's exact halves, JS whitespace in trim, non-index array keys, Symbol.toPrimitive, Date.parse's other formats, copyWithin (written here; in UTC).
console.log([Math.round(-0.5), Math.round(2.5), Math.round(-2.5), Math.round(0.49999999999999994), Math.round(-0.0000001), Math.round(1.5), Math.round(-1.5000001)].map(String));
console.log(["\u00a0x\ufeff".trim().length, "\u2028 y \u3000".trim(), "\ufeffz".trimStart()]);
const a = [1]; a[-1] = 5; a[1.5] = "f"; console.log(a.length, a[-1], a[1.5], a["-1"], Object.keys(a), a);
const tp = { [Symbol.toPrimitive](h) { return h === "number" ? 42 : h === "string" ? "str" : "default"; } };
console.log(+tp, `${tp}`, tp + "", tp * 2, [tp] + "", String(tp), tp == "default");
for (const s of ["Jan 2, 2024", "2024/01/02", "January 15, 2023", "Tue, 02 Jan 2024 10:00:00 GMT", "Tue Jan 02 2024 10:00:00 GMT+0000 (Coordinated Universal Time)", "12/25/2023", "25 Dec 2023", "Dec 25 2023", "2024/01/02 13:45", "not a date", "Jan 2, 2024 10:30:15"])
  console.log(s, Date.parse(s));
console.log(new Date("March 7, 2021").toISOString(), new Date(new Date(0).toString()).getTime(), new Date(new Date(5e11).toUTCString()).getTime());
console.log([1, 2, 3, 4, 5].copyWithin(0, 3), [1, 2, 3, 4, 5].copyWithin(1, 0, 2), [1, 2, 3].copyWithin(-1, 0), [1, 2, 3, 4].copyWithin(2));
