// A program may replace a built-in prototype's method; every call then
// finds the replacement (the interpreter's fast paths called the built-in).
const a = [3, 1, 2];
const push = Array.prototype.push;
Array.prototype.push = function (...xs) {
  return push.apply(this, xs.map((x) => x * 10));
};
a.push(4);
Array.prototype.push = push;
a.push(5);
console.log(a.join(","));
Array.prototype.forEach = function (f) {
  f("replaced", -1);
};
[1, 2].forEach((x, i) => console.log("forEach", x, i));
String.prototype.trim = function () {
  return "<" + this + ">";
};
console.log("  s ".trim());
Number.prototype.toFixed = function (n) {
  return "fixed" + n;
};
console.log((1.5).toFixed(2));
Map.prototype.get = function (k) {
  return "got " + k;
};
console.log(new Map([[1, 2]]).get(1));
Set.prototype.has = function () {
  return "always";
};
console.log(new Set().has(3));
delete String.prototype.trim;
try {
  "x".trim();
} catch (e) {
  console.log(e.constructor.name);
}
Map.prototype.extra = function () {
  return "extra " + this.size;
};
console.log(new Map([[1, 1]]).extra(), typeof new Set().extra);
