// Infinite and NaN positions, counts and lengths: clamped as ToIntegerOrInfinity, or the RangeError node gives
const t = (f) => { try { console.log(f()); } catch (e) { console.log(e.name + ": " + e.message); } };
t(() => [1,2,3].splice(1, Infinity)); t(() => [1,2,3].splice(-Infinity, 1)); t(() => "abc".substr(1, Infinity));
t(() => "abc".substr(-Infinity, 2)); t(() => [1,2].at(Infinity)); t(() => [1,2].at(-Infinity)); t(() => "ab".at(NaN));
t(() => String.fromCharCode(Infinity, 65.7, -1)); t(() => new Array(Infinity)); t(() => "x".repeat(Infinity));
t(() => (5).toString(Infinity)); t(() => parseInt("11", Infinity)); t(() => [1,2,3].slice(Infinity)); t(() => [1,2,3].slice(-Infinity, Infinity));
t(() => "abc".slice(Infinity)); t(() => "abc".substring(-Infinity, Infinity)); t(() => [1,2,3].fill(0, Infinity)); t(() => [1,2,3].fill(9, -Infinity, Infinity));
t(() => [1,2,3].indexOf(1, -Infinity)); t(() => [1,2,3].lastIndexOf(3, Infinity)); t(() => [1,2,3].includes(3, Infinity)); t(() => "abc".indexOf("c", Infinity));
t(() => "abc".lastIndexOf("a", -Infinity)); t(() => "abc".padStart(Infinity)); t(() => [1,2,3].copyWithin(Infinity, 0)); t(() => [1,[2,[3]]].flat(Infinity));
t(() => { const a = [1,2]; a.length = Infinity; return a; }); t(() => (1.5).toFixed(Infinity)); t(() => (1.5).toPrecision(NaN));
t(() => [1,2,3].with(Infinity, 1)); t(() => [1,2,3].toSpliced(1, Infinity)); t(() => "abc".startsWith("a", -Infinity)); t(() => "abc".endsWith("c", Infinity));
t(() => new Date(Infinity).getTime()); t(() => "abc".charCodeAt(Infinity)); t(() => "abc".split("", Infinity)); t(() => [3,2,1].splice(NaN, NaN));
t(() => new ArrayBuffer(8).slice(-Infinity, Infinity).byteLength); t(() => new Uint8Array([1,2,3]).subarray(1, Infinity)); t(() => [1,2,3].findLast(x => x, Infinity));
t(() => "a".codePointAt(Infinity)); t(() => (255).toString(16.9)); t(() => BigInt.asUintN(Infinity, 5n));
