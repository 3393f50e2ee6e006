// WeakRef and FinalizationRegistry: deref, registration rules and errors (cleanups are never promised to run).
const o = { a: 1 };
const w = new WeakRef(o);
console.log(w.deref() === o, typeof WeakRef, String(w), Object.prototype.toString.call(w), w);
for (const f of [() => new WeakRef(1), () => WeakRef(o), () => WeakRef.prototype.deref.call({}), () => new FinalizationRegistry(1),
  () => new FinalizationRegistry(() => {}).register(1, 2), () => new FinalizationRegistry(() => {}).register(o, o), () => new FinalizationRegistry(() => {}).unregister(1)]) {
  try { console.log(f()); } catch (e) { console.log(e.name, e.message); }
}
const r = new FinalizationRegistry((held) => console.log("cleaned", held));
const tok = {};
console.log(r.register(o, "held", tok), r.unregister(tok), r.unregister(tok), r.register({}, 1), String(r), r);
