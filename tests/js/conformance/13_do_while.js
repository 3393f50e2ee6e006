let i = 10; do { i++; } while (i < 5); console.log(i);
let k = 0; do { k += 2; } while (k < 9); console.log(k);
