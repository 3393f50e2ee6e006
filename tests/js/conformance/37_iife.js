const r = (function (a) { return a * 2; })(21);
const s = ((x, y) => x + y)(1, 2);
console.log(r, s, (() => "arrow iife")());
