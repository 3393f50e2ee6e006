// A small operating-system kernel simulation in the manner of the classic
// Richards benchmark (M. Richards, 1980s): an idle task, a worker, two
// packet handlers and two devices exchange packets through a priority
// scheduler.  Written for this project; it uses classes, inheritance,
// getters, switch, exceptions and Maps -- the object-heavy code the JIT's
// users run, not numeric kernels.  `mpk run examples/scheduler.js`.

const IDLE = 0, WORKER = 1, HANDLER_A = 2, HANDLER_B = 3, DEVICE_A = 4, DEVICE_B = 5;
const KIND_DEVICE = 0, KIND_WORK = 1;
const DATA_SIZE = 4;

class Packet {
  constructor(link, owner, kind) {
    this.link = link;
    this.owner = owner;
    this.kind = kind;
    this.count = 0;
    this.data = new Array(DATA_SIZE).fill(0);
  }
  appendTo(queue) {
    this.link = null;
    if (queue === null) return this;
    let last = queue;
    while (last.link !== null) last = last.link;
    last.link = this;
    return queue;
  }
}

class Task {
  constructor(kernel, id, priority, queue) {
    this.kernel = kernel;
    this.id = id;
    this.priority = priority;
    this.queue = queue;
    this.waiting = true; // until it first runs
    this.held = false;
    this.next = kernel.list;
    kernel.list = this;
    kernel.tasks.set(id, this);
  }
  get runnable() { return !this.held && (!this.waiting || this.queue !== null); }
  take() { // a waiting task wakes with the first packet of its queue
    const p = this.queue;
    this.queue = p.link;
    this.waiting = false;
    return p;
  }
  receive(packet) {
    this.queue = packet.appendTo(this.queue);
    return this.priority > this.kernel.current.priority ? this : this.kernel.current;
  }
  step() { throw new Error(`task ${this.id} has no step`); }
}

class IdleTask extends Task {
  constructor(kernel, count) { super(kernel, IDLE, 0, null); this.seed = 1; this.count = count; this.waiting = false; }
  step() {
    if (--this.count === 0) return this.kernel.holdSelf();
    if ((this.seed & 1) === 0) { this.seed >>= 1; return this.kernel.release(DEVICE_A); }
    this.seed = (this.seed >> 1) ^ 0xd008;
    return this.kernel.release(DEVICE_B);
  }
}

class WorkerTask extends Task {
  constructor(kernel, queue) { super(kernel, WORKER, 1000, queue); this.destination = HANDLER_A; this.letter = 0; }
  step(packet) {
    if (packet === null) return this.kernel.suspend();
    this.destination = this.destination === HANDLER_A ? HANDLER_B : HANDLER_A;
    packet.owner = this.destination;
    packet.count = 0;
    for (let i = 0; i < DATA_SIZE; i++) {
      this.letter = this.letter + 1 > 26 ? 1 : this.letter + 1;
      packet.data[i] = this.letter;
    }
    return this.kernel.send(packet);
  }
}

class HandlerTask extends Task {
  constructor(kernel, id, queue) { super(kernel, id, 2000 + id, queue); this.work = null; this.devices = null; }
  step(packet) {
    if (packet !== null) {
      if (packet.kind === KIND_WORK) this.work = packet.appendTo(this.work);
      else this.devices = packet.appendTo(this.devices);
    }
    if (this.work === null) return this.kernel.suspend();
    const w = this.work;
    if (w.count >= DATA_SIZE) {
      this.work = w.link;
      return this.kernel.send(w);
    }
    if (this.devices === null) return this.kernel.suspend();
    const d = this.devices;
    this.devices = d.link;
    d.count = w.data[w.count++];
    return this.kernel.send(d);
  }
}

class DeviceTask extends Task {
  constructor(kernel, id) { super(kernel, id, 5000 + id, null); this.pending = null; }
  step(packet) {
    if (packet === null) {
      if (this.pending === null) return this.kernel.suspend();
      const p = this.pending;
      this.pending = null;
      return this.kernel.send(p);
    }
    this.pending = packet;
    this.kernel.holds++;
    return this.kernel.holdSelf();
  }
}

class Kernel {
  constructor() { this.list = null; this.tasks = new Map(); this.current = null; this.holds = 0; this.sends = 0; }
  suspend() { this.current.held = false; this.current.waiting = true; return this.current; }
  holdSelf() { this.current.held = true; return this.current.next; }
  release(id) {
    const t = this.tasks.get(id);
    t.held = false;
    return t.priority > this.current.priority ? t : this.current;
  }
  send(packet) {
    const target = this.tasks.get(packet.owner);
    this.sends++;
    packet.owner = this.current.id;
    return target.receive(packet);
  }
  run() {
    this.current = this.list;
    while (this.current !== null) {
      if (this.current.runnable) {
        const packet = this.current.waiting ? this.current.take() : null;
        this.current = this.current.step(packet);
      } else {
        this.current = this.current.next;
      }
    }
  }
}

function simulate(idleCount) {
  const k = new Kernel();
  new IdleTask(k, idleCount);
  let work = new Packet(null, WORKER, KIND_WORK);
  work = new Packet(work, WORKER, KIND_WORK);
  new WorkerTask(k, work);
  for (const id of [HANDLER_A, HANDLER_B]) {
    let q = new Packet(null, id + 2, KIND_DEVICE);
    q = new Packet(q, id + 2, KIND_DEVICE);
    q = new Packet(q, id + 2, KIND_DEVICE);
    new HandlerTask(k, id, q);
  }
  new DeviceTask(k, DEVICE_A);
  new DeviceTask(k, DEVICE_B);
  k.run();
  return { sends: k.sends, holds: k.holds };
}

const runs = [100, 1000, 10000].map((n) => ({ idle: n, ...simulate(n) }));
for (const { idle, sends, holds } of runs) console.log(`idle ${idle}: ${sends} packets sent, ${holds} device holds`);
try {
  new Task(new Kernel(), 9, 1, null).step();
} catch (e) {
  console.log(`${e.name}: ${e.message}`);
}
