let found = [];
outer: for (let i = 0; i < 5; i++) {
  for (let j = 0; j < 5; j++) {
    if (j > i) continue outer;
    if (i + j === 6) break outer;
    found.push(`${i}${j}`);
  }
}
console.log(found.join(" "));
let n = 0;
rows: while (n < 100) { n++; let k = 0; do { k++; if (k === 3) continue rows; if (n === 7) break rows; } while (k < 10); }
console.log(n);
block: { console.log("in"); if (n) break block; console.log("never"); }
function f() { loop: for (const x of [1, 2, 3, 4]) { switch (x) { case 2: continue loop; case 4: break loop; } console.log("x", x); } return "done"; }
console.log(f());
let total = 0;
grid: for (let a = 0; a < 300; a++) for (let b = 0; b < 300; b++) { if (b > a) continue grid; total += b; }
console.log(total);
let s = ""; for (let i = 0; i < 200000; i++) s += i % 7; console.log(s.length, s.slice(-5));
var big = ""; for (var q = 0; q < 5000; q++) { big += "ab"; if (big.length % 1000 === 0) big += "!"; } console.log(big.length, typeof big, big.indexOf("!"));
