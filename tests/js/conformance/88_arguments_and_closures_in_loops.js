const f = (...arguments) => function () { return arguments.length; };
function g(arguments) { return function () { return arguments.length; }; }
const h = function () { return (() => arguments.length)(); };
console.log(f()(1, 2, 3), g([9])(1, 2, 3), h(1, 2));
const a = Array.from({ length: 5 }, (_, i) => i);
let t = 0;
for (let n = 0; n < 300; n++) t += a.filter((x) => x % 2 === 0).length + a.map((x) => x * n).reduce((p, q) => p + q, 0);
console.log(t);
console.info("info goes to stdout");
