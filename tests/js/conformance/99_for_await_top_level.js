// for await at the top level: node runs the file as a module, as with await.
async function* ticks(n) {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 20));
    yield i;
  }
}
Promise.resolve().then(() => console.log("microtask"));
console.log("before", typeof this);
for await (const t of ticks(3)) console.log("tick", t);
for await (const v of [1, Promise.resolve(2), 3]) console.log("value", v);
console.log("after");
