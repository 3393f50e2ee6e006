function r(n) { return r(n + 1) + 1; }
console.log("start");
r(0);
