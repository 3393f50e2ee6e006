// Writes to a let before its declaration ran (its TDZ), from hot loops: =,
// ++, destructuring and a closure's store all throw ReferenceError, as reads do.
function assign(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 1) z = 5;
    s += i;
  }
  let z = 1;
  return s + z;
}
function update(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 1) w++;
    s += i;
  }
  let w = 1;
  return s + w;
}
function destructure(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 1) [v] = [i];
    s += i;
  }
  let v = 1;
  return s + v;
}
function closure(n) {
  const set = (x) => { u = x; };
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i === n - 1) set(i);
    s += i;
  }
  let u = 1;
  return s + u;
}
for (const f of [assign, update, destructure, closure]) {
  let r;
  try { r = f(5000); } catch (e) { r = e.name + ": " + e.message; }
  console.log(f.name, r);
}
