// eval in the program's scope: completion values, declarations joining the program, catchable syntax errors
var x = 5; console.log(eval("x + 1"), eval("var y = 10; y * 2"), y, eval(42), eval("[1, 2].map(v => v * 3)"));
const data = eval("(" + '{"a": [1, 2], "b": "c"}' + ")"); console.log(data.a.length, data.b);
eval("function made(n) { return n * n; }"); console.log(made(7));
try { eval("1 +"); } catch (e) { console.log(e.name, e instanceof SyntaxError); }
console.log(eval("if (x > 1) { 'big'; } else { 'small'; }") === undefined ? "no completion" : "completion");
console.log(typeof eval, eval("typeof x"), eval("let q = 3; q + x"));
console.log(eval("for (let i = 0; i < 2; i++) {}"), eval(""), eval("let o = {k: 1}; o.k = 2; o"));
function inner() { const local = 1; try { return eval("local + 1"); } catch (e) { return e.name; } }
console.log(typeof inner);
