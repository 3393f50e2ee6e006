function grade(s) { if (s >= 90) return "A"; else if (s >= 80) return "B"; else if (s >= 70) return "C"; else return "F"; }
console.log([95, 85, 75, 10].map(grade));
let x = 5; if (x > 3) x = 1; else x = 2; console.log(x);
if (0) console.log("no"); else console.log("yes");
