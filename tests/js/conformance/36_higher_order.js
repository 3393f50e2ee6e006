const compose = (f, g) => x => f(g(x));
const inc = x => x + 1, dbl = x => x * 2;
console.log(compose(inc, dbl)(5), compose(dbl, inc)(5));
function apply(n, f, x) { for (let i = 0; i < n; i++) x = f(x); return x; }
console.log(apply(10, dbl, 1), [1, 2, 3].map(inc).map(dbl).filter(x => x > 4));
