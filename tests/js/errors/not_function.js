let f = 5;
console.log("before");
f();
