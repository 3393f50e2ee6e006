function fail(why) {
  throw new TypeError("bad thing: " + why);
}
console.log("before");
fail("input");
