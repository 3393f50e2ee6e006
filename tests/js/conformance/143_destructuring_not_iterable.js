// An array pattern given what is not iterable: node names a declaration's
// variable or literal, and describes the value everywhere else.
function named(a) { const [x, y] = a; return x + y; }
function param([x]) { return x; }
function assigned(a) { let x; [x] = a; return x; }
function nested(a) { const [[x]] = a; return x; }
const o = { p: 5, q: null };
const cases = {
  "declaration, variable null": () => named(null),
  "declaration, variable undefined": () => named(undefined),
  "declaration, variable number": () => named(7),
  "declaration, literal null": () => { const [x] = null; },
  "declaration, literal -1": () => { const [x] = -1; },
  "declaration, literal true": () => { const [x] = true; },
  "declaration, object literal": () => { const [x] = { a: 1, b: 2 }; },
  "declaration, empty object": () => { const [x] = {}; },
  "declaration, property number": () => { const [x] = o.p; },
  "declaration, property null": () => { const [x] = o.q; },
  "declaration, property missing": () => { const [x] = o.r; },
  "declaration, operation": () => { const [x] = 1 + 2; },
  "parameter null": () => param(null),
  "parameter number": () => param(5),
  "assignment null": () => assigned(null),
  "assignment number": () => assigned(5),
  "nested null": () => nested([null]),
  "nested number": () => nested([5]),
  "arrays fine": () => named([1, 2]) + param([3]) + assigned([4]) + nested([[5]]),
};
for (const [k, f] of Object.entries(cases)) {
  try { console.log(k, "ok", f()); } catch (e) { console.log(k, "|", e.constructor.name, e.message); }
}
