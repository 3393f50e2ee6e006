console.log(Math.floor(3.7), Math.floor(-3.2), Math.ceil(3.2), Math.ceil(-3.7), Math.round(2.5), Math.round(-2.5), Math.round(-0.4));
console.log(Math.abs(-5), Math.sqrt(2), Math.sqrt(-1), Math.min(3, 1, 2), Math.max(), Math.min(), Math.max(1, NaN));
console.log(Math.sin(0), Math.cos(Math.PI), Math.pow(2, 10), Math.pow(-2, 0.5), Math.PI, Math.E, Math.trunc(-4.7), Math.sign(-3));
console.log(Math.exp(1), Math.log(Math.E), Math.atan2(1, 1), Math.tan(0));
