const d = new Date(Date.UTC(2024, 1, 29, 13, 5, 9, 7));
console.log(d, d.getTime(), d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
console.log(JSON.stringify({ d }), d.toISOString(), new Date("2020-05-17").getTime(), new Date(2020, 0, 31, 12).toISOString(), d instanceof Date, typeof d);
console.log(new Date(NaN), String(new Date(0)), new Date(0) + 1, +new Date(5), new Date(5) - new Date(2), [new Date(0)]);
for (const x of [0, 1.5, 123.456, -0.000012345, 1e21, 5e-7, 987654321]) console.log(x.toPrecision(4), x.toExponential(), x.toExponential(3));
