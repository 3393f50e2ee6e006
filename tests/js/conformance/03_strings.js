const s = "hello";
console.log(s, s.length, s + " world", s[1], s.charAt(4), s.charCodeAt(0), s.toUpperCase());
console.log("a" < "b", "B" < "a", "10" < "9", "abc".indexOf("c"), "abcdef".slice(1, 3), "x".slice(-1));
console.log('quote\'s', "dq\"s", "tab\tnew\\n", "\u0041\x42");
console.log(["it's", 'say "hi"', "plain"]);
console.log("" + 1 + 2, 1 + 2 + "", "3" * "4", "5" - 2, "a" * 2, +"", +" 12 ", +"0x1f");
