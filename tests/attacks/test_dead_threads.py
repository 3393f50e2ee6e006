"""A dead thread's record must not be inherited, nor its domains outlive it.

Thread records (domain stacks) are found by thread pointer, and glibc gives a
dead thread's thread control block -- its thread pointer -- to the next
thread it creates.  The attack: thread A opens a domain and exits without
end(); thread B, created next, gets A's TCB.  Before the fix B found A's
record: it could end() a domain it never began, the PKRU sync skipped it as
"inside a domain" (a later mprotect never reached it), and on the fallback
A's page-table domain kept the pages writable process-wide for good.

Each scenario runs with threads of two kinds: ``threading`` threads and
``native`` ones (pthread_create from C running a ctypes callback, so no
threading bootstrap: only the exit key's destructor can clean up after
them).  Faults are observed in forked children.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time

import pytest
from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, api, threads
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR
from libmpk.sandbox.hw.intrinsics import thread_pointer

from ..handshake import expect

RW = PROT_READ | PROT_WRITE
PAGE = 4096
V, W = 41, 42
KINDS = ["threading", "native"]

_libc = ctypes.CDLL(None)
_START = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)
_libc.pthread_create.argtypes = (ctypes.POINTER(ctypes.c_ulong), ctypes.c_void_p, _START, ctypes.c_void_p)
_libc.pthread_join.argtypes = (ctypes.c_ulong, ctypes.c_void_p)


@njit(cache=True)
def _tp():
    return thread_pointer()


def spawn(kind: str, fn):
    """Start ``fn(thread_pointer)`` in a new thread; returns (box, join):
    ``box`` gets "tp" and "value" or "error", and ``join`` returns once the
    thread has fully exited (its pthread key destructors included)."""
    box: dict = {}

    def body(_arg=None):
        box["tp"], box["tid"] = _tp(), threading.get_native_id()
        try:
            box["value"] = fn(box["tp"])
        except BaseException as e:  # reported to the caller
            box["error"] = e

    if kind == "threading":
        t = threading.Thread(target=body)
        t.start()

        def join():
            t.join()  # returns before glibc's exit path: wait for the task to go
            while os.path.exists(f"/proc/self/task/{box['tid']}"):
                time.sleep(0.001)

    else:
        start = _START(body)
        handle = ctypes.c_ulong()
        assert _libc.pthread_create(ctypes.byref(handle), None, start, None) == 0

        def join():
            assert _libc.pthread_join(handle.value, None) == 0
            del box["keep"]

        box["keep"] = start  # the callback must outlive the thread
    return box, join


def run(kind: str, fn):
    box, join = spawn(kind, fn)
    join()
    if "error" in box:
        raise box["error"]
    return box


def die_inside(kind: str, *domains: tuple[int, int]) -> int:
    """Thread A opens ``domains`` (nested, in order) and exits without end();
    A's thread pointer."""

    def a(_tp):
        for vkey, prot in domains:
            sandbox.begin(vkey, prot)

    return run(kind, a)["tp"]


def heir(kind: str, a_tp: int, fn):
    """Run ``fn`` in a thread that got A's thread control block (glibc's
    stack cache hands it to the next thread of the same stack size)."""
    for _ in range(20):
        box = run(kind, lambda tp: fn() if tp == a_tp else "not the heir")
        if box["value"] != "not the heir":
            return box["value"]
    raise AssertionError("no later thread got the dead thread's thread pointer")


def _heir_scenario(kind: str, last: str):
    """A dies in a RW domain on V (read-only); its heir B must not end() it,
    then ``last`` must fault in B: "write", or "read" after the main thread
    mprotects V to PROT_NONE (the PKRU sync must reach B)."""
    r = sandbox.regions(V)[0]
    a_tp = die_inside(kind, (V, RW))
    go, ready = threading.Event(), threading.Event()

    def b():
        try:
            sandbox.end(V)
            return "end() closed the dead thread's domain"
        except sandbox.DomainError:
            pass
        if last == "write":
            r.view()[0] = 1
        else:
            ready.set()
            expect(go, "the main thread's mprotect")
            return int(r.view()[0])
        return "wrote to read-only pages"

    box, join = spawn(kind, lambda tp: b() if tp == a_tp else "not the heir")
    if last == "read":
        while not ready.wait(0.01):
            if "value" in box or "error" in box:
                break
        sandbox.mprotect(V, PROT_NONE)
        go.set()
    join()
    return box.get("value", box.get("error"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("last", ["write", "read"])
def test_heir_cannot_end_the_dead_threads_domain_nor_keep_its_rights(sb, kind, last):
    sb.mmap(V, PAGE, PROT_READ)
    thread_local = sb.info()["thread_local_domains"]
    out = run_in_child(_heir_scenario, kind, last, timeout=300)
    assert out.segv, out  # the heir's access faulted (it returns a string if not)
    assert out.fault.code == (SEGV_PKUERR if thread_local else SEGV_ACCERR), out
    assert out.fault.address == api.regions(V)[0].address


@pytest.mark.parametrize("kind", KINDS)
def test_heir_finds_no_record(sb, kind):
    sb.mmap(V, PAGE, PROT_READ)
    with sb.domain(V, PROT_READ):  # the main thread has a record too
        pass
    a_tp = die_inside(kind, (V, RW))
    assert threads.own_slot() >= 0
    assert heir(kind, a_tp, threads.own_slot) == -1


NESTINGS = {
    "one": [(V, RW)],
    "nested": [(V, RW), (W, PROT_READ), (V, PROT_READ), (V, RW)],
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("nesting", NESTINGS)
def test_dead_threads_domains_are_released(sb, kind, nesting):
    """Pages go back to the vkey's protection, pins are dropped (munmap works)."""
    rv = sb.mmap(V, PAGE, PROT_READ)
    rw = sb.mmap(W, PAGE, PROT_NONE)
    die_inside(kind, *NESTINGS[nesting])
    assert sb.access_many([rv.address, rw.address]) == [PROT_READ, PROT_NONE]
    with sb.domain(V, RW):  # the main thread's own domains still work
        rv.view()[0] = 7
    sb.munmap(V)  # refused while any domain (or a hardware key's pin) is open
    sb.munmap(W)


def _several_ranges(sb) -> sandbox.Region:
    first = sb.mmap(V, PAGE, PROT_READ)
    sb.mmap(W, PAGE, PROT_NONE)  # keeps V's two mappings apart
    sb.mmap(V, PAGE, PROT_READ)
    group = api._sb().groups[V]
    if len(group._runs()) < 2:
        pytest.skip("the kernel placed V's mappings next to each other")
    return first


def test_threading_thread_dying_in_a_domain_of_several_ranges(fallback):
    """Native code cannot re-protect a group of several ranges; a
    ``threading.Thread`` is released by Python before it exits."""
    r = _several_ranges(fallback)
    die_inside("threading", (V, RW))
    assert fallback.access(r.address) == PROT_READ


def test_native_thread_dying_in_a_domain_of_several_ranges(fallback):
    """A native thread's record is detached at exit (never inherited) and the
    domain its destructor could not undo is released at the next registration."""
    r = _several_ranges(fallback)
    a_tp = die_inside("native", (V, RW))
    assert heir("native", a_tp, threads.own_slot) == -1
    run("threading", lambda tp: fallback.begin(W, PROT_READ))  # a new thread registers
    assert fallback.access(r.address) == PROT_READ
    fallback.munmap(V)


@pytest.mark.pku
@pytest.mark.parametrize("kind", KINDS)
def test_hardware_and_page_table_domains_of_a_dead_thread_are_released(pku, kind):
    """Under PKU a thread's stack mixes hardware-key domains with page-table
    ones (a miss with every key taken, evict_rate > 0); its exit undoes both."""
    pku.init(backend="pku", evict_rate=1000)
    cache = api._sb().cache
    vkeys = list(range(60, 60 + cache.capacity + 1))
    regions = {v: pku.mmap(v, PAGE, PROT_READ) for v in vkeys}
    for v in vkeys[:-1]:
        with pku.domain(v, PROT_READ):  # every key taken
            pass
    last = vkeys[-1]
    die_inside(kind, (60, RW), (last, RW), (61, PROT_READ), (last, PROT_READ))
    assert api._sb().groups[last].key < 0  # it was a page-table domain
    assert [cache.pins(k) for k in cache.keys] == [0] * cache.capacity
    assert pku.access_many([regions[60].address, regions[last].address]) == [PROT_READ, PROT_READ]
    for v in vkeys:
        pku.munmap(v)


def test_the_sweep_releases_a_thread_that_escaped_its_exit_hook(sb, monkeypatch):
    """A thread leaving without pthread's exit path (a raw exit system call)
    runs no destructor: the sweep (when the table fills) releases its
    domains instead of keeping its record."""
    r = sb.mmap(V, PAGE, PROT_READ)
    with monkeypatch.context() as m:
        m.setattr(threads, "arm_exit", lambda: None)
        m.setattr(threads, "_release_before_exit", lambda: None)
        die_inside("threading", (V, RW))
    state = api._sb()
    with state.guard:
        state._sweep_dead_threads()
    assert sb.access(r.address) == PROT_READ
    sb.munmap(V)
