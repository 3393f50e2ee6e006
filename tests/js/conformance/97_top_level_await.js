// Top-level await: the program runs as node runs it, as an ES module.
const log = [];
const sleep = (ms, v) => new Promise((r) => setTimeout(() => r(v), ms));
Promise.resolve().then(() => console.log("microtask before the first await"));
console.log("start", typeof this);
const a = await sleep(100, "slept");
console.log(a);
async function work(n) {
  await null;
  log.push(n);
  return n * 2;
}
const all = await Promise.all([work(1), work(2), work(3)]);
console.log(all, log);
for (let i = 0; i < 3; i++) {
  const v = await work(i);
  console.log("loop", i, v);
}
try {
  await Promise.reject(new Error("rejected at top level"));
} catch (e) {
  console.log("caught:", e.message);
}
setTimeout(() => console.log("timer after the body"), 200);
const t = await new Promise((r) => setTimeout(() => r("timer first"), 300));
console.log(t);
const obj = { async method() { return await sleep(100, "method"); } };
console.log(await obj.method());
console.log(await 42, await "s", await undefined);
