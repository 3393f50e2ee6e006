// String(x) and x.toString() of numbers in compiled code: a whole number's
// digits are made natively; a fraction, NaN, Infinity or a number past 2^53
// leaves, and the interpreter prints it; -0 is "0"; a string passes through.
function keys(n) { let s = ""; for (let i = 0; i < n; i++) s = String(i % 97) + ":" + (i % 13).toString() + "/" + String("k"); return s; }
console.log(keys(50000));
function texts(xs) { let out = ""; for (let r = 0; r < 300; r++) for (let i = 0; i < xs.length; i++) if (r === 299) out += String(xs[i]) + "|" + xs[i].toString() + " "; return out; }
console.log(texts([0, -0, 1, -17, 2147483647, -2147483648, 4294967296, 9007199254740991, -9007199254740991]));
console.log(texts([1.5, NaN, Infinity, -Infinity, 9007199254740993, 1e21, 1e-7, 0.1]));
function lens(n) { let t = 0; for (let i = 0; i < n; i++) t += String(i * 1000003).length + (i * 7).toString().length; return t; }
console.log(lens(30000));
String = function (x) { return "S"; };
console.log(keys(10));
Number.prototype.toString = function () { return "N"; };
console.log(lens(10));
