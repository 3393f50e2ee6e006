class A {
  static x = 1;
  static { this.y = this.x + 1; var local = 5; A.z = local * 2; }
  static w = A.y * 10;
  static { console.log("block", this.name, this.x, this.y, this.z, this.w); }
  m() { return A.y; }
}
console.log(A.x, A.y, A.z, A.w, new A().m(), typeof local);
class B extends A { static { this.q = super.m ? 1 : 2; console.log("B", B.q, B.x); } }
let order = [];
class C { static a = order.push("a"); static { order.push("block"); } static b = order.push("b"); }
console.log(order);
