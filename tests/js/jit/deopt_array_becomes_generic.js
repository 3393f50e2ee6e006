function total(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }
const a = [1, 2, 3];
for (let k = 0; k < 3000; k++) total(a);
a.push("4");
console.log(total(a), a);
