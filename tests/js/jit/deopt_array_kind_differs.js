// flip is compiled for a packed boolean array, grow for a packed double
// array; each is then called with a packed array of the other kind: the
// entry guard must send those calls to the interpreter (reading 2.5 as a
// boolean, or storing 1.5 into a boolean array, would be wrong results).
function flip(a) {
  a[0] = !a[0];
  return a[0];
}
function grow(a) {
  a[0] = a[0] + 0.5;
  return a[0];
}
const bools = [true, false];
const nums = [1, 2];
let t = 0;
for (let i = 0; i < 3000; i++) {
  if (flip(bools)) t++;
  t += grow(nums);
}
const d = [2.5];
const b = [true];
console.log(t, flip(d), d, grow(b), b, bools, nums[0]);
