// Ergonomic brand checks: #x in o for fields, methods, accessors and statics.
class P {
  static #count = 0;
  #f = 1;
  static inc() { return ++P.#count; }
  #priv() { return 2; }
  get #acc() { return 3; }
  call() { return this.#priv() + this.#acc; }
  static has(o) { return [#priv in o, #f in o, #acc in o, #count in o]; }
}
const p = new P();
console.log(P.inc(), P.inc(), p.call(), P.has(p), P.has({}), P.has(P));
try { P.has(1); } catch (e) { console.log(e.name); }
