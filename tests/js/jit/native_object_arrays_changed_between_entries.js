// An array of objects held in a property is mirrored for compiled code once
// and reused while it is unchanged; each change the interpreter makes between
// entries -- an element replaced, two swapped, a hole, null, a number, the
// array emptied or grown -- must be seen by the next entry, and compiled
// stores into it must come back.
class Bag { constructor() { this.items = []; this.n = 0; } }
function total(bag) {
  let s = 0;
  for (let i = 0; i < bag.items.length; i++) { const x = bag.items[i]; if (x !== null && x !== undefined) s += x.v; }
  return s;
}
function rotate(bag) {
  const first = bag.items[0];
  for (let i = 0; i + 1 < bag.items.length; i++) bag.items[i] = bag.items[i + 1];
  bag.items[bag.items.length - 1] = first;
  const y = bag.items[0];
  return y === null || y === undefined ? -1 : y.v;
}
const bag = new Bag();
for (let i = 0; i < 500; i++) bag.items.push({ v: i });
let out = [];
for (let k = 0; k < 200; k++) out.push(total(bag));
out.push(total(bag));
bag.items[7] = { v: 1000 };
out.push(total(bag));
const t = bag.items[3]; bag.items[3] = bag.items[400]; bag.items[400] = t;
out.push(total(bag), bag.items[3].v, bag.items[400].v);
bag.items[9] = null;
out.push(total(bag));
delete bag.items[10];
out.push(total(bag));
for (let k = 0; k < 200; k++) rotate(bag);
out.push(total(bag), bag.items[0] === null ? 'null' : bag.items[0].v, rotate(bag));
bag.items[11] = 5;
out.push(total(bag));
bag.items[11] = { v: 11 };
bag.items.length = 20;
out.push(total(bag), bag.items.length);
bag.items.push({ v: 77 });
out.push(total(bag));
bag.items = [{ v: 1 }, { v: 2 }];
out.push(total(bag), rotate(bag), total(bag));
console.log(out.join(' '));
