const out = [];
for (let i = 0; i < 10; i++) { if (i === 7) break; if (i % 2 === 0) continue; out.push(i); }
console.log(out);
let n = 0; while (true) { n++; if (n < 3) continue; if (n > 5) break; }
console.log(n);
for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) break; console.log(i, j); } }
