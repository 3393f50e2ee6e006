"""Process-wide protection and domain switches under threads.

- ``mprotect``: sandbox.mprotect(vkey) (PKU: a PKRU update signalled to every
  thread; fallback: page tables) against a plain mprotect of the same pages,
  for 1..1024 pages and 1..8 threads in the process.
- ``switch``: begin/end pairs on a cached vkey from 1..8 threads at once
  (nogil numba loops, so threads really run together), against the same
  pairs done with page-table mprotect.
"""

from __future__ import annotations

import os
import threading

from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, nb
from libmpk.sandbox.hw import syscalls

from .harness import Figure, Table, measure, measure_batch, progress

RW = PROT_READ | PROT_WRITE
VK = 9_000_000


def _flippers(vkey: int, r: sandbox.Region):
    """Two ops that alternate the vkey / its pages between read-only and RW."""
    flip = [PROT_READ, RW]
    state = [0]

    def mpk_op() -> None:
        state[0] ^= 1
        sandbox.mprotect(vkey, flip[state[0]])

    def raw_op() -> None:
        state[0] ^= 1
        syscalls.mprotect(r.address, r.length, flip[state[0]])

    return mpk_op, raw_op


def _run_threads(n: int, fn, k: int) -> None:
    """``fn(i, k)`` in ``n`` threads at once."""
    ts = [threading.Thread(target=fn, args=(i, k)) for i in range(n)]
    for x in ts:
        x.start()
    for x in ts:
        x.join()


class _Idle:
    """``n`` threads parked on an event: they exist, like a server's pool."""

    def __init__(self, n: int) -> None:
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.stop.wait, daemon=True) for _ in range(n)]
        for t in self.threads:
            t.start()

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def _threads_now() -> int:
    """Threads in this process, all of them (a library's pool included): each
    other one costs a process-wide update one signal."""
    return len(os.listdir("/proc/self/task"))


def mprotect_table(pages=(1, 16, 64, 256, 1024), threads=(1, 2, 4, 8), quick: bool = False) -> Table:
    backend = sandbox.info()["backend"]
    t = Table(
        f"mpk_mprotect vs mprotect ({backend} backend)",
        ["threads", "pages", "sandbox.mprotect", "mprotect(2)", "mprotect / sandbox"],
    )
    number, repeat = (50, 5) if quick else (200, 7)
    for n in threads:
        progress(f"sandbox.mprotect vs mprotect(2) with {n} thread(s)")
        idle = _Idle(n - 1)
        try:
            for p in pages:
                vkey = VK + n * 10_000 + p
                r = sandbox.mmap(vkey, p * syscalls.PAGE_SIZE, RW)
                r.asarray()[:: syscalls.PAGE_SIZE] = 1  # populate every page
                with sandbox.domain(vkey, RW):
                    pass  # load into a hardware key where there are keys
                mpk_op, raw_op = _flippers(vkey, r)
                a = measure(mpk_op, number, repeat)
                sandbox.mprotect(vkey, RW)
                b = measure(raw_op, number, repeat)
                syscalls.mprotect(r.address, r.length, RW)
                t.add(_threads_now(), p, a, b, b.median / a.median)
                sandbox.munmap(vkey)
        finally:
            idle.close()
    first, last = t.rows[0], t.rows[-1]
    t.headline.append((f"mprotect(2) / sandbox.mprotect, {first[0]} thread, {first[1]} page", first[-1]))
    t.headline.append((f"mprotect(2) / sandbox.mprotect, {last[0]} threads, {last[1]} pages", last[-1]))
    t.figure = Figure("mprotect_by_pages", x="pages", ys=["sandbox.mprotect", "mprotect(2)"], series="threads")
    if backend != "pku":
        t.notes.append("no PKU here: sandbox.mprotect is itself a page-table mprotect (plus bookkeeping)")
    return t


@njit(nogil=True)
def _pairs(vkey, n):
    for _ in range(n):
        nb.begin(vkey, 3)
        nb.end(vkey)


def _raw_pairs(address: int, length: int, n: int) -> None:
    for _ in range(n):
        syscalls.mprotect(address, length, RW)
        syscalls.mprotect(address, length, PROT_READ)


def switch_table(threads=(1, 2, 4, 8), quick: bool = False) -> Table:
    backend = sandbox.info()["backend"]
    t = Table(
        f"begin/end pairs, all threads switching at once ({backend} backend)",
        ["threads", "begin+end (nb, per pair)", "mprotect pair", "mprotect / begin+end"],
    )
    number = 2_000 if quick else 20_000
    repeat = 5 if quick else 7
    for n in threads:
        progress(f"begin/end pairs in {n} thread(s) at once")
        vkeys = [VK + 500_000 + i for i in range(n)]
        regions = [sandbox.mmap(v, syscalls.PAGE_SIZE, PROT_READ) for v in vkeys]
        for v in vkeys:
            _pairs(v, 1)  # compile and load

        def switch_pairs(i: int, k: int, vkeys=vkeys) -> None:
            _pairs(vkeys[i], k)

        def mprotect_pairs(i: int, k: int, regions=regions) -> None:
            _raw_pairs(regions[i].address, regions[i].length, k)

        a = measure_batch(lambda k, n=n, f=switch_pairs: _run_threads(n, f, k), number, repeat)
        rn = max(number // 20, 100)
        b = measure_batch(lambda k, n=n, f=mprotect_pairs: _run_threads(n, f, k), rn, repeat)
        t.add(n, a, b, b.median / a.median)
        for v in vkeys:
            sandbox.munmap(v)
    t.notes.append("per-pair time is wall time / pairs per thread: flat means the switch scales with threads")
    for row in {r[0]: r for r in t.rows[1:2] + t.rows[-1:]}.values():  # two threads, and the most
        t.headline.append((f"mprotect pair / begin+end pair, {row[0]} threads", row[-1]))
    t.figure = Figure(
        "switch_by_threads", x="threads", ys=["begin+end (nb, per pair)", "mprotect pair"], ylabel="time per pair (s)"
    )
    return t


def run(quick: bool = False) -> list[Table]:
    return [mprotect_table(quick=quick), switch_table(quick=quick)]


__all__ = ["run", "mprotect_table", "switch_table"]
