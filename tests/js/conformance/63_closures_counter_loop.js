const adders = []; for (let i = 0; i < 3; i++) { let base = i * 100; adders.push(x => x + base + i); }
console.log(adders.map(f => f(1)));
