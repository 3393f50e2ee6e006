// An own property deleted, or never there (inherited, absent), is not an own
// number: compiled code leaves and the interpreter reads the prototype chain.
function get(o) { return o.x + 1; }
const o = {x: 1, y: 2};
let s = 0;
for (let i = 0; i < 2000; i++) s += get(o);
console.log(s);
delete o.x;
console.log(get(o));
Object.prototype.x = 41;
console.log(get(o), get({}), get({y: 1}));
delete Object.prototype.x;
const proto = {x: 100};
const child = Object.create(proto);
console.log(get(child));
child.x = 7;
console.log(get(child), get(proto));
function put(o, v) { o.z = v; return v; }
const fresh = {a: 1};
for (let i = 0; i < 2000; i++) put(i % 2 ? fresh : {a: 2}, i);
console.log(fresh, Object.keys(fresh));
