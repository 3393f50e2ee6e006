console.log("never");
const o = { a: 1, b = 1 };
