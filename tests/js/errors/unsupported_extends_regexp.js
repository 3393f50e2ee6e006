class Pattern extends RegExp {
  constructor(s) { super(s); }
}
const p = new Pattern("a+");
