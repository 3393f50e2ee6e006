// inner is compiled bound to outer's x, arr and ok; x then becomes a string:
// the next call's entry guard sends it to the interpreter.
function outer() {
  let x = 1.5, arr = [1, 2, 3], ok = true;
  function inner(k) { x = x * 1.0001 + k; arr[k % 3] += 1; ok = !ok; return x; }
  let r = 0;
  for (let i = 0; i < 3000; i++) r = inner(i);
  x = "str";
  let t = inner(1);
  return [r > 0, typeof t, arr, ok];
}
console.log(outer());
