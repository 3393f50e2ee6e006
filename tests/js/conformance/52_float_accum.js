let s = 0; for (let i = 1; i <= 1000; i++) s += 1 / i; console.log(s);
let p = 1; for (let i = 0; i < 10; i++) p *= 1.1; console.log(p);
