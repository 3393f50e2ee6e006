// A compiled store of an object or null meets a slot of another kind (a
// number, a string), a frozen or sealed holder, a setter, or a holder
// without the key: the cache misses and the interpreter makes the store.
function attach(holder, child, k) { for (let i = 0; i < k; i++) holder.child = child; return holder.child === child; }
const child = {name: 1};
const h = {child: null, n: 0};
console.log(attach(h, child, 3000), h.child === child);
const asNumber = {child: 5, n: 0};
console.log(attach(asNumber, child, 1), typeof asNumber.child);
const asString = {child: "x", n: 0};
console.log(attach(asString, null, 1), asString.child);
const frozen = Object.freeze({child: null, n: 0});
console.log(attach(frozen, child, 1), frozen.child);
let seen = 0;
const withSetter = {set child(v) { seen++; }, get child() { return null; }, n: 0};
console.log(attach(withSetter, child, 2), seen);
const without = {n: 0};
console.log(attach(without, child, 1), Object.keys(without).join());
console.log(attach(h, null, 1), h.child);
