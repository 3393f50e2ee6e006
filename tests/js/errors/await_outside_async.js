function notAsync() {
  return await 1;
}
