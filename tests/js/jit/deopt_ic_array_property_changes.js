// A property load compiled to read a packed array sees something else: a
// number, null, an array of booleans or of mixed values, a deleted key, an
// object of another layout.  Each new hidden class misses; the handler
// answers -1 and compiled code deoptimises to the interpreter.
function first(o) { return o.xs[0] + o.xs.length; }
function fill(o, v) { for (let i = 0; i < o.xs.length; i++) o.xs[i] = v; return o.xs.length; }
const o = {xs: [1, 2, 3]};
let s = 0;
for (let k = 0; k < 3000; k++) s += first(o) + fill(o, k);
console.log(s, o.xs.join(","));
o.xs = 7;
console.log(String(first(o)));
o.xs = null;
try { first(o); } catch (e) { console.log(e instanceof TypeError); }
o.xs = [true, false];
console.log(first(o), fill(o, 2), o.xs.join(","));
o.xs = [1, "two", 3];
console.log(first(o), fill(o, 9), o.xs.join(","));
o.xs = [4, 5];
console.log(first(o), fill(o, 1.5), o.xs.join(","));
delete o.xs;
try { first(o); } catch (e) { console.log(e instanceof TypeError); }
const other = {pad: 0, xs: [8, 9]};
console.log(first(other), fill(other, 3), other.xs.join(","));
const viaProto = Object.create({xs: [6]});
console.log(first(viaProto), fill(viaProto, 0), viaProto.xs.join(","));
// A boolean-array site sees a number array.
function any(o) { for (let i = 0; i < o.f.length; i++) if (o.f[i]) return true; return false; }
const b = {f: [false, false, true]};
let n = 0;
for (let k = 0; k < 3000; k++) if (any(b)) n++;
b.f = [0, 0, 2];
console.log(n, any(b));
b.f = [0, 0, 0];
console.log(any(b));
