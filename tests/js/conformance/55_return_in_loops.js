function find(a, t) { for (let i = 0; i < a.length; i++) { if (a[i] === t) return i; } return -1; }
function firstNeg(a) { let i = 0; while (true) { if (a[i] < 0) return a[i]; i++; if (i >= a.length) return null; } }
console.log(find([4, 5, 6], 6), find([4, 5], 9), firstNeg([1, -2, 3]), firstNeg([1]));
