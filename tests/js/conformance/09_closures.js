function makeCounter() { let n = 0; return { inc: () => ++n, get: () => n }; }
const c = makeCounter(); c.inc(); c.inc();
const d = makeCounter(); d.inc();
console.log(c.get(), d.get());
const fns = []; for (let i = 0; i < 4; i++) fns.push(() => i * 10);
console.log(fns.map(f => f()));
const vfns = []; for (var j = 0; j < 3; j++) vfns.push(() => j);
console.log(vfns.map(f => f()));
function adder(x) { return function (y) { return function (z) { return x + y + z; }; }; }
console.log(adder(1)(2)(3));
