function h() { const f = () => y; const y = 5; return f(); }
function main() { const run = () => helper(3); const helper = (n) => n < 1 ? 0 : n + helper(n - 1); return run(); }
function loops() { const fs = []; for (let i = 0; i < 3; i++) { const g = () => j * 10; let j = i; fs.push(g); } return fs.map((g) => g()); }
function blockScoped() { let out = []; { const show = () => v; const v = "block"; out.push(show()); } return out; }
class K { m() { const r = () => later; const later = "ok"; return r(); } }
console.log(h(), main(), loops(), blockScoped(), new K().m());
function outer() { function get() { return x; } let x = 1; x++; return get(); }
function sw(k) { switch (k) { case 1: { const a = () => b; const b = "sw"; return a(); } } }
function tryIt() { try { throw 1; } catch (e) { const f = () => e + z; const z = 1; return f(); } }
function forOf() { const out = []; for (const v of [1, 2]) { const g = () => v + w; const w = 10; out.push(g); } return out.map((g) => g()); }
console.log(outer(), sw(1), tryIt(), forOf());
