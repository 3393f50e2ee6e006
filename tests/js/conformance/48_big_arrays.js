const a = []; for (let i = 0; i < 150; i++) a.push(i * 3);
console.log(a);
console.log(Array(12).fill("ab"));
