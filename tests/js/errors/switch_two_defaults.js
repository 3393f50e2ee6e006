let x = 1;
switch (x) {
  default: break;
  default: break;
}
