// Async generators and for await (written here; compared with node's output).
async function* count(n) {
  for (let i = 0; i < n; i++) {
    await null;
    yield i;
  }
  return "end";
}
const g = count(3);
console.log(g, typeof g, Object.prototype.toString.call(g), typeof g[Symbol.asyncIterator]);
const part1 = async () => {
  for await (const v of count(4)) console.log("v", v);
  const it = count(2);
  console.log(await it.next(), await it.next(), await it.next(), await it.next());
  const p1 = g.next(), p2 = g.next(), p3 = g.return("early"), p4 = g.next();
  console.log(await p1, await p2, await p3, await p4);
  for await (const x of [Promise.resolve("a"), "b", new Promise((r) => setTimeout(() => r("c"), 50))]) console.log(x);
  async function* withFinally() {
    try { yield 1; yield 2; } finally { console.log("cleanup"); await null; console.log("cleanup done"); }
  }
  for await (const x of withFinally()) { console.log("got", x); break; }
  async function* thrower() { yield 1; throw new Error("inside"); }
  try { for await (const x of thrower()) console.log("t", x); } catch (e) { console.log("caught", e.message); }
  const t = thrower();
  console.log(await t.throw(new Error("before start")).catch((e) => "rejected: " + e.message));
  console.log(await t.next());
  const custom = { [Symbol.asyncIterator]() { let i = 0; return { next: () => Promise.resolve({ value: i, done: i++ > 2 }), return: () => { console.log("custom return"); return Promise.resolve({ done: true }); } }; } };
  for await (const x of custom) console.log("c", x);
  for await (const x of custom) { console.log("c1", x); break; }
};
console.log("sync end");

function* sg() { yield 1; }
async function* ag() { yield 1; }
console.log(sg, ag, [sg, ag], async function* () {}, { m: async function* named() {} });
class Stream {
  constructor(items) { this.items = items; }
  async *[Symbol.asyncIterator]() {
    for (const x of this.items) { await new Promise((r) => setTimeout(r, 10)); yield x * 10; }
  }
  async *pairs() { let i = 0; for await (const v of this) yield [i++, v]; }
}
const obj = {
  async *gen() { yield "o1"; yield "o2"; },
};
const part2 = async () => {
  for await (const v of new Stream([1, 2, 3])) console.log(v);
  for await (const [i, v] of new Stream([4, 5]).pairs()) console.log(i, v);
  for await (const v of obj.gen()) console.log(v);
  const collected = [];
  for await (const v of (async function* () { for (let i = 0; i < 5; i++) yield i * i; })()) collected.push(v);
  console.log(collected);
  let n = 0;
  outer: for await (const a of obj.gen()) {
    for await (const b of obj.gen()) { n++; if (b === "o2") continue outer; }
  }
  console.log("n", n);
  const g = ag();
  console.log(g[Symbol.asyncIterator]() === g, String(g), Object.prototype.toString.call(ag));
  const results = await Promise.all([g.next(), g.next(), g.next()]);
  console.log(results);
  async function* echo() { let got = yield "first"; while (true) got = yield "echo:" + got; }
  const e = echo();
  console.log((await e.next("ignored")).value, (await e.next("x")).value, (await e.next("y")).value);
};
part1().then(part2); // (one after the other: node's real timers would interleave two at once unpredictably)
