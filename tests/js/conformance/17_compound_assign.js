let x = 10;
x += 5; console.log(x); x -= 3; console.log(x); x *= 2; console.log(x); x /= 4; console.log(x);
x %= 4; console.log(x); x **= 3; console.log(x); x <<= 2; console.log(x); x >>= 1; console.log(x);
x |= 1; console.log(x); x &= 6; console.log(x); x ^= 3; console.log(x); x >>>= 0; console.log(x);
let s = "a"; s += "b"; s += 1; console.log(s);
const o = { v: 1 }; o.v += 10; o["v"] *= 2; console.log(o);
const arr = [1, 2]; arr[0] += 5; arr[1] **= 4; console.log(arr);
