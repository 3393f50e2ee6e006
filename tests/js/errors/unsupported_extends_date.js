class D extends Date {}
new D();
