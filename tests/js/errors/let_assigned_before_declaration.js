function f() {
  x = 1;
  let x;
  return x;
}
console.log(f());
