console.log(early(2));
function early(n) { return n * 10; }
console.log(typeof later); var later = () => 1; console.log(typeof later);
function outer() { return inner(); function inner() { return "inner"; } }
console.log(outer());
