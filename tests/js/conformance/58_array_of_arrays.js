const grid = []; for (let i = 0; i < 3; i++) { grid.push([]); for (let j = 0; j < 3; j++) grid[i].push(i * 3 + j); }
console.log(grid, grid[1][2], grid.map(r => r.reduce((a, b) => a + b, 0)));
