async function* flatten(lists) {
  for (const list of lists) {
    yield* list;
  }
}
