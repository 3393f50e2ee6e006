let s = "ab";
try { while (true) s += s; } catch (e) { console.log(e.name, e.message, s.length); }
try { "x".repeat(-1); } catch (e) { console.log(e.message); }
try { "xy".repeat(2**29); } catch (e) { console.log(e.message); }
console.log("ab".repeat(3), "a".repeat(2.7), "q".repeat(NaN) === "");
