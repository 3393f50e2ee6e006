// Tagged templates and String.raw (written here; compared with node's output).
console.log(String.raw`a\nb${1}c\t${"x"}`, String.raw`\u0041`.length, String.raw({ raw: ["x", "y", "z"] }, 1, 2, 3));
function tag(strings, ...values) {
  return strings.map((s, i) => s + (i < values.length ? `[${values[i]}]` : "")).join("") + " | " + strings.raw.join("|") + " | " + strings.length;
}
const who = "world", n = 3;
console.log(tag`hello ${who}, ${n + 1} times\n`);
console.log(tag``, tag`${1}${2}`);
const sites = [];
function keep(s) { sites.push(s); return s.length; }
for (let i = 0; i < 2; i++) keep`same ${i}`;
keep`other`;
console.log(sites[0] === sites[1], sites[0] === sites[2]);
const obj = { name: "obj", t(s, v) { return this.name + ":" + s[0] + v; } };
console.log(obj.t`val=${42}`);
const html = (s, ...v) => s.reduce((acc, str, i) => acc + str + (i < v.length ? String(v[i]).toUpperCase() : ""), "");
console.log(html`<b>${"bold"}</b> and ${"more"}`);
console.log(String.raw`multi
line ${1}`);
