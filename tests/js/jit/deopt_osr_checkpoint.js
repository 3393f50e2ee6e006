const xs = new Array(100).fill(1);
let total = 0, i = 0;
while (i < 20000) { total += xs[i % 100] * 2; if (i === 15000) { xs[100] = 7; } i++; }
console.log(total, xs.length, xs[100]);
let j = 0, acc = 0;
for (j = 0; j < 10000; j++) { acc += j; if (j > 9000) acc += xs[j - 8900] === undefined ? 1000 : 0; }
console.log(acc, j);
