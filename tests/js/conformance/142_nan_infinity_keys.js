// NaN, Infinity and -Infinity as keys are property names ("NaN", "Infinity",
// "-Infinity"), never indexes: reads, stores and updates on packed and
// generic arrays, strings and objects (the interpreter's fast paths took
// int(key) first and crashed on them).
const packed = [1, 2, 3];
packed[NaN] = 8; packed[Infinity] = 9; packed[-Infinity] = 10;
console.log(packed.NaN, packed[NaN], packed.Infinity, packed["-Infinity"], packed.length, packed.join(","));
packed[NaN] += 1; packed[Infinity]++;
console.log(packed[NaN], packed[Infinity], Object.keys(packed).join(","));
const bools = [true, false];
console.log(bools[NaN], bools[Infinity], bools[-Infinity]);
bools[NaN] = true;
console.log(bools.NaN, bools.length);
const generic = [1, "two", {}];
generic[NaN] = "n"; generic[1 / 0] = "inf";
console.log(generic.NaN, generic.Infinity, generic.length);
const keys = [NaN, Infinity, -Infinity, 0 / 0, -0, 1.5, -1];
for (const k of keys) console.log(String(k), String([5, 6][k]), String("ab"[k]), String({ NaN: 1, Infinity: 2, "-Infinity": 3, 0: 4 }[k]));
const o = {};
o[NaN] = 1; o[Infinity] = 2; o[-Infinity] = 3;
console.log(JSON.stringify(o), NaN in o, Infinity in packed, delete packed[NaN], packed.NaN);
