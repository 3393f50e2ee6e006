"""Whether the fallback's tables are ever writable, measured from another thread.

Without PKU a window on the library's tables (mprotect RW ... stores ...
mprotect R) would be process-wide: while one thread switched, any other
thread (or the kernel on its behalf, process_vm_writev) could write them.
The library stores through the tables' file instead (sandbox.store), so
there is no window; this measures that claim, the way it measured the
windows the library used to open:

- a switcher thread runs begin/end pairs (native ``nb`` pairs in a nogil
  loop, or the Python slow path ``sandbox.mprotect``, which opens the guard's
  window for its whole duration);
- a prober, a nogil loop in another thread, calls process_vm_writev on its
  own pid to store the header's magic word (its own value: nothing changes);
  it fails with EFAULT while the tables are read-only and lands inside a window.

successes / attempts estimates the fraction of time the tables are open;
times the switcher's time per operation it is the window width per operation.
Every row must have no successes.

    python -m libmpk.bench.window [seconds]
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
import time

import numpy as np
from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE
from libmpk.sandbox.arena import ARENA, H_MAGIC
from libmpk.sandbox.hw import syscalls

from .harness import Table
from .sync import _pairs

RW = PROT_READ | PROT_WRITE
VK = 9_500_000
CHUNK = 2000  # probes / pairs per native call between checks of the clock

_libc = ctypes.CDLL(None, use_errno=True)
process_vm_writev = _libc.process_vm_writev
process_vm_writev.restype = ctypes.c_long
# pointers as plain integers, so the nogil loop below can pass them
process_vm_writev.argtypes = (
    ctypes.c_int,
    ctypes.c_long,
    ctypes.c_ulong,
    ctypes.c_long,
    ctypes.c_ulong,
    ctypes.c_ulong,
)


class Probe:
    """One table word, stored into with process_vm_writev (its own value:
    pick a word nothing else changes)."""

    def __init__(self, word: int = H_MAGIC, address: int | None = None) -> None:
        self.target = ARENA.address + 8 * word if address is None else address
        self.value = np.array([ctypes.c_int64.from_address(self.target).value], dtype=np.int64)  # the source buffer
        self.iov = np.array([self.value.ctypes.data, 8, self.target, 8], dtype=np.int64)  # local, remote
        self.pid = os.getpid()

    def once(self) -> tuple[int, int]:
        """One store from Python: (bytes written or -1, errno)."""
        ctypes.set_errno(0)
        n = process_vm_writev(self.pid, self.iov.ctypes.data, 1, self.iov.ctypes.data + 16, 1, 0)
        return n, ctypes.get_errno()

    def run(self, n: int = CHUNK) -> int:
        """``n`` stores in a nogil loop: how many landed."""
        return _probe(self.pid, self.iov.ctypes.data, n)


@njit(nogil=True)
def _probe(pid, iov, n):
    ok = 0
    for _ in range(n):
        if process_vm_writev(pid, iov, 1, iov + 16, 1, 0) == 8:
            ok += 1
    return ok


class Switcher:
    """A thread repeating ``batch(k)`` (k operations) until stopped."""

    def __init__(self, batch, k: int) -> None:
        self.batch, self.k = batch, k
        self.ops = 0
        self.elapsed = 0.0
        self.stop = threading.Event()
        self.started = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        t0 = time.perf_counter()
        while not self.stop.is_set():
            self.batch(self.k)
            self.ops += self.k
            self.started.set()
        self.elapsed = time.perf_counter() - t0

    def __enter__(self) -> Switcher:
        self.thread.start()
        self.started.wait()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def native_pairs(vkey: int):
    """``k`` nb.begin/nb.end pairs on ``vkey``, GIL released."""
    return lambda k: _pairs(vkey, k)


def slow_path_ops(vkey: int):
    """``k`` sandbox.mprotect calls on ``vkey`` (the guard's window each)."""
    flip = [PROT_READ, RW]

    def batch(k: int) -> None:
        for i in range(k):
            sandbox.mprotect(vkey, flip[i & 1])

    return batch


def _sample(probe: Probe, seconds: float, batch=None, k: int = 0) -> dict:
    """Probe for ``seconds``, while a thread runs ``batch`` if given."""
    switcher = Switcher(batch, k) if batch is not None else None
    attempts = ok = 0
    with switcher or contextlib.nullcontext():
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            ok += probe.run(CHUNK)
            attempts += CHUNK
    row = {"attempts": attempts, "successes": ok, "fraction_open": ok / attempts, "ops": 0, "width_us": 0.0}
    if switcher is not None:
        per_op = switcher.elapsed / switcher.ops
        row.update(ops=switcher.ops, op_us=per_op * 1e6, width_us=row["fraction_open"] * per_op * 1e6)
    return row


def measure(seconds: float = 1.0) -> dict:
    """The three rows (baseline, native pair, slow-path op) on the fallback."""
    if sandbox.info()["backend"] != "mprotect":
        raise RuntimeError("the table window exists on the mprotect fallback only")
    probe = Probe()
    before = int(ARENA.words[H_MAGIC])
    vkey = VK
    sandbox.mmap(vkey, syscalls.PAGE_SIZE, sandbox.PROT_NONE)
    try:
        _pairs(vkey, 10)  # compile outside the measurement
        _probe(probe.pid, probe.iov.ctypes.data, 1)
        rows = {"baseline": _sample(probe, seconds / 2, None)}
        for name, batch, k in (("native", native_pairs(vkey), CHUNK), ("slow_path", slow_path_ops(vkey), 50)):
            rows[name] = _sample(probe, seconds, batch, k)
    finally:
        sandbox.munmap(vkey)
    assert int(ARENA.words[H_MAGIC]) == before
    return rows


def table(rows: dict) -> Table:
    t = Table(
        "fallback: tables writable from another thread (process_vm_writev probe)",
        ["switcher", "attempts", "landed", "fraction open", "per op", "window per op"],
    )
    names = {
        "baseline": "none (baseline)",
        "native": "nb.begin + nb.end pair",
        "slow_path": "sandbox.mprotect (guard)",
    }
    for key, r in rows.items():
        per_op = f"{r['op_us']:.2f} us" if r["ops"] else "-"
        width = f"{r['width_us']:.2f} us" if r["ops"] else "-"
        t.add(names[key], r["attempts"], r["successes"], f"{r['fraction_open']:.3f}", per_op, width)
    t.notes.append("window per op = fraction open x switcher's time per op; probes share the CPUs and mmap lock")
    return t


def main(argv: list[str]) -> int:
    seconds = float(argv[0]) if argv else 1.0
    sandbox.init(backend="mprotect")
    try:
        rows = measure(seconds)
    finally:
        sandbox.shutdown()
    print(table(rows).render())
    return 0 if all(r["successes"] == 0 for r in rows.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
