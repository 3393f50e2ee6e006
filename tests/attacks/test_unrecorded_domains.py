"""Domains that live in PKRU alone cannot be lost, stolen or outlived.

A hit begin/end writes only this thread's PKRU (sandbox.switch): an
outermost domain on a key is the key's bits differing from its default, with
no record and no pin.  What could go wrong, each tried here on both backends
(on the fallback the same scenarios run on page tables and must hold too):

- a sync request landing between a section's RDPKRU and WRPKRU would be
  undone by the WRPKRU -- a revoked right kept (hw.sections: the handler
  rewinds the thread to the section's start);
- a key held by another thread's unrecorded domain could be evicted or
  unmapped, and the domain's rights would then open the next owner's pages
  (sandbox.core._in_use asks every thread first);
- an mprotect that makes a key's default equal a thread's domain bits would
  make the domain look closed (hw.sync records it first).
"""

from __future__ import annotations

import mmap
import threading
import time

import numpy as np
import pytest
from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, nb
from libmpk.sandbox.arena import ARENA, L_STRIDE, M_LOCAL, M_REWINDS, NTHREADS
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR
from libmpk.sandbox.hw.intrinsics import rdpkru

from ..handshake import expect

RW = PROT_READ | PROT_WRITE
PAGE = 4096
V1, V2 = 51, 52


def _fault(backend: str) -> int:
    return SEGV_PKUERR if backend == "pku" else SEGV_ACCERR


@njit(nogil=True)
def _switch_and_check(v, key, shared):
    """Switch on ``v`` until told to stop; meanwhile compare this thread's
    bits for ``key`` with what the last completed mprotect set (shared:
    stop, started, done, expected, checked, wrong) whenever no other
    request was in flight between the reads."""
    while shared[0] == 0:
        nb.begin(v, 3)
        nb.end(v)
        if key > 0:
            done = shared[2]
            rdpkru()  # (a compiler barrier between the loads)
            expected = shared[3]
            bits = (np.int64(rdpkru()) >> (2 * key)) & 3
            if shared[1] == done:
                shared[4] += 1
                if bits != expected:
                    shared[5] += 1


def _hammer(backend: str, out: np.ndarray) -> None:
    sandbox.shutdown()
    sandbox.init(backend=backend)
    sandbox.mmap(V1, PAGE, PROT_READ)
    region = sandbox.mmap(V2, PAGE, RW)
    with sandbox.domain(V1, RW), sandbox.domain(V2, RW):  # both keyed (pku)
        pass
    key = sandbox.stats()["cached"].get(V2, 0)
    shared = np.zeros(6, np.int64)
    _switch_and_check(V1, 0, np.ones(6, np.int64))  # compiled before the race
    t = threading.Thread(target=_switch_and_check, args=(V1, key, shared))
    rewinds = int(ARENA.mailbox[M_REWINDS])
    t.start()

    def request(i: int) -> None:
        prot = PROT_NONE if i % 2 == 0 else RW
        shared[1] += 1  # started
        sandbox.mprotect(V2, prot)
        shared[3] = 3 if prot == PROT_NONE else 0
        shared[2] += 1  # done
        if i % 4 == 0:  # now and then, let the thread check between requests
            checked, deadline = shared[4], time.monotonic() + 0.01
            while shared[4] == checked and time.monotonic() < deadline:
                pass

    # 1200 requests at least; under PKU, more until one has landed inside a
    # section (how soon depends on timing -- an emulated CPU on a loaded
    # host can take several times as many), within two minutes
    i, give_up = 0, time.monotonic() + 120
    while i < 1200 or (backend == "pku" and int(ARENA.mailbox[M_REWINDS]) == rewinds and time.monotonic() < give_up):
        request(i)
        i += 1
    if i % 2 == 0:  # (the last one was RW: end on PROT_NONE)
        request(i)
    shared[0] = 1
    t.join()
    out[:3] = (shared[4], shared[5], int(ARENA.mailbox[M_REWINDS]) - rewinds)
    # the last mprotect was PROT_NONE: the switching thread must not read V2
    box = {}
    reader = threading.Thread(target=lambda: box.setdefault("v", region.view()[0]))
    reader.start()
    reader.join()


def test_a_request_inside_a_section_is_never_undone(backend):
    buf = mmap.mmap(-1, PAGE)  # shared with the child: its counts survive its fault
    out = np.frombuffer(buf, np.int64, 3)
    res = run_in_child(_hammer, backend, out, timeout=300)
    assert res.segv and res.fault.code == _fault(backend), res
    checked, wrong, rewinds = (int(x) for x in out)
    assert wrong == 0, (checked, wrong, rewinds)
    if backend == "pku":
        assert checked > 100, checked  # the checks ran while requests came in
        assert rewinds > 0, rewinds  # and some requests did land inside a section


def _hold_while_keys_churn(backend: str) -> dict:
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    region = sandbox.mmap(V1, PAGE, PROT_READ)
    ready, go, done = threading.Event(), threading.Event(), threading.Event()
    wrote: dict = {}

    def holder():
        with sandbox.domain(V1, RW):  # a hit after the first time: in PKRU alone
            ready.set()
            expect(go, "the main thread's moves")
            region.view()[0] = 7  # faults if the key changed hands meanwhile
            wrote["ok"] = True
        done.set()

    with sandbox.domain(V1, RW):
        pass
    t = threading.Thread(target=holder)
    t.start()
    expect(ready, "the holder's domain")
    key = sandbox.stats()["cached"].get(V1)
    if key:  # forge the LRU: V1's key looks least recently used everywhere
        ARENA.mailbox[M_LOCAL : M_LOCAL + NTHREADS * L_STRIDE].reshape(NTHREADS, L_STRIDE)[:, key] = 0
    n = (sandbox.info()["hw_keys"] - sandbox.info()["hw_keys_reserved"]) + 3
    for i in range(n):
        v = 100 + i
        sandbox.mmap(v, PAGE, PROT_READ)
        with sandbox.domain(v, RW):
            pass
    cached = sandbox.stats()["cached"]
    evictions = sandbox.stats()["evictions"]
    go.set()
    t.join()
    return {"key": key, "still": cached.get(V1), "evictions": evictions, "wrote": wrote.get("ok", False)}


def test_a_key_held_by_another_threads_domain_is_never_evicted(backend):
    out = run_in_child(_hold_while_keys_churn, backend, timeout=300)
    assert out.ok, out
    v = out.value
    assert v["wrote"], v
    if backend == "pku":
        assert v["evictions"] > 0 and v["still"] == v["key"], v


def _munmap_under_anothers_domain(backend: str) -> str:
    sandbox.shutdown()
    sandbox.init(backend=backend)
    sandbox.mmap(V1, PAGE, PROT_READ)
    with sandbox.domain(V1, RW):
        pass
    ready, go = threading.Event(), threading.Event()

    def holder():
        with sandbox.domain(V1, RW):
            ready.set()
            expect(go, "the main thread's moves")

    t = threading.Thread(target=holder)
    t.start()
    expect(ready, "the holder's domain")
    try:
        sandbox.munmap(V1)
        outcome = "unmapped"
    except sandbox.DomainError:
        outcome = "refused"
    go.set()
    t.join()
    sandbox.munmap(V1)  # closed now: fine
    return outcome


def test_munmap_is_refused_while_another_thread_has_a_domain(backend):
    out = run_in_child(_munmap_under_anothers_domain, backend, timeout=120)
    assert out.ok and out.value == "refused", out


def _default_becomes_the_domains_bits(backend: str, nested: bool) -> None:
    sandbox.shutdown()
    sandbox.init(backend=backend)
    region = sandbox.mmap(V1, PAGE, PROT_READ)
    with sandbox.domain(V1, RW):
        pass
    opened, changed, ended = threading.Event(), threading.Event(), threading.Event()
    errors: list[str] = []

    def holder():
        try:
            sandbox.begin(V1, RW)  # unrecorded: RW differs from the default (READ)
            if nested:
                sandbox.begin(V1, PROT_READ)  # recorded, over the unrecorded one
            opened.set()
            expect(changed, "the default's change")  # the default is RW now: the outer domain's own bits
            if nested:
                sandbox.end(V1)
            region.view()[0] = 1  # the outer domain is still open
            sandbox.end(V1)
        except BaseException as e:
            errors.append(repr(e))
        ended.set()

    t = threading.Thread(target=holder)
    t.start()
    expect(opened, "the domain")
    sandbox.mprotect(V1, RW)
    changed.set()
    expect(ended, "the end()")
    t.join()
    assert not errors, errors
    sandbox.mprotect(V1, PROT_NONE)
    region.view()[0]  # no domain left anywhere: faults


@pytest.mark.parametrize("nested", [False, True], ids=["outermost", "nested"])
def test_a_domain_whose_bits_become_the_default_stays_open(backend, nested):
    out = run_in_child(_default_becomes_the_domains_bits, backend, nested, timeout=120)
    assert out.segv and out.fault.code == _fault(backend), out


@njit(nogil=True)
def _switch_and_write(v, page, shared):
    """begin/end on ``v`` and a write inside each domain until told to stop;
    a key that changed hands under an open domain makes the write fault."""
    n = 0
    while shared[0] == 0:
        nb.begin(v, 3)
        page[n & 4095] = np.uint8(n)
        nb.end(v)
        n += 1
        shared[1] = n


def _begins_racing_evictions(backend: str) -> dict:
    sandbox.shutdown()
    sandbox.init(backend=backend, evict_rate=0)
    page = sandbox.mmap(V1, PAGE, PROT_READ).asarray("uint8")
    capacity = sandbox.info()["hw_keys"] - sandbox.info()["hw_keys_reserved"]
    others = list(range(200, 200 + capacity + 2))  # more vkeys than keys: every load evicts
    for v in others:
        sandbox.mmap(v, PAGE, PROT_READ)
    shared = np.zeros(2, np.int64)
    _switch_and_write(V1, page, np.ones(2, np.int64))  # compiled before the race
    with sandbox.domain(V1, RW):  # keyed before the race starts
        pass
    t = threading.Thread(target=_switch_and_write, args=(V1, page, shared))
    t.start()
    while shared[1] == 0:
        time.sleep(0.001)
    evictions = sandbox.stats()["evictions"]
    lines = ARENA.mailbox[M_LOCAL : M_LOCAL + NTHREADS * L_STRIDE].reshape(NTHREADS, L_STRIDE)
    for i in range(600):
        key = sandbox.stats()["cached"].get(V1, 0)
        if key:  # forge the LRU (a stray write may): V1's key is the next victim unless in use
            lines[:, key] = 0
        with sandbox.domain(others[i % len(others)], RW):
            pass
        if i % 8 == 0:
            time.sleep(0)  # let the switching thread's slow paths (object mode) have the GIL
    while shared[1] < 200:
        time.sleep(0.001)
    shared[0] = 1
    t.join()
    return {"switches": int(shared[1]), "evictions": sandbox.stats()["evictions"] - evictions}


def test_begins_racing_evictions_never_write_through_a_moved_key(backend):
    """One thread switches on V1 and writes inside each domain while another
    loads vkey after vkey with V1's LRU stamps forged to "oldest", so that
    V1's key is evicted whenever the first thread is between domains: a
    begin that found the key just before it changed hands must see the claim
    after its WRPKRU and take the slow path."""
    out = run_in_child(_begins_racing_evictions, backend, timeout=300)
    assert out.ok, out
    assert out.value["switches"] > 100, out.value
    if backend == "pku":
        assert out.value["evictions"] > 100, out.value
