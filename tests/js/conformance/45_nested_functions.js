function outer(x) {
  function middle(y) { function inner(z) { return x + y + z; } return inner(y * 2); }
  return middle(x + 1);
}
console.log(outer(1), outer(10));
