let s = "abc";
let r = s.replace(/b/g, "x");
