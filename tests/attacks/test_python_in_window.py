"""No Python code runs while the tables are writable (issue 13, class 4).

Before, the slow paths opened the tables' key in Python and wrote them with
numpy: a Python signal handler, a garbage-collector callback or a finalizer
that fired in between ran with the tables writable, and a store from it
landed.  Now every window opens and closes inside one native call
(sandbox.store), so Python code -- wherever the interpreter runs it -- sees
the tables write-disabled.

The attack samples this thread's PKRU from every place Python code can be
run asynchronously -- a SIGALRM handler firing every 100 us, a gc callback
with the collector on a hair trigger, a finalizer of cyclic garbage -- while
the slow paths run flat out (misses, loads and evictions, process-wide
mprotect, mmap/munmap), and asserts that not one sample saw the tables'
key writable; then one real store from a handler faults.  PKU only: on the
fallback the window is the guard's process-wide mprotect by design (class
7, stated and measured in tests/attacks/test_fallback_window.py).
"""

from __future__ import annotations

import ctypes
import gc
import signal
import time

import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, api, switch
from libmpk.sandbox.arena import ARENA, H_META_KEY, H_REQ_MASK
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_PKUERR

RW = PROT_READ | PROT_WRITE


def _churn(seconds: float, enough=lambda: True, most: float = 120.0) -> int:
    """Slow-path operations for ``seconds``, then until ``enough()`` (at
    most ``most`` s): 20 vkeys over 14 keys evict on every round; mprotect
    broadcasts; mmap/munmap grow and shrink tables."""
    vkeys = list(range(1, 21))
    for v in vkeys:
        sandbox.mmap(v, 4096, PROT_READ)
    ops = 0
    start = time.monotonic()

    def done() -> bool:
        t = time.monotonic() - start
        return t >= most or (t >= seconds and enough())

    while not done():
        for v in vkeys:
            with sandbox.domain(v, RW):
                pass
            if done():
                break
        sandbox.mprotect(3, RW)
        sandbox.mprotect(3, PROT_READ)
        sandbox.mmap(100, 4096, RW)
        sandbox.munmap(100)
        ops += len(vkeys) + 4
    return ops


def _sample_everywhere() -> dict:
    sandbox.shutdown()
    sandbox.init(backend="pku", evict_rate=0)
    meta = int(ARENA.words[H_META_KEY])
    wd = 2 << (2 * meta)
    seen = {"signal": [0, 0], "gc": [0, 0], "finalizer": [0, 0]}

    def sample(where: str) -> None:
        seen[where][0] += 1
        if not switch.read_pkru() & wd:
            seen[where][1] += 1  # the tables were writable here

    class Litter:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

        def __del__(self) -> None:
            sample("finalizer")

    def on_gc(phase: str, info: dict) -> None:
        sample("gc")
        Litter()

    every = _alarm_interval()

    def on_alarm(*_: object) -> None:
        sample("signal")
        signal.setitimer(signal.ITIMER_REAL, every)  # the next one only after this one ran: never a storm

    signal.signal(signal.SIGALRM, on_alarm)
    gc.freeze()  # (the hair-trigger collector then walks what the attack makes, not numba's ~100k objects)
    gc.callbacks.append(on_gc)
    gc.set_threshold(1, 1, 1)
    signal.setitimer(signal.ITIMER_REAL, every)
    try:
        ops = _churn(3.0, enough=lambda: min(n for n, _ in seen.values()) >= 40)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        gc.callbacks.remove(on_gc)
        gc.set_threshold(700, 10, 10)
        gc.unfreeze()
    return {"ops": ops, "alarm_s": every, **{k: tuple(v) for k, v in seen.items()}}


def _alarm_interval() -> float:
    """As often as this machine can serve: 100 us natively, but under an
    emulator one sample costs more than that.  Ten samples' cost, at most
    50 ms; each alarm is armed by the last one's handler, so a slower
    moment (an emulator starved by its host) stretches the gaps instead of
    queueing handlers, and the churn runs on until every place sampled 40
    times."""
    switch.read_pkru()  # (the dispatcher's first call compiles or loads)
    t = time.perf_counter()
    for _ in range(50):
        switch.read_pkru()
    cost = (time.perf_counter() - t) / 50
    return min(0.05, max(1e-4, 10 * cost))


@pytest.mark.pku
def test_python_code_never_sees_the_tables_writable(pku):
    out = run_in_child(_sample_everywhere, timeout=300)
    assert out.ok, out
    v = out.value
    for where in ("signal", "gc", "finalizer"):
        samples, open_ = v[where]
        assert samples >= 20, (where, v)  # the attack really ran Python code there
        assert open_ == 0, f"{open_} of {samples} samples from {where} saw the tables writable: {v}"


def _store_from_a_handler() -> None:
    sandbox.shutdown()
    sandbox.init(backend="pku", evict_rate=0)
    word = ARENA.address + 8 * H_REQ_MASK

    def handler(*_: object) -> None:
        ctypes.c_int64.from_address(word).value = -1  # the store the old windows let through

    signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, 1e-4, 1e-4)
    _churn(5.0)


@pytest.mark.pku
def test_a_store_from_a_signal_handler_faults(pku):
    out = run_in_child(_store_from_a_handler, timeout=300)
    assert out.segv and out.fault.code == SEGV_PKUERR, out


def test_the_tables_refuse_python_stores_on_both_backends(sb):
    """The numpy views are read-only: a store that skips the gates is an
    error in Python, on the fallback too -- one code path."""
    sb.mmap(1, 4096, PROT_NONE)
    state = api._state
    for words in (ARENA.words, state.group_table.w.r, state.region_table.w.r, state.vkey_rows.w.r):
        before = int(words[0])
        with pytest.raises(ValueError):
            words[0] = before + 1
        assert int(words[0]) == before
