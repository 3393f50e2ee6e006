const a = [1, 2, 3, 4, 5]; a.length = 2; console.log(a, a.length);
a.length = 4; console.log(a);
const b = []; b[2] = "x"; console.log(b, b.length, b[0]);
