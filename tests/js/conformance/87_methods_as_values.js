const curry = (f, ...args) => {
  const go = xs => xs.length >= f.length ? (f.apply(null, xs)) : function () { return go(xs.concat([].slice.apply(arguments))); };
  return go([].slice.call(args, 1));
};
const intercalate = curry((s, xs) => xs.join(s));
console.log(intercalate("-")(["a", "b"]), [].slice.call([1, 2, 3], 1), ((a, b) => 1).length, curry.length);
const unit = ""; console.log(unit.concat.apply(unit, ["x", "y"]), [].concat.apply([], [[1], [2, 3]]));
console.log(Array.from({ length: 3 }, (_, i) => i), [[1,2],[3,4]][0].map((_, c) => [[1,2],[3,4]].map(r => r[c])));
console.log([].constructor === Array, "".constructor.name, (5).constructor.name, ({}).constructor.name, Boolean(0), typeof Boolean, (function () {}).constructor.name);
const toUpper = String.prototype.toUpperCase; console.log(toUpper.call("abc"), "".toUpperCase.call("xyz"), [].map.call("ab", (c) => c + c));
Number.prototype.double = function () { return this * 2; }; console.log((21).double(), Number.prototype.toFixed.call(2.5, 1));
