const n = 3, who = "you";
console.log(`plain`, `${n} + ${n} = ${n + n}`, `hi ${who}!`, `nested ${`inner ${n * 2}`}`);
console.log(`${[1, 2]} ${{}} ${null} ${undefined} ${true}`);
console.log(`multi
line`);
