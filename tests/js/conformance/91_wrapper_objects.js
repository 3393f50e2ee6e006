const s = new String("abc"), n = new Number(-0), b = new Boolean(false), m = new Number(42.5);
console.log(s, n, b, m, [s, n], { s });
console.log(typeof s, typeof n, s.length, s[1], s.charAt(2), s.toUpperCase(), s + "!", `${s}`, n + 1, m * 2, b ? "truthy" : "falsy");
console.log(s == "abc", s === "abc", m == 42.5, s instanceof String, n instanceof Number, "x" instanceof String, Object.keys(s));
console.log(JSON.stringify({ s, m, b }), String(s), Number(m), s.valueOf(), m.toFixed(1), b.valueOf(), new String(12).length);
for (const k in new String("hi")) console.log(k);
var n_str = new String(1729); let t = 0; for (var i = 0; i < n_str.length; ++i) t += parseInt(n_str.charAt(i)); console.log(t);
console.log(new String(), new Number(), new Boolean(), [new String("x")].join(), s.split("b"), s.slice(1));
