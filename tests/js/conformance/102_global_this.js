// globalThis: built-ins through it, globals made with it, the program's own declarations kept apart (as node's module scope).
console.log(typeof globalThis, typeof global, globalThis === global, globalThis.Math === Math, typeof globalThis.setTimeout);
globalThis.answer = 42;
console.log(answer, globalThis.answer, "answer" in globalThis, Object.keys(globalThis).includes("answer"));
var declared = 1;
let lexical = 2;
function fn() {}
console.log(globalThis.declared, globalThis.lexical, globalThis.fn, "declared" in globalThis);
implicit = 7;
console.log(globalThis.implicit, delete globalThis.answer, typeof answer);
const root = typeof globalThis !== "undefined" ? globalThis : typeof window !== "undefined" ? window : this;
console.log(root === globalThis, typeof globalThis.window, typeof globalThis.process);
globalThis.counter = 0;
function bump() { counter++; }
bump(); bump();
console.log(globalThis.counter, counter);
let s = "";
for (let i = 0; i < 3; i++) s += i;
globalThis.text = "a"; text += "b"; text += "c";
console.log(globalThis.text, s);
console.log(Object.prototype.toString.call(globalThis).length > 0);
