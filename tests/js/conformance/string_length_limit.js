// Past V8's longest string (2**29 - 24 units) every way of making one is a RangeError.
const half = "x".repeat(2 ** 28);
const tries = {
  join: () => [half, half, half].join(""),
  toString: () => String([half, half, half]),
  template: () => `${half}${half}${half}`,
  concat: () => half.concat(half, half),
  replace: () => "ab".replace("a", half + half + half.slice(0, 100)),
  json: () => JSON.stringify([half, half]),
  plus: () => half + half + half,
};
for (const [k, f] of Object.entries(tries)) {
  try { console.log(k, f().length); } catch (e) { console.log(k, e.name, e.message); }
}
