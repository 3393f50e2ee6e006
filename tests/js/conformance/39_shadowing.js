let x = "global";
function f() { let x = "local"; { let x = "block"; console.log(x); } console.log(x); }
f(); console.log(x);
function g(x) { x = x + 1; return x; } console.log(g(1), x);
