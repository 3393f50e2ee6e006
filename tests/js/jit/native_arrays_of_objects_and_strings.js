// Arrays of objects or of strings are read in compiled code through a
// descriptor of their elements' descriptors, built at entry; an element that
// is neither (a number pushed, a hole, a frozen object) makes the call
// interpreted, and stores through an element reach the object.
const pts = [];
for (let i = 0; i < 50; i++) pts.push({x: i, y: i * 2});
pts.push(pts[0]);  // one object twice
function centroid(ps) { let sx = 0, sy = 0; for (let i = 0; i < ps.length; i++) { sx += ps[i].x; sy += ps[i].y; } return sx / ps.length + sy; }
function shift(ps, d) { for (let i = 0; i < ps.length; i++) ps[i].x += d; }
let c = 0;
for (let k = 0; k < 200; k++) { c += centroid(pts); shift(pts, 0.5); }
console.log(c, pts[0].x, pts[3].x, pts[50] === pts[0]);
pts.push(7);
console.log(centroid(pts), shift(pts.slice(0, 3), 1), pts[1].x);
pts.pop();
pts.push(Object.freeze({x: 1, y: 1}));
console.log(centroid(pts));
pts.length = 60;
try { centroid(pts); } catch (e) { console.log(e.constructor.name, e.message); }
const words = ["pear", "apple", "fig", "kiwi", "banana", "😀a"];
function longest(ws) { let best = 0; for (let i = 0; i < ws.length; i++) if (ws[i].length > best) best = ws[i].length; return best; }
function countA(ws) { let n = 0; for (let i = 0; i < ws.length; i++) { const w = ws[i]; for (let j = 0; j < w.length; j++) if (w.charCodeAt(j) === 97) n++; } return n; }
function firstBefore(ws, s) { let k = 0; for (let i = 0; i < ws.length; i++) if (ws[i] < s) k++; return k; }
let t = 0;
for (let k = 0; k < 3000; k++) t += longest(words) + countA(words) + firstBefore(words, "c");
console.log(t, longest(["a", 1]), countA([]), firstBefore(["b", "a"], "b"));
words.push(null);
console.log(longest(words.slice(0, 2)), countA(words.slice(0, 6)));
