const grid = Array.from({ length: 3 }, (_, i) => Array(3).fill(0).map((_, j) => i * 3 + j));
console.log(grid, grid.flat().reduce((a, b) => a + b, 0));
const words = "the quick brown fox jumps over the lazy dog".split(" ");
const freq = words.reduce((m, w) => m.set(w, (m.get(w) || 0) + 1), new Map());
console.log([...freq].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3));
const counts = {}; for (const w of words) counts[w] = (counts[w] ?? 0) + 1; console.log(counts);
console.log(Object.freeze({ a: 1 }), [3, 1, 2].toString(), String([1, [2, 3]]), `${[1, 2]}`, [] + {}, [1] == 1);
console.log(parseInt("101", 2), (255).toString(2).padStart(10, "0"), String.fromCharCode(...[72, 105]), "abc".split("").reverse().join(""));
const memo = new Map(); const fib = (n) => n < 2 ? n : memo.get(n) ?? (memo.set(n, fib(n - 1) + fib(n - 2)), memo.get(n)); console.log(fib(80));
class Stack { #items = []; push(x) { this.#items.push(x); return this; } pop() { return this.#items.pop(); } get size() { return this.#items.length; } static from(arr) { const s = new Stack(); arr.forEach((x) => s.push(x)); return s; } }
const st = Stack.from([1, 2, 3]); console.log(st.size, st.pop(), st.size, st);
try { JSON.parse("{bad"); } catch { console.log("caught without binding"); }
const obj = { a: 1, b: { c: [1, 2, { d: 3 }] } }; console.log(JSON.stringify(obj));
