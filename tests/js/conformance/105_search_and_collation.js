// indexOf/lastIndexOf/includes with a start position, SameValueZero, and localeCompare's order and options (written here).
console.log([1, 2, 1, 2].indexOf(1, 1), [1, 2, 1].indexOf(1, -1), [1, 2, 1].indexOf(2, 5), [1, 2, 1, 2].lastIndexOf(2, 2), [1, 2].lastIndexOf(1, -5), [1, 2, 3].lastIndexOf(3, -1));
console.log([NaN].includes(NaN), [NaN].indexOf(NaN), [1, 2, 3].includes(1, 1), [, 1].includes(undefined), [0].includes(-0), [1, 2, 3].includes(3, -1));
console.log("abcabc".indexOf("a", 1), "abcabc".indexOf("c", -5), "abcabc".lastIndexOf("a", 2), "abcabc".lastIndexOf("a"), "abc".lastIndexOf("", 1), "abc".indexOf("", 10), "aaa".lastIndexOf("a", 0));
const names = ["item10", "item9", "Item1", "item1", "éclair", "eclair", "zeta", "Alpha", "alpha"];
console.log(names.slice().sort((a, b) => a.localeCompare(b)));
console.log(names.slice().sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
console.log(names.slice().sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })));
console.log("a".localeCompare("A", undefined, { sensitivity: "base" }), "a".localeCompare("á", undefined, { sensitivity: "base" }), "a".localeCompare("á", undefined, { sensitivity: "accent" }), "a".localeCompare("A", undefined, { sensitivity: "accent" }), "a".localeCompare("A"), "a".localeCompare("b"), "b".localeCompare("a"));
console.log(["10", "9", "1", "100", "2b", "2a"].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
