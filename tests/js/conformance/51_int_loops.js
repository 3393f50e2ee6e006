let h = 0; for (let i = 0; i < 100000; i++) { h = (h * 33 + i) % 1000003; } console.log(h);
let x = 0; for (let i = 0; i < 1000; i++) { x ^= i << (i % 7); } console.log(x);
