const x = "5";
console.log(-x, +x, -(-x), !x, ~x, -"abc", +true, -null, +undefined, +[], +{}, - -1);
