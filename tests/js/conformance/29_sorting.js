function bubble(a) { a = a.slice(); for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length - 1 - i; j++) if (a[j] > a[j + 1]) { const t = a[j]; a[j] = a[j + 1]; a[j + 1] = t; } return a; }
function quick(a) { if (a.length < 2) return a; const p = a[0]; return quick(a.slice(1).filter(x => x < p)).concat([p], quick(a.slice(1).filter(x => x >= p))); }
const data = [5, 3, 8, 1, 9, 2, 7, 3];
console.log(bubble(data), quick(data), data);
