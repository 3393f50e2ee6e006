// Promises, the microtask queue, timers and async functions: the order of
// the lines printed is the order node runs the jobs in.
console.log("script start");

setTimeout(() => console.log("timeout 0"), 0);
setTimeout(() => console.log("timeout 0 again"));
const cancelled = setTimeout(() => console.log("never"), 5);
clearTimeout(cancelled);

Promise.resolve()
  .then(() => console.log("then 1"))
  .then(() => console.log("then 2"))
  .then(() => console.log("then 3"));
Promise.resolve()
  .then(() => console.log("other then 1"))
  .then(() => console.log("other then 2"));
queueMicrotask(() => console.log("microtask"));

const p = new Promise((resolve, reject) => {
  console.log("executor runs at once");
  resolve("first");
  resolve("second");
  reject(new Error("ignored"));
});
p.then((v) => console.log("resolved with", v));

// chaining: values, thrown errors, returned promises, catch and finally
Promise.resolve(1)
  .then((v) => v + 1)
  .then((v) => {
    throw new RangeError("too big: " + v);
  })
  .then(() => console.log("skipped"))
  .catch((e) => {
    console.log("caught", e.name, e.message);
    return "recovered";
  })
  .finally(() => console.log("finally runs"))
  .then((v) => console.log("after finally", v));

Promise.resolve(5)
  .then((v) => Promise.resolve(v * 10))
  .then((v) => console.log("adopted", v));

const thenable = {
  then(onOk) {
    console.log("thenable.then called");
    onOk("from a thenable");
  },
};
Promise.resolve(thenable).then((v) => console.log(v));

Promise.reject(new TypeError("bad"))
  .then(null, (e) => console.log("second argument of then:", e.message));

Promise.resolve("kept").finally(() => "ignored").then((v) => console.log("finally passes", v));
Promise.reject("why")
  .finally(() => console.log("finally on a rejection"))
  .catch((r) => console.log("still rejected:", r));

// the combinators (timers 100 ms apart and far behind the loop's below:
// node's timers run on the real clock, so closer ones could swap under load)
const delay = (ms, v, fail) =>
  new Promise((resolve, reject) => setTimeout(() => (fail ? reject(v) : resolve(v)), ms));
Promise.all([1, Promise.resolve(2), delay(500, "three")]).then((vs) => console.log("all", vs));
Promise.all([delay(100, "slow"), Promise.reject(new Error("fast failure"))]).catch((e) =>
  console.log("all rejects:", e.message),
);
Promise.all([]).then((vs) => console.log("all of nothing", vs));
Promise.allSettled([Promise.resolve(1), Promise.reject("no"), 3]).then((rs) => console.log("allSettled", rs));
Promise.race([delay(400, "slower"), delay(200, "faster")]).then((v) => console.log("race", v));
Promise.any([Promise.reject(1), delay(300, "any one")]).then((v) => console.log("any", v));
Promise.any([Promise.reject("a"), Promise.reject("b")]).catch((e) =>
  console.log("any rejects:", e.name, e.message, e.errors),
);

// async functions
async function add(a, b) {
  console.log("add starts synchronously");
  const x = await a;
  const y = await b;
  return x + y;
}
add(1, Promise.resolve(2)).then((v) => console.log("add ->", v));

async function fails() {
  await null;
  throw new Error("async failure");
}
fails().catch((e) => console.log("rejected with", e.message));

async function guarded() {
  try {
    await fails();
    return "not here";
  } catch (e) {
    return "guarded: " + e.message;
  } finally {
    console.log("guarded finally");
  }
}
guarded().then(console.log);

async function loop() {
  let total = 0;
  for (let i = 1; i <= 5; i++) {
    total += await new Promise((resolve) => setTimeout(() => resolve(i), i));
  }
  return total;
}
loop().then((t) => console.log("loop total", t));

const arrow = async (n) => n * 2;
const arrowOne = async n => (await arrow(n)) + 1;
arrowOne(20).then((v) => console.log("async arrows", v));

class Counter {
  constructor() {
    this.n = 0;
  }
  async bump(by) {
    await null;
    this.n += by;
    return this;
  }
  static async make() {
    const c = new Counter();
    await c.bump(2);
    return c;
  }
}
Counter.make().then((c) => c.bump(3)).then((c) => console.log("counter", c.n));

const obj = {
  name: "obj",
  async describe() {
    return `${this.name}: ${await Promise.resolve("described")}`;
  },
};
obj.describe().then(console.log);

const fnExpr = async function named() {
  return await 42;
};
fnExpr().then((v) => console.log("function expression", v));

// order of awaits against then callbacks
async function a1() {
  console.log("a1 start");
  await a2();
  console.log("a1 end");
}
async function a2() {
  console.log("a2");
}
a1();
new Promise((resolve) => {
  console.log("promise executor");
  resolve();
})
  .then(() => console.log("promise then 1"))
  .then(() => console.log("promise then 2"));

// returning a promise from an async function costs extra ticks
async function returnsPromise() {
  return Promise.resolve("returned promise");
}
returnsPromise().then(console.log);
Promise.resolve()
  .then(() => console.log("tick 1"))
  .then(() => console.log("tick 2"))
  .then(() => console.log("tick 3"));

// how they print
const pending = new Promise(() => {});
const handled = Promise.reject("declined");
handled.catch(() => {});
const withProp = Promise.resolve([1, 2]);
withProp.note = "x";
console.log(Promise.resolve(1), pending, handled, withProp);
console.log({ inner: Promise.resolve({ a: 1 }) }, [Promise.resolve("s")]);
console.log(typeof Promise, p instanceof Promise, add(0, 0) instanceof Promise, arrow, Counter.make);

console.log("script end");
