function add(a, b) { return a + b; }
let t = 0;
for (let i = 0; i < 3000; i++) t = add(t, i);
console.log(t);
console.log(add("x", 1), add([1], 2), add(true, 1), add(1.5, 2));
for (let i = 0; i < 3000; i++) t = add(t, 1);
console.log(t);
