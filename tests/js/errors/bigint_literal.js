console.log("before");
const x = 1.5n;
