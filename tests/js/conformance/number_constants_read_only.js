// Number's constants are read-only and permanent (a store or a delete is
// ignored in sloppy code and throws in strict code); its functions are writable.
Number.EPSILON = 5;
Number.MAX_SAFE_INTEGER = 0;
console.log(Number.EPSILON, Number.MAX_SAFE_INTEGER, delete Number.NaN, Number.NaN);
for (const k of ["MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "MAX_VALUE", "MIN_VALUE", "EPSILON", "POSITIVE_INFINITY", "NEGATIVE_INFINITY", "NaN", "isInteger"]) {
  const d = Object.getOwnPropertyDescriptor(Number, k);
  console.log(k, d.writable, d.configurable);
}
(function () {
  "use strict";
  try { Number.MIN_VALUE = 1; } catch (e) { console.log(e.constructor.name); }
  try { delete Number.POSITIVE_INFINITY; } catch (e) { console.log(e.constructor.name); }
})();
const orig = Number.isInteger;
Number.isInteger = (v) => "mine";
console.log(Number.isInteger(1));
Number.isInteger = orig;
console.log(Number.isInteger(1), Number.isInteger(1.5), Number.isSafeInteger(2 ** 53), Number.isFinite("1"), isFinite("1"), isNaN("x"));
