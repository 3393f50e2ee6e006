"""A stray write to the library lock's native word refuses, never hangs.

The word sits on key 0 (the fallback's native switches take it before they
open the tables), so any stray write can set it.  Before, every slow path
then spun on it forever -- one write hung the library.  Now the guard waits
at most LOCK_TIMEOUT with the GIL released and raises LockError; the
fallback's native switch hands over to that slow path after its bounded
tries.  Nothing was changed by the refused operations, and once the word is
free again everything works.  Runs in a child on both backends.
"""

from __future__ import annotations

import threading
import time

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, guard
from libmpk.sandbox.arena import ARENA, M_LOCK
from libmpk.sandbox.forked import run_in_child

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
