const a = [1, 2, 3];
console.log(a, a.length, a[0], a[5], a[-1]);
a[3] = 4; a[5] = 6; console.log(a, a.length);
const b = []; b.push(1); b.push(2, 3); console.log(b, b.pop(), b, b.length);
console.log([], [[]], [1, [2, [3, [4, [5]]]]]);
console.log(new Array(3), new Array(3).fill(7), new Array(2, 3), [1, 2, 3].fill(0, 1));
