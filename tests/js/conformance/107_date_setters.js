// Date's setters: overflow carries into the next field, NaN dates, setTime (written here; in UTC).
const d = new Date(Date.UTC(2020, 0, 31, 10, 20, 30, 400));
const log = (...a) => console.log(...a, d.toISOString());
log(d.setMonth(1));
log(d.setDate(0));
log(d.setFullYear(2021, 11, 31));
log(d.setHours(25, 61, 61, 1001));
log(d.setMinutes(-1));
log(d.setSeconds(3600));
log(d.setMilliseconds(-1));
log(d.setUTCDate(15), d.getUTCDate());
log(d.setUTCHours(0, 0, 0, 0));
log(d.setTime(86400000));
const n = new Date(NaN);
console.log(n.setMonth(1), n.setFullYear(1999), n.toISOString());
const e = new Date(0); console.log(e.setDate(NaN), String(e));
const t = new Date(Date.UTC(2024, 1, 29)); t.setFullYear(2025); console.log(t.toISOString());
const days = []; const c = new Date(Date.UTC(2024, 0, 30)); for (let i = 0; i < 4; i++) { c.setDate(c.getDate() + 1); days.push(c.toISOString().slice(0, 10)); } console.log(days);
