"""Real protection keys: thread-local domains, the key cache under pressure,
and libmpk's protection-key use-after-free scenario.  Runs natively on a PKU
CPU, else inside the QEMU guest (see libmpk/vm/pytest_plugin.py)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import maps
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

from .conftest import _reset
from .handshake import expect

pytestmark = pytest.mark.pku
RW = PROT_READ | PROT_WRITE
CAPACITY = 14  # 15 hardware keys, one guards the library's own tables


@pytest.fixture
def pku():
    _reset()
    info = sandbox.init(backend="pku", evict_rate=0)
    assert info["backend"] == "pku" and info["hw_keys"] == 15
    assert info["hw_keys_reserved"] == 1 and info["cache_capacity"] == CAPACITY
    yield sandbox
    _reset()


def write(region: sandbox.Region, value: int = 1) -> int:
    region.view()[0] = value
    return value


def read(region: sandbox.Region) -> int:
    return region.view()[0]


def test_domain_is_thread_local_with_pkuerr(pku):
    r = pku.mmap(1, 4096, PROT_READ)

    def scenario():
        inside, release = threading.Event(), threading.Event()
        wrote_after_end = []

        def owner():
            pku.begin(1, RW)
            write(r, 1)
            inside.set()
            expect(release, "the release")
            pku.end(1)
            wrote_after_end.append(True)
            write(r, 2)  # after end: faults in this thread too

        t = threading.Thread(target=owner)
        t.start()
        expect(inside, "the owner's domain")
        assert read(r) == 1  # reads follow the process-wide protection
        write(r, 3)  # the other thread's domain gives this one nothing

    out = run_in_child(scenario)
    assert out.segv and out.fault.code == SEGV_PKUERR, out
    assert out.fault.address == r.address and out.fault.pkey == pku.stats()["cached"].get(1, out.fault.pkey)

    def after_end_in_owner():
        done = threading.Event()

        def owner():
            with pku.domain(1, RW):
                write(r, 1)
            done.set()
            write(r, 2)

        threading.Thread(target=owner).start()
        expect(done, "the owner's end()")
        threading.Event().wait(60)  # the owner's write must kill the process first

    out = run_in_child(after_end_in_owner)
    assert out.segv and out.fault.code == SEGV_PKUERR, out


def test_hits_switch_without_reloading(pku):
    pku.mmap(2, 4096, PROT_READ)
    pku.begin(2, RW)
    pku.end(2)
    before = pku.stats()
    for _ in range(100):
        with pku.domain(2, RW):
            pass
    after = pku.stats()
    assert after["hits"] - before["hits"] == 100
    assert after["loads"] == before["loads"] and after["misses"] == before["misses"]


def test_thousand_vkeys_on_fourteen_keys(pku):
    n = 1000
    regions = [pku.mmap(100 + v, 4096, PROT_READ) for v in range(n)]
    addrs = [r.address for r in regions]
    for v, r in enumerate(regions):
        with pku.domain(100 + v, RW):
            r.asarray(np.int32)[0] = v
            if v % 97 == 0:  # the kernel's view: only v writable, everything else read-only
                got = pku.access_many(addrs)
                assert got[v] == RW
                assert got[:v] + got[v + 1 :] == [PROT_READ] * (n - 1)
    assert [r.asarray(np.int32)[0] for r in regions] == list(range(n))
    s = pku.stats()
    assert len(s["cached"]) == CAPACITY and s["evictions"] >= n - CAPACITY and s["loads"] >= n
    cached = sorted(s["cached"])[:3]
    evicted = [100, 101, 102]
    for vk in cached + evicted:
        out = run_in_child(write, regions[vk - 100])
        assert out.segv, (vk, out)
        assert out.fault.code == (SEGV_PKUERR if vk in s["cached"] else SEGV_ACCERR), (vk, out)

    def evicted_vkey_domain():
        with pku.domain(100, RW):
            return write(regions[0], 77)

    out = run_in_child(evicted_vkey_domain)
    assert out.ok and out.value == 77, out
    for v in range(n):
        pku.munmap(100 + v)


def test_use_after_free_through_munmap(pku):
    """A is granted RW on key k and freed; B reuses k: the rights this thread
    held on A must not reach B's pages."""
    a = pku.mmap(10, 4096, RW)
    with pku.domain(10, RW):
        write(a)
    k = pku.stats()["cached"][10]
    assert pku.access(a.address) == RW  # this thread holds A's (process-wide) RW on k
    pku.munmap(10)
    b = pku.mmap(11, 4096, PROT_NONE)
    with pku.domain(11, PROT_READ):
        assert read(b) == 0
    assert pku.stats()["cached"][11] == k  # B reuses A's hardware key
    assert maps.mapping_of(b.address).pkey == k
    assert pku.access(b.address) == PROT_NONE
    out = run_in_child(read, b)
    assert out.segv and out.fault.code == SEGV_PKUERR and out.fault.pkey == k, out


def test_use_after_free_through_eviction(pku):
    """A is evicted and its key k given to B: A's pages leave k (back to key 0
    with A's own protection) and rights on k now mean B's."""
    regions = {v: pku.mmap(v, 4096, RW) for v in range(20, 20 + CAPACITY)}  # fill every key
    for v in regions:
        with pku.domain(v, RW):
            write(regions[v], v)
    victim = 20  # least recently used
    k = pku.stats()["cached"][victim]
    b = pku.mmap(40, 4096, PROT_NONE)
    with pku.domain(40, RW):
        write(b, 99)
    s = pku.stats()
    assert victim not in s["cached"] and s["cached"][40] == k
    old = maps.mapping_of(regions[victim].address)
    assert old.pkey == 0 and old.prot == RW  # A's pages are not reachable through k
    assert maps.mapping_of(b.address).pkey == k
    assert pku.access(b.address) == PROT_NONE  # this thread held A's RW on k: gone
    out = run_in_child(read, b)
    assert out.segv and out.fault.code == SEGV_PKUERR and out.fault.pkey == k, out
    assert read(regions[victim]) == victim  # A keeps its own protection via page tables

    def b_domain_does_not_open_a():
        pku.mprotect(victim, PROT_READ)
        with pku.domain(40, RW):
            write(b, 1)
            write(regions[victim], 1)  # A is read-only; B's domain gives nothing on it

    out = run_in_child(b_domain_does_not_open_a)
    assert out.segv and out.fault.code == SEGV_ACCERR, out
