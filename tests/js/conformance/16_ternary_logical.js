const a = 5;
console.log(a > 3 ? "big" : "small", a > 10 ? "huge" : a > 4 ? "mid" : "tiny");
console.log(0 || "default", "set" || "default", 1 && 2, 0 && 2, null && x, "" || 0 || null);
let calls = 0; const f = () => ++calls; false && f(); true || f(); console.log(calls);
console.log(!a, !!a, !(a > 3 && a < 10));
