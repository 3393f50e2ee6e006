const calc = { add: (a, b) => a + b, ops: { mul: (a, b) => a * b } };
console.log(calc.add(2, 3), calc.ops.mul(4, 5), calc["add"](1, 1));
