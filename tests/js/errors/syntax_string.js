let s = "abc;
