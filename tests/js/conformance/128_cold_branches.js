// Compiled loops and functions whose rare branches do what compiled code cannot (templates, strings,
// objects): the branch leaves to the interpreter and the loop goes on compiled, with every variable as it was
let count = 0, power = 10;
for (let i = 3; i < 30000; i += 2) {
  count++;
  if (i === power - 1) {
    console.log(`at ${i}: count ${count}, next ${(power * 10).toLocaleString()}`);
    power *= 10;
  }
}
console.log(count, power);

const marks = new Array(5000).fill(false);
let hits = 0;
for (let i = 0; i < 5000; i++) {
  if (i % 997 === 0) {
    const tag = "m" + i;  // a string: not compiled
    marks[i] = tag.length > 2;
    i += 3;  // the cold branch moves the loop on; the compiled code resumes with it
  } else if (i % 2 === 0) {
    marks[i] = true;
    hits++;
  }
}
console.log(hits, marks.filter(Boolean).length);

function scan(n) {
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (i % 5000 === 4999) console.log({ at: i, s });  // an object: cold
    s += i % 7;
    if (s > 1e9) return -1;
  }
  return s;
}
for (let k = 0; k < 4; k++) console.log(scan(12000 + k));

function firstOver(limit) {
  for (let i = 0; ; i++) {
    if (i * i > limit) {
      const msg = `${i}^2 > ${limit}`;
      console.log(msg);
      return i;
    }
  }
}
console.log(firstOver(1e6), firstOver(2e6), firstOver(3e6));

let outer = 0;
for (let a = 0; a < 60; a++) {
  for (let b = 0; b < 300; b++) {
    outer += (a * b) % 3;
    if (b === 299 && a % 20 === 0) console.log(`row ${a} done: ${outer}`);
    if (a === 59 && b === 100) break;
  }
}
console.log(outer);
