const arr = [5, 1, 4, 2, 3];
console.log(arr.at(-1), arr.lastIndexOf(4), arr.flat(), [[1, [2]], [3]].flat(), [[1, [2]], [3]].flat(Infinity), [1, 2].flatMap((x) => [x, x * 10]));
console.log(arr.findLast((x) => x > 3), arr.findLastIndex((x) => x > 3), arr.reduceRight((p, c) => p + c), String(arr), [...arr.keys()], [...arr.entries()][1]);
const sp = [1, 2, 3, 4, 5]; console.log(sp.splice(1, 2, "a", "b", "c"), sp, sp.splice(-2), sp);
console.log("abc".padStart(6, "12"), "abc".padEnd(5), "hello".startsWith("ell", 1), "hello".endsWith("ell", 4), "hello".includes("ll"), "  x ".trimStart() + "|", "abcabc".lastIndexOf("b"));
console.log("abc".at(-1), "abc".codePointAt(1), "a".concat("b", 1), "b".localeCompare("a"), "abcdef".substr(2, 3), "abcdef".substr(-2));
