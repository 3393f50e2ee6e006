function fill(a, n, v, step) { for (let i = 0; i < n; i++) a[i * step] = v + i; return a.length; }
const a = new Array(10).fill(0);
for (let k = 0; k < 3000; k++) fill(a, 10, k, 1);
console.log(a);
// past the length by more than one (a hole): the run leaves, rolled back, and the interpreter does it
console.log(fill(a, 13, 100, 2), a);
// at the length: appended in compiled code, as node grows the array
const b = new Array(10).fill(0);
console.log(fill(b, 13, 100, 1), b);
