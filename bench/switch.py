"""One thread's domain switch, every way the library offers it, against the
mprotect pair it replaces (the paper's Table 2 question: what does a switch
cost?).

- ``nb`` pair: begin+end from @njit code (the hit path is two PKRU writes
  under PKU; a page-table domain on the fallback).
- Python pair: ``with sandbox.domain(...)``.
- key-cache churn: more vkeys than hardware keys, round robin, so every
  begin loads a key and evicts another (libmpk's eviction path).
- mprotect pair: the same pages read-write and back with mprotect(2).
"""

from __future__ import annotations

import shutil

from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, nb
from libmpk.sandbox.hw import syscalls

from . import instructions
from .harness import Table, measure, measure_batch, progress

RW = PROT_READ | PROT_WRITE
VK = 8_000_000
CHURN = 32  # vkeys cycled in the churn row: more than the 15 hardware keys


@njit(nogil=True)
def _pairs(vkey, n):
    for _ in range(n):
        nb.begin(vkey, 3)
        nb.end(vkey)


@njit(nogil=True)
def _churn(first, count, n):
    for i in range(n):
        v = first + i % count
        nb.begin(v, 3)
        nb.end(v)


def table(quick: bool = False) -> Table:
    info = sandbox.info()
    backend = info["backend"]
    t = Table(
        f"one thread's domain switch, begin+end pair on one page ({backend} backend)",
        ["switch", "per pair", "mprotect pair / this"],
    )
    number, repeat = (2000, 5) if quick else (20000, 7)
    vkey = VK
    region = sandbox.mmap(vkey, syscalls.PAGE_SIZE, sandbox.PROT_NONE)
    for i in range(CHURN):
        sandbox.mmap(VK + 1 + i, syscalls.PAGE_SIZE, sandbox.PROT_NONE)
    try:
        _pairs(vkey, 10)  # compile, and load the vkey into a key where there are keys
        _churn(VK + 1, CHURN, CHURN)
        progress("mprotect(2) pairs")
        rn = max(number // 10, 200)

        def raw_pair() -> None:
            syscalls.mprotect(region.address, region.length, RW)
            syscalls.mprotect(region.address, region.length, sandbox.PROT_NONE)

        raw = measure(raw_pair, rn, repeat)
        progress("nb.begin/end pairs")
        hit = measure_batch(lambda k: _pairs(vkey, k), number, repeat)
        progress("sandbox.domain pairs")

        def py_pair() -> None:
            with sandbox.domain(vkey, RW):
                pass

        py = measure(py_pair, max(number // 4, 200), repeat)
        progress("key-cache churn")
        ch = measure_batch(lambda k: _churn(VK + 1, CHURN, k), max(number // 10, 200), repeat)
        for name, s in (
            ("nb.begin + nb.end in @njit code", hit),
            ("with sandbox.domain(): from Python", py),
            (f"nb pair, {CHURN} vkeys round robin (load + evict each time)", ch),
            ("mprotect(2) pair (ctypes)", raw),
        ):
            t.add(name, s, raw.median / s.median)
        t.headline.append(("switch: mprotect pair / nb begin+end pair", raw.median / hit.median))
        t.headline.append(("switch: mprotect pair / with sandbox.domain() pair", raw.median / py.median))
        if info["cache_capacity"] == 0:
            t.notes.append("no hardware keys: every pair is a page-table domain (guarded table update + mprotect)")
        else:
            t.notes.append(f"{info['cache_capacity']} hardware keys for vkeys: the churn row evicts on every begin")
    finally:
        for v in range(VK, VK + 1 + CHURN):
            sandbox.munmap(v)
    return t


def run(quick: bool = False) -> list[Table]:
    tables = [table(quick)]
    if sandbox.info()["cache_capacity"] and shutil.which("gdb"):
        progress("single-stepping a hit pair under gdb")
        tables.append(instructions.table())
    return tables


__all__ = ["run", "table"]
