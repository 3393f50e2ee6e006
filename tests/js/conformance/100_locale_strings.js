// toLocaleString in en-US (numbers, arrays, objects) and Date's string forms, as node prints them in UTC.
const xs = [0, -0, 1, -1, 1234567.891, 1234.5, 0.0005, 0.0015, 1.005, 2.675, 1e21, 123456789012345680000, -9876.54321, 0.1 + 0.2, NaN, Infinity, -Infinity, 999.9995, 5e-7];
for (const x of xs) console.log(x.toLocaleString(), x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }), x.toLocaleString(undefined, { maximumFractionDigits: 0 }), x.toLocaleString("en-US", { useGrouping: false, minimumFractionDigits: 1 }));
console.log((12345).toLocaleString("en"), [1234, 5.5].map((n) => n.toLocaleString()).join(" "));
try { (1).toLocaleString("en-US", { maximumFractionDigits: 200 }); } catch (e) { console.log(e.constructor.name, e.message); }
for (const t of [Date.UTC(2020, 0, 5, 13, 4, 5), 0, Date.UTC(1999, 11, 31, 23, 59, 59), Date.UTC(2021, 6, 4, 12, 0, 0), Date.UTC(2000, 1, 29, 0, 30), NaN]) {
  const d = new Date(t);
  console.log([d.toDateString(), d.toTimeString(), d.toUTCString(), d.toLocaleString(), d.toLocaleDateString(), d.toLocaleTimeString("en-US"), d.toGMTString()].join(" | "));
}
console.log([1234, 5.5, "x", null, true, [1000]].toLocaleString(), ({}).toLocaleString(), ({ toString() { return "T"; } }).toLocaleString(), (12n ** 20n).toLocaleString(), "abc".toLocaleUpperCase());
