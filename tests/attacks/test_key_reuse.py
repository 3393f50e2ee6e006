"""A hardware key passing to a new owner carries no thread's old rights.

A native thread (pthread_create from C) started inside a domain inherits that
domain's PKRU bits at clone() and has no record the library can see.  When the
key later passes to another vkey whose default bits are the same, the library
used to skip the broadcast (every *recorded* thread already held those bits),
so the native thread could write the new owner's pages.  Now a key changes
hands only after a sync round in which every thread reports the key's default
bits (sandbox.core._in_use): the native thread's inherited bits look like an
open domain, so the eviction passes over that key and takes another one.

On the fallback there are no keys: the same scenario must fault on page tables.
"""

from __future__ import annotations

import ctypes
import threading

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

from ..handshake import expect

RW = PROT_READ | PROT_WRITE
_libc = ctypes.CDLL(None)
_START = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)
_libc.pthread_create.argtypes = (ctypes.POINTER(ctypes.c_ulong), ctypes.c_void_p, _START, ctypes.c_void_p)
_libc.pthread_join.argtypes = (ctypes.c_ulong, ctypes.c_void_p)


def _scenario(backend: str) -> tuple[int, int]:
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    old = sandbox.new_vkey()
    sandbox.mmap(old, 4096, PROT_READ)
    go, ready = threading.Event(), threading.Event()
    target: dict = {}

    def native_body(_arg):  # no threading bootstrap: keeps the creator's PKRU
        ready.set()
        expect(go, "the key to change hands")
        ctypes.memset(target["address"], 0x41, 1)  # the new owner's page
        return None

    start = _START(native_body)
    handle = ctypes.c_ulong()
    with sandbox.domain(old, RW):  # born inside old's domain: inherits RW on its key
        assert _libc.pthread_create(ctypes.byref(handle), None, start, None) == 0
        expect(ready, "the native thread's start")
    old_key = sandbox.stats()["cached"].get(old)
    # Fill the key cache so that the next load evicts `old` (least recently
    # used) and hands its key to `new`, which has the same default bits.
    capacity = sandbox.info()["hw_keys"] - sandbox.info()["hw_keys_reserved"]
    for _ in range(max(capacity - 1, 0)):
        v = sandbox.new_vkey()
        sandbox.mmap(v, 4096, PROT_READ)
        with sandbox.domain(v, PROT_READ):
            pass
    new = sandbox.new_vkey()
    region = sandbox.mmap(new, 4096, PROT_READ)
    with sandbox.domain(new, PROT_READ):
        pass
    cached = sandbox.stats()["cached"]
    if backend == "pku":
        # the key the native thread holds rights on did not change hands
        assert new in cached and cached[new] != old_key, (cached, old_key)
    target["address"] = region.address
    go.set()
    _libc.pthread_join(handle.value, None)
    return int(region.view()[0]), region.address


def _check(backend: str, code: int) -> None:
    out = run_in_child(_scenario, backend, timeout=300)
    assert out.segv, out  # the native thread's write faulted ...
    assert out.fault is not None and out.fault.code == code, out


def test_native_thread_keeps_no_rights_across_a_key_change(backend):
    _check(backend, SEGV_PKUERR if backend == "pku" else SEGV_ACCERR)


def _across_sessions(backend: str) -> int:
    """Session 1 leaves a parked thread (which never opens a domain) holding
    RW on every key the library used; session 2 starts with those keys
    recorded as no-access and hands them to no-access vkeys: the parked
    thread's read of their pages must fault."""
    parked = threading.Event()
    leaked: dict = {}

    def other():  # a thread that lives through both sessions, outside any domain
        expect(parked, "the parked thread")
        leaked["value"] = int(leaked["region"].view()[0])

    t = threading.Thread(target=other)
    t.start()
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    n = max(sandbox.info()["hw_keys"] - sandbox.info()["hw_keys_reserved"], 1)
    for v in range(1, n + 1):
        sandbox.mmap(v, 4096, RW)
        with sandbox.domain(v, RW):  # loads v: every thread gets RW on its key
            pass
    sandbox.shutdown()  # the keys stay allocated to the process
    sandbox.init(backend=backend, evict_rate=0)
    regions = [sandbox.mmap(v, 4096, PROT_NONE) for v in range(1, n + 1)]
    for v in range(1, n + 1):
        with sandbox.domain(v, PROT_READ):  # loads v; this thread's end() restores its own bits
            pass
    if backend == "pku":
        assert len(sandbox.stats()["cached"]) == n
    leaked["region"] = regions[-1]
    parked.set()
    t.join()  # the parked thread's read faults (the child dies) or leaks
    return leaked["value"]


def test_no_rights_survive_a_shutdown_and_init(backend):
    """Keys outlive sessions; rights in threads' PKRU must not."""
    out = run_in_child(_across_sessions, backend, timeout=300)
    assert out.segv, out
    assert out.fault is not None and out.fault.code == (SEGV_PKUERR if backend == "pku" else SEGV_ACCERR), out
