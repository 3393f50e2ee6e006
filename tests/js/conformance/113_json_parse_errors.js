// JSON.parse's error messages, as V8 words them (written here).
for (const s of ["{bad}", "[1,]", "", "{\"a\":}", "tru", "[1 2]", "{\"a\" 1}", "\"abc", "01", "{\"a\":1,}", "nul", "[", "1 2", "{'a':1}", "NaN", "-", "1e", "\"\\x\"", "\"a\nb\""]) {
  try { JSON.parse(s); console.log("ok", JSON.stringify(s)); } catch (e) { console.log(JSON.stringify(s), e.constructor.name, e.message); }
}
for (const s of ["[1", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "[1,", "\"", "-x", "1.", "1.e5", ".5", "+1", "[1,2,,]", "{\"a\":1 \"b\":2}", "tx", "t", "[true false]", "{\"a\":1}x", "123456789012345678901234567890x", "{\"key\": \"value\", \"other\": bad}", "[\"this is a fairly long json text\", oops, 1, 2, 3]", "undefined", "Infinity", "-Infinity", "{a}", "\"\\u12\"", "\"\\u12zz\"", "[-]", "[1e+]", "0x10", "00", "-01", "1E400", "\t[1]\n", "\u00a0[1]", "[\"a\tb\"]", "\"a\\\"b\""]) {
  try { const v = JSON.parse(s); console.log("ok", JSON.stringify(s), JSON.stringify(v)); } catch (e) { console.log(JSON.stringify(s), e.message); }
}
