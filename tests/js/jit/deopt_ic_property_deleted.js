// An own property deleted, or never there (inherited, absent), is not an own
// number: compiled code leaves and the interpreter reads the prototype chain.
// (Every probe runs inside a loop, compiled with the leaf in it.)
function get(o) { return o.x + 1; }
function gets(o, n) { let r = 0; for (let i = 0; i < n; i++) r += get(o); return r; }
const o = {x: 1, y: 2};
console.log(gets(o, 3000));
delete o.x;
console.log(gets(o, 1));
Object.prototype.x = 41;
console.log(gets(o, 1), gets({}, 1), gets({y: 1}, 1));
delete Object.prototype.x;
const proto = {x: 100};
const child = Object.create(proto);
console.log(gets(child, 1));
child.x = 7;
console.log(gets(child, 1), gets(proto, 1));
function put(o, v) { o.z = v; return v; }
function puts(a, b, n) { for (let i = 0; i < n; i++) put(i % 2 ? a : b, i); return n; }
const fresh = {a: 1};
puts(fresh, {a: 2}, 3000);
console.log(fresh, Object.keys(fresh));
