const o = { a: 1, b: "two", c: [3], d: { e: null } };
console.log(o, o.a, o["b"], o.c[0], o.d.e, o.zz);
o.f = 6; o["g h"] = 7; delete_me = 1;
console.log(o);
const k = "dyn"; const p = {}; p[k] = 1; p[1] = "one"; p.z = 0; p[0] = "zero";
console.log(p, Object.keys(p));
console.log({}, { "x-y": 1, 2: "b", a: undefined });
