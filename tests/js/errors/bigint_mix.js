const big = 10n;
console.log("before");
const total = big + 1;
console.log(total);
