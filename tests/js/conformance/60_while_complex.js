let a = 0, b = 1, n = 0; while (b < 1000) { const t = a + b; a = b; b = t; n++; } console.log(n, a, b);
