// Boolean properties in compiled code: loads typed by their feedback, stores
// of booleans into boolean slots (1.0 / 0.0 in the mirror), and the
// interpreter sees booleans again afterwards -- Richards' task states.
class Task {
  constructor(id) { this.id = id; this.held = false; this.waiting = true; this.pending = false; this.runs = 0; }
  isHeldOrWaiting() { return this.held || (!this.pending && this.waiting); }
  step(k) {
    for (let i = 0; i < k; i++) {
      if (this.isHeldOrWaiting()) { this.held = !this.held; this.pending = i % 3 === 0; }
      else { this.waiting = !this.waiting; this.runs += 1; }
    }
    return this.runs;
  }
}
const tasks = [new Task(1), new Task(2), new Task(3)];
let total = 0;
for (let r = 0; r < 20; r++) for (const t of tasks) total += t.step(500 + r);
console.log(total);
for (const t of tasks) console.log(t.id, t.held, t.waiting, t.pending, t.runs, typeof t.held);
function flips(o, n) { let c = 0; for (let i = 0; i < n; i++) { o.on = !o.on; if (o.on) c++; } return c; }
const sw = {on: false};
console.log(flips(sw, 5001), sw.on, JSON.stringify(sw));
