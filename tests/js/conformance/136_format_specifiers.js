// Format specifiers (%s %d %i %f %j %O %c %%) on every kind of value, and a lone string printed as it is
const vals = [0, -0, 1.5, -2.7, 1e21, NaN, Infinity, "str", "12px", "", true, null, undefined, [1, 2], { a: 1 }, 10n, Symbol("s"), () => 1, new Map([[1, 2]]), [[1, [2, [3, [4]]]]], { toString() { return "T"; } }];
const specs = ["%s", "%d", "%i", "%f", "%j", "%O", "%c", "%%", "%x", "%s%s", "a %s b"];
const out = [];
for (const sp of specs) for (const v of vals) { try { out.push([sp, require("util").format(sp, v)].join(" => ")); } catch (e) { out.push(sp + " ERR " + e.message); } }
console.log(out.join("\n"));
console.log("%s and %s", "one");
console.log("%d%%", 50, "extra", 7);
console.log("no specs", 1, "two", [3]);
console.log("%s", "a", "b", { c: 1 });
console.log("100%%"); console.log("100%% %s"); console.log("100%%", 1); console.log("%s%%", 5); console.log("%s", new Date(0), /x/g, new Set([1]), Symbol("q"), function named() {});
