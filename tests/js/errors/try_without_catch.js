try {
  x();
}
