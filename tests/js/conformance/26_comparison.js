console.log(1 < 2, 2 <= 2, 3 > 4, 4 >= 4, "a" < "b", "abc" < "abd", "Z" < "a", 2 < "10", "2" < "10");
console.log(NaN < 1, NaN >= 1, undefined < 1, null < 1, null >= 0, [2] > 1);
