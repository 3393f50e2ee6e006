function add(a, b) { return a + b; }
const mul = function (a, b) { return a * b; };
const sq = x => x * x;
const noRet = () => {};
console.log(add(2, 3), mul(4, 5), sq(7), noRet(), add(1), add(1, 2, 3));
console.log(typeof add, add.name, mul.name, sq.name, (function () {}).name, add.length);
console.log(add, sq, function named() {});
