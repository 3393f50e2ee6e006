function f(a, b, c) { return [a, b, c]; }
console.log(f(1), f(1, 2), f(1, 2, 3, 4));
