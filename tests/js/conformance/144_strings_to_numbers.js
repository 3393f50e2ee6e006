// Strings read as numbers: JS's white space and ASCII digits only (Python's float(),
// int() and strip() take other scripts' digits, underscores and other white space).
const cases = ["", " ", "0", "-0", "+5", "1\u0663", "\u0663", "1_000", "0x_1", "0x1_0", "0x 1", "0x\u0663", "0x1F", "0o17", "0b101", "0B2", "1\x1c", "\x1c1", "\ufeff12\ufeff", "\u00a012", "\u008512", "12\u0085", "Infinity", "+Infinity", "-Infinity", "infinity", "inf", "nan", "NaN", "1e400", "-1e-400", ".5", "5.", "1e", "1e+5", "--1", "12px", "0.1e1", "1n", "  42  "];
for (const s of cases) console.log(JSON.stringify(s), Number(s), +s, parseInt(s), parseFloat(s), s * 1, parseInt(s, 16));
for (const s of ["12", "\u0663", "1_0", " 7 ", "0x1F", "0x\u0663", "-5", "+5", "1e3", "", "\ufeff9", "\x1c9"]) {
  try { console.log(JSON.stringify(s), String(BigInt(s))); } catch (e) { console.log(JSON.stringify(s), e.constructor.name); }
  console.log(JSON.stringify(s), s == 12, s < 13, Math.max(s, 0), isNaN(s), [1,2,3].indexOf(+s));
}
console.log(JSON.parse("[1, 2.5, -0, 1e3]"), Number.parseFloat("\u06631"), new Date("\u0663").getTime());
