async function check(input) {
  await null;
  throw new TypeError("rejected: " + input);
}
console.log("before");
check("input");
Promise.resolve().then(() => console.log("the microtasks still run"));
