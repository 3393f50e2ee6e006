function f() {
  x++;
  let x = 0;
}
f();
