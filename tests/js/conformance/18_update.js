let i = 5;
console.log(i++, i, ++i, i, i--, i, --i, i);
const o = { n: 1 }; console.log(o.n++, o.n, ++o.n);
const a = [1]; a[0]++; ++a[0]; console.log(a);
let s = "5"; s++; console.log(s, typeof s);
