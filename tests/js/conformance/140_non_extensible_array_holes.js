// Filling a hole adds a property: a sealed or non-extensible array refuses
// it (ignored in sloppy code, a TypeError in strict code), as node does.
const x = Object.preventExtensions(new Array(3));
x[1] = "a";
const s = Object.seal([1, , 3]);
s[1] = 2;
s[0] = 10;
console.log(0 in x, 1 in x, x.length, s, 1 in s);
(function () {
  "use strict";
  for (const [a, i] of [[x, 2], [s, 1]]) {
    try {
      a[i] = 1;
    } catch (e) {
      console.log(e.constructor.name, e.message);
    }
  }
})();
