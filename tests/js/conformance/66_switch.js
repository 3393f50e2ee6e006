function kind(x) {
  switch (typeof x) {
    case "number":
      if (x > 10) return "big";
    case "bigint":
      return "num";
    default:
      return "other";
    case "string":
      return "str";
  }
}
console.log(kind(1), kind(20), kind("a"), kind(null), kind(true));
let out = [];
for (let i = 0; i < 6; i++) {
  switch (i % 3) {
    case 0: out.push("zero"); break;
    case 1: out.push("one");
    case 2: { let t = i * 2; out.push("two" + t); continue; }
  }
  out.push("after" + i);
}
console.log(out.join(","));
let n = 0;
function f() { n++; return 2; }
switch (2) { case 1: break; default: console.log("d"); case f(): console.log("hit", n); }
switch (5) { default: console.log("only default"); }
switch (3) {}
var s = 0;
for (var i = 0; i < 100000; i++) { switch (i & 3) { case 0: s += 1; break; case 1: s += 2; break; default: s += 3; } }
console.log(s);
