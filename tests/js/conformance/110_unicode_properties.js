// Unicode property escapes in regular expressions (general categories; written here).
console.log(/\p{L}+/u.test("héllo"), "Grüße, 世界! 123".match(/\p{L}+/gu), "a1b2".replace(/\p{Nd}/gu, "#"), /^\p{Lu}/u.test("Émile"));
console.log("Hello, World! ¿Qué?".match(/\p{P}/gu), "x y\u00a0z".split(/\p{Zs}/u), /[\p{L}\p{N}_]+/u.exec("__äb9!")[0], "ABcD".match(/\P{Lu}/gu));
console.log(/\p{Letter}/u.test("1"), /\p{Uppercase_Letter}/u.test("Z"), /\p{Alphabetic}/u.test("ж"), /\p{White_Space}/u.test("\t"), /\p{Sc}/u.test("€"));
