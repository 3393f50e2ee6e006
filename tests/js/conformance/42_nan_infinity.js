console.log(NaN, Infinity, -Infinity, isNaN(NaN), isNaN("abc"), isNaN("12"), Infinity - Infinity, Infinity * 0, 1 / Infinity);
console.log(Number("42"), Number(""), Number("4x"), Number(null), Number(undefined), Number(true), Number([5]), Number([1, 2]));
console.log(parseInt("42px"), parseInt("0x1A"), parseInt("101", 2), parseFloat("3.14abc"), parseFloat(".5"), parseInt("abc"));
