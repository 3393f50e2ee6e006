// 'is not iterable' and destructuring errors worded as node words them (written here).
const cases = {
  "for-of undefined": () => { for (const x of undefined) {} },
  "for-of null": () => { for (const x of null) {} },
  "for-of number": () => { for (const x of 5) {} },
  "for-of object": () => { for (const x of {}) {} },
  "spread undefined": () => [...undefined],
  "spread object": () => [...{}],
  "destructure arr undefined": () => { const [x] = undefined; },
  "destructure arr null": () => { const [x] = null; },
  "destructure arr number": () => { const [x] = 5; },
  "destructure arr object": () => { const [x] = {}; },
  "destructure obj null": () => { const { a } = null; },
  "destructure obj undefined": () => { const { a, b } = undefined; },
  "destructure obj empty null": () => { const {} = null; },
  "param destructure": () => { (({ a }) => a)(); },
  "Array.from null": () => Array.from(null),
  "new Map number": () => new Map(5),
  "new Set object": () => new Set({}),
  "yield* number": () => { function* g() { yield* 5; } g().next(); },
};
for (const [k, f] of Object.entries(cases)) { try { f(); console.log(k, "ok"); } catch (e) { console.log(k, "|", e.constructor.name, e.message); } }
for (const [k, f] of Object.entries({ "fromEntries number": () => Object.fromEntries(5), "WeakSet number": () => new WeakSet(5), "Array.from undefined": () => Array.from(undefined) })) { try { f(); } catch (e) { console.log(k, "|", e.message); } }
