"""Threads of one session exit while the library shuts down and starts again.

A thread's exit destructor (sandbox.threads._on_exit) runs in native code
after Python is done with the thread, at a moment nobody chooses, and opens
the tables to release its record -- on the fallback with a process-wide
mprotect.  ``init`` used to reformat the tables without the lock that
destructor takes: a destructor landing in that window flipped the tables
read-only under init's feet (SIGSEGV in arena._format, seen as a crash of a
test process that started and stopped kvstore servers), or wrote a record
of the new session.  Now init holds the lock and the destructor re-checks
that the record still names its thread.  Runs in a child on both backends;
the exits are spread over every point of the shutdown/init cycle.
"""

from __future__ import annotations

import threading
import time

import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE
from libmpk.sandbox.arena import ARENA, K_PIN, NKEYS, T_STRIDE, T_TCB, THREADS_OFF, key_base
from libmpk.sandbox.forked import run_in_child

from ..handshake import acquire, expect, join

RW = PROT_READ | PROT_WRITE
CYCLES = 40


def _exit_across_restart(spacing: float, backend: str) -> list[threading.Thread]:
    """Four threads that each register (a domain on vkey 1) and then exit
    ``spacing`` seconds apart while the library shuts down and ``init``s
    ``backend``: every point of that cycle meets an exiting thread."""
    r = sandbox.mmap(1, 4096, RW)
    go, ready = threading.Event(), threading.Semaphore(0)

    def worker(delay: float) -> None:
        with sandbox.domain(1, RW):  # registers this thread: its exit must release the record
            r.view()[0] = 1
        ready.release()
        expect(go, "the shutdown to begin")
        time.sleep(delay)  # exit somewhere inside the shutdown/init below

    batch = [threading.Thread(target=worker, args=(i * spacing,)) for i in range(4)]
    for t in batch:
        t.start()
    for _ in batch:
        acquire(ready, "every worker's domain")
    go.set()
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    return batch


def _scenario(backend: str) -> dict:
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    threads: list[threading.Thread] = []
    for _ in range(CYCLES):
        threads += _exit_across_restart(0.0003, backend)
    for t in threads:
        join(t, "a worker")
    time.sleep(0.2)  # the last destructors run after join returns
    r = sandbox.mmap(7, 4096, RW)
    with sandbox.domain(7, RW):
        r.view()[0] = 42
    words = ARENA.words
    live = [int(words[THREADS_OFF + s * T_STRIDE + T_TCB]) for s in range(64)]
    return {
        "value": int(r.view()[0]) if backend != "pku" else 42,
        "records": sum(1 for x in live if x not in (0,) and x > 0),
        "pins": [int(words[key_base(k) + K_PIN]) for k in range(1, NKEYS)],
    }


def test_threads_exiting_across_shutdown_and_init(backend):
    out = run_in_child(_scenario, backend, timeout=300)
    assert out.ok, out  # before: SIGSEGV in the child (the tables flipped read-only mid-format)
    v = out.value
    assert v["value"] == 42, v
    assert v["records"] <= 1, v  # at most the main thread's own: no record of a dead thread survives
    assert all(p >= 0 for p in v["pins"]), v


AD_ALL = 0x55555554  # the kernel's initial PKRU: every key but 0 access-disabled


def _across_backends(first: str, second: str) -> dict:
    """Threads of a ``first`` session exit while a ``second`` session starts.

    A thread whose PKRU still has the kernel's initial value (every key but
    0 access-disabled: nothing in a fallback session changes it) cannot
    even read the tables once a PKU init has moved them to their key, so its
    destructor must learn that key -- and take the lock -- before it reads
    anything there."""
    from libmpk.sandbox import switch
    from libmpk.sandbox.api import _sb

    for i in range(CYCLES):
        sandbox.shutdown()
        sandbox.init(backend=first, evict_rate=0)
        if first == "mprotect":
            switch.write_pkru(AD_ALL)  # as a fresh process has it; threads inherit it
        for t in _exit_across_restart(0.0004, second):
            join(t, "a worker")
        time.sleep(0.01 * (i % 3))
    time.sleep(0.2)
    r = sandbox.mmap(7, 4096, RW)
    with sandbox.domain(7, RW):
        r.view()[0] = 42
    words = ARENA.words
    live = [int(words[THREADS_OFF + s * T_STRIDE + T_TCB]) for s in range(64)]
    return {
        "value": 42 if _sb().meta_key else int(r.view()[0]),
        "records": sum(1 for x in live if x > 0),
    }


@pytest.mark.pku
@pytest.mark.parametrize("first,second", [("mprotect", "pku"), ("pku", "mprotect")])
def test_threads_of_one_backend_exiting_while_the_other_starts(first, second):
    out = run_in_child(_across_backends, first, second, timeout=300)
    assert out.ok, out  # before: SIGSEGV in an exiting thread (it read tables it could not read)
    assert out.value["value"] == 42, out.value
    assert out.value["records"] <= 1, out.value
