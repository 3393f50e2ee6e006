function step(i) { if (i % 500 === 0) console.log("at", i, i * 2, i % 1000 === 0); return i; }
let s = 0;
for (let i = 0; i < 3001; i++) s += step(i);
console.log("sum", s);
const arr = new Array(5).fill(0);
for (let i = 0; i < 5000; i++) { if (i === 4000) console.log("before oob", i); arr[i % 5] += 1; if (i === 4500) arr[9] = 1; }
console.log(arr);
