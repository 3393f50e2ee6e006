class A {
  static { this.x = 1; }
}
