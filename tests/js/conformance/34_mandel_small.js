function mandel(cx, cy) { let x = 0, y = 0, i = 0; while (i < 50 && x * x + y * y < 4) { const t = x * x - y * y + cx; y = 2 * x * y + cy; x = t; i++; } return i; }
for (let y = -1; y <= 1; y += 0.25) { let row = ""; for (let x = -2; x <= 0.5; x += 0.125) row += mandel(x, y) === 50 ? "#" : "."; console.log(row); }
