// Compiled code hands back packed arrays it read from objects' properties
// (not ones it was given): as a return value, through a global, in a
// variable the interpreter resumes with after a deopt, and out of a loop.
const box = { nums: [1, 2, 3], flags: [true, false, true] };

function firstOf(o) {
  let s = 0;
  for (let i = 0; i < 3; i++) s += o.nums[i];
  const r = o.nums;
  return r;
}
function flagsOf(o) {
  let n = 0;
  for (let i = 0; i < 3; i++) if (o.flags[i]) n++;
  return o.flags;
}
let last = null, lastFlags = null;
for (let k = 0; k < 3000; k++) { last = firstOf(box); lastFlags = flagsOf(box); }
console.log(last === box.nums, Array.isArray(last), last.length, last[2]);
console.log(lastFlags === box.flags, lastFlags[0], lastFlags[1]);

let held = [0];
function keep(o) {
  let s = 0;
  for (let i = 0; i < 3; i++) s += o.nums[i];
  held = o.nums;
  return s;
}
for (let k = 0; k < 3000; k++) keep(box);
console.log(held === box.nums, held[0]);

// a deopt after a commit: the interpreter resumes with 'a' as compiled code left it
function walk(o, n) {
  let a = o.nums;
  let s = 0;
  for (let i = 0; i < n; i++) {
    s += a[i];  // past the end: a deopt
    a = o.nums;
  }
  return s + a.length;
}
let w = 0;
for (let k = 0; k < 3000; k++) w = walk(box, 3);
console.log(w, walk(box, 5));

// a hot loop at the top level (a loop unit) leaves its array variable behind
let cur = [9, 9];
let acc = 0;
for (let k = 0; k < 20000; k++) {
  cur = box.nums;
  acc += cur[k % 3];
}
console.log(cur === box.nums, acc);
