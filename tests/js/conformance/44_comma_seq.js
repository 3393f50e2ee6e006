let a = (1, 2, 3); console.log(a);
let i, j; for (i = 0, j = 5; i < j; i++, j--); console.log(i, j);
