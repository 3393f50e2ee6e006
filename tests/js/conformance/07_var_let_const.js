var a = 1; let b = 2; const c = 3;
{ let b = 20; var a = 10; console.log(a, b, c); }
console.log(a, b, c);
function f() { var x = 1; if (true) { var x = 2; } return x; }
function g() { let x = 1; if (true) { let x = 2; } return x; }
console.log(f(), g());
console.log(hoisted); var hoisted = 5; console.log(hoisted);
