async function* numbers() {
  yield 1;
}
