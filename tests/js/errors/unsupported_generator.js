class A {
  *items() { yield 1; }
}
