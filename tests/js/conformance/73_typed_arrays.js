const a=new Float64Array([1.5,2,3]); const b=new Int32Array(4); b[0]=2**31; b[1]=-1.7;
console.log(a, b, new Uint8Array(2), new Uint8ClampedArray([300,-5, 1.5]), a.buffer.byteLength, new ArrayBuffer(8), [a], new Float64Array(200).length);
console.log(new Int8Array(30));
const buf = new ArrayBuffer(16); const f = new Float64Array(buf); const u = new Uint8Array(buf); f[0] = 1; console.log(u, f.length, u.length);
let s = 0; for (const x of a) s += x; console.log(s, a.reduce((p, c) => p + c, 0), Array.from(a), a.map(x => x * 2), a.join("-"), String(a));
const w = new Uint16Array(5).fill(7); w.set([1, 2], 3); console.log(w, w.subarray(1, 3), w.slice(-2), w instanceof Uint16Array, Float32Array.BYTES_PER_ELEMENT);
const big = new Float64Array(10); for (let i = 0; i < 10; i++) big[i] = i * 1.5; console.log(big, big[20], big.indexOf(3));
