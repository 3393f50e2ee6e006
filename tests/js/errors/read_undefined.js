let u;
console.log(u.x);
