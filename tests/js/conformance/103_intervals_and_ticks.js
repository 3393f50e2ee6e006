// setInterval/clearInterval and process.nextTick in node's order (virtual time; written here).
let n = 0;
const id = setInterval((tag) => {
  n++;
  console.log("interval", tag, n);
  if (n === 3) clearInterval(id);
}, 200, "t");
setTimeout(() => console.log("timeout 800"), 800);
process.nextTick(() => console.log("tick 1"));
Promise.resolve().then(() => {
  console.log("promise 1");
  process.nextTick(() => console.log("tick from promise"));
  Promise.resolve().then(() => console.log("promise 2"));
});
process.nextTick((a, b) => console.log("tick 2", a, b), "x", "y");
queueMicrotask(() => console.log("microtask"));
console.log("sync");
const id2 = setInterval(() => console.log("never"), 50);
clearInterval(id2);
let m = 0;
const id3 = setInterval(() => {
  m++;
  Promise.resolve().then(() => console.log("micro after interval", m));
  if (m === 2) clearTimeout(id3);
}, 250);
try { process.nextTick(1); } catch (e) { console.log(e.constructor.name, e.message); }
