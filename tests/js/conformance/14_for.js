let s = 0; for (let i = 0; i < 10; i++) s += i * i; console.log(s);
let t = ""; for (let i = 3; i > 0; i--) t += i; console.log(t);
for (let i = 0, j = 10; i < j; i += 3, j -= 3) console.log(i, j);
let k = 0; for (;;) { if (++k > 4) break; } console.log(k);
