// Dates across the whole range (years -271821..275760): every string form, getters, normalising constructors, Date.UTC, Date.parse of the ISO format and V8's other forms
let seed = 5; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const out = [];
for (let i = 0; i < 400; i++) {
  const t = Math.floor((rnd() - 0.3) * 8e12) + (i % 5 === 0 ? 0.5 : 0);
  const d = new Date(t);
  out.push([t, d.toString(), d.toISOString(), d.toUTCString(), d.toDateString(), d.toTimeString(), d.toLocaleString(), d.toLocaleDateString(), d.toLocaleTimeString(), d.getDay(), d.getTimezoneOffset(), d.toJSON(), String(d.valueOf())].join(" | "));
}
for (const args of [[2024, 0, 31], [2024, 1, 30], [2024, 12, 1], [1999, -1, 1], [50, 0, 1], [2024, 0, 1, 25, 61, 61, 1001], [275760, 8, 13], [-271821, 3, 20], [2024.7, 0.9, 1.9]]) {
  const d = new Date(...args); out.push(String(d) + " | " + Date.UTC(...args));
}
for (const s of ["2024-01-02", "2024-01-02T03:04:05", "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.678+05:30", "Jan 2 2024", "2 January 2024 10:00", "2024/1/2", "Tue, 02 Jan 2024 03:04:05 GMT", "Tue Jan 02 2024 03:04:05 GMT+0000 (Coordinated Universal Time)", "2024-13-01", "garbage", "2024", "2024-06", "+002024-01-01T00:00:00Z", "1970-01-01T00:00:00.000-00:00", "12/31/1999 23:59:59", "2024-01-02 03:04"]) {
  out.push(s + " => " + Date.parse(s));
}
const d0 = new Date(2020, 1, 29, 12, 30); d0.setMonth(13); d0.setDate(0); d0.setHours(-5); d0.setFullYear(2021, 1, 29); out.push(d0.toISOString());
console.log(out.join("\n"));
for (const s of ["2024-02-30", "2024-02-30T00:00", "2024-04-31", "2024-01-01T24:00", "2024-01-01T24:01", "2024-1-2", "2024-01-02T3:04", "2024-01-02T03:04:05.1", "2024-01-02T03:04:05.123456", "-000001-01-01T00:00:00Z", "2024-01-02t03:04Z", "2024-01-02T03:04+0530", "2024-01-02T03:04:05,5"]) console.log(s, Date.parse(s))
