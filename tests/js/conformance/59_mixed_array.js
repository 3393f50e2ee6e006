const m = [1, "two", null, undefined, true, [3], { four: 4 }, () => 5];
console.log(m, m.length, typeof m[7]);
