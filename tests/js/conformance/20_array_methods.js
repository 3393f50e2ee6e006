const a = [5, 1, 4, 2, 3];
console.log(a.map(x => x * 2), a.filter(x => x % 2), a.reduce((s, x) => s + x, 0), a.reduce((s, x) => s * x));
console.log(a.indexOf(4), a.indexOf(9), a.includes(2), a.join("-"), a.join(), a.slice(1, 3), a.slice(-2));
console.log(a.some(x => x > 4), a.every(x => x > 0), a.find(x => x > 3), a.findIndex(x => x > 3));
console.log([3, 1, 2].sort(), [10, 9, 1, 100].sort(), [10, 9, 1, 100].sort((x, y) => x - y), [1, 2, 3].reverse());
console.log([1, 2].concat([3], 4, [[5]]), [1, 2, 3].shift(), [2, 3].unshift(1));
a.forEach((x, i) => { if (i < 2) console.log(i, x); });
