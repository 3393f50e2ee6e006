console.log([1.5, 22.25, 333.125, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
console.log(["a", "bb", "ccc", "dddd", "e", "ff", "g"]);
console.log([true, false, true, false, true, false, true]);
console.log({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28] });
