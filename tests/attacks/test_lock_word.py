"""A stray write to the library lock's native word refuses, never hangs.

The word sits on key 0 (the fallback's native switches take it before they
open the tables), so any stray write can set it.  Before, every slow path
then spun on it forever -- one write hung the library.  Now the guard waits
at most LOCK_TIMEOUT with the GIL released and raises LockError; the
fallback's native switch hands over to that slow path after its bounded
tries.  Nothing was changed by the refused operations, and once the word is
free again everything works.  A thread that exits inside a domain meanwhile
never hands its record to a later thread.  Runs in a child on both backends.
"""

from __future__ import annotations

import os
import threading
import time

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, guard, threads
from libmpk.sandbox.arena import ARENA, DEAD, K_PIN, M_LOCK, NKEYS, T_TCB, TOMBSTONE, key_base, thread_base
from libmpk.sandbox.forked import run_in_child

from ..handshake import join

RW = PROT_READ | PROT_WRITE


def _scenario(backend: str) -> dict:
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    guard.LOCK_TIMEOUT = 0.5
    r = sandbox.mmap(1, 4096, PROT_READ)
    ARENA.mailbox[M_LOCK] = 1  # the stray write
    out: dict = {}
    ticks = []
    ticker = threading.Thread(target=lambda: [ticks.append(time.sleep(0.01)) for _ in range(20)])
    ticker.start()  # runs while the guard waits: the wait does not hold the GIL
    for name, op in [
        ("mmap", lambda: sandbox.mmap(2, 4096, RW)),
        ("mprotect", lambda: sandbox.mprotect(1, RW)),
        ("begin", lambda: sandbox.begin(1, RW)),
    ]:
        start = time.monotonic()
        try:
            op()
            out[name] = "done"
        except sandbox.LockError:
            out[name] = "LockError"
        out[name + "_s"] = time.monotonic() - start
    ticker.join()
    out["ticks"] = len(ticks)
    out["vkeys"] = sandbox.stats()["vkeys"]
    out["prot_1"] = sandbox.access(r.address)
    ARENA.mailbox[M_LOCK] = 0  # freed again: the library works
    sandbox.mprotect(1, RW)
    with sandbox.domain(1, RW):
        r.view()[0] = 5
    out["after"] = int(r.view()[0])
    return out


def test_a_stray_write_to_the_lock_word_is_refused_not_a_hang(backend):
    out = run_in_child(_scenario, backend, timeout=120)
    assert out.ok, out
    v = out.value
    assert v["mmap"] == v["mprotect"] == v["begin"] == "LockError", v
    assert all(v[n + "_s"] < 5 for n in ("mmap", "mprotect", "begin")), v  # bounded, not forever
    assert v["ticks"] == 20, v
    assert v["vkeys"] == 1 and v["prot_1"] == PROT_READ, v  # nothing half-done
    assert v["after"] == 5, v


def _exit_scenario(backend: str) -> dict:
    """A thread ends inside a domain while the lock word is stuck."""
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    guard.LOCK_TIMEOUT = 0.3
    sandbox.mmap(1, 4096, RW)
    slot: list[int] = []

    def inside() -> None:
        sandbox.begin(1, RW)  # never ended: the exit must release it
        slot.append(threads.own_slot())
        ARENA.mailbox[M_LOCK] = 1  # the stray write

    t = threading.Thread(target=inside)
    t.start()
    join(t, "the thread that opened a domain")  # (the first call of anything may compile)
    start = time.monotonic()  # the Python thread ends before pthread's key destructors run: watch the kernel's task
    while os.path.exists(f"/proc/self/task/{t.native_id}") and time.monotonic() < start + 3:
        time.sleep(0.01)
    out: dict = {"exited": not os.path.exists(f"/proc/self/task/{t.native_id}"), "exit_s": time.monotonic() - start}
    r = thread_base(slot[0])
    out["tcb_stuck"] = int(ARENA.words[r + T_TCB])
    ARENA.mailbox[M_LOCK] = 0  # freed again
    while os.path.exists(f"/proc/self/task/{t.native_id}") and time.monotonic() < start + 10:
        time.sleep(0.01)
    with sandbox.domain(1, RW):  # this thread's registration releases what is left
        pass
    out["tcb_after"] = int(ARENA.words[r + T_TCB])
    out["pins_after"] = [int(ARENA.words[key_base(k) + K_PIN]) for k in range(1, NKEYS)]
    return out


def test_a_thread_exiting_under_a_stuck_lock_word(backend):
    """PKU: the exit waits at most EXIT_LOCK_NS, then leaves its record DEAD
    (no later thread is given it) for the next registration to release.
    Fallback: the tables open only under the lock, so the exit waits --
    a hang, never an inherited record -- and finishes once the word is free."""
    out = run_in_child(_exit_scenario, backend, timeout=120)
    assert out.ok, out
    v = out.value
    if backend == "pku":
        assert v["exited"] and v["exit_s"] < threads.EXIT_LOCK_NS / 1e9 + 1.5, v
        assert v["tcb_stuck"] == DEAD, v
    else:
        assert not v["exited"], v  # still waiting for the lock
    assert v["tcb_after"] == TOMBSTONE, v
    assert all(p >= 0 for p in v["pins_after"]) and sum(v["pins_after"]) == 0, v
