"""A forked child cannot change its parent's tables.

The tables live in a shared mapping of a memfd (sandbox.arena), which a
plain fork would share with the child: the child's switches and mprotects
would then rewrite the parent's protections.  So the range is
MADV_DONTFORK: Python's fork gives the child a private copy at the same
addresses, and a child forked natively -- no Python fork hooks run -- has no
tables at all, so the library's native code faults there instead of writing
the parent's.
"""

from __future__ import annotations

import ctypes
import faulthandler
import json
import os
import signal
import threading
import time

import pytest
from numba import njit

from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, api, switch
from libmpk.sandbox.arena import ARENA, H_MAGIC, K_PIN, key_base
from libmpk.sandbox.forked import run_in_child

RW = PROT_READ | PROT_WRITE
V = 71


def _row(vkey: int) -> list[int]:
    g = api._sb().groups[vkey]
    b = g._t.base(g.row)
    return [int(x) for x in g._t.w[b : b + 16]]


def test_a_python_fork_child_changes_only_its_own_copy(sb):
    region = sb.mmap(V, 4096, PROT_READ)
    with sb.domain(V, RW):
        pass  # (loads a key under PKU)
    before = (_row(V), int(ARENA.words[H_MAGIC]), sb.access(region.address))

    def child() -> tuple[int, int]:
        sb.mprotect(V, PROT_NONE)
        sb.begin(V, RW)  # left open: the child's tables say so, the parent's must not
        sb.mmap(V + 1, 4096, RW)
        return sb.access(region.address), api._sb().groups[V].open_domains

    out = run_in_child(child)
    assert out.ok, out
    assert out.value[0] == RW  # it did change the child's own state
    assert (_row(V), int(ARENA.words[H_MAGIC]), sb.access(region.address)) == before
    assert V + 1 not in api._sb().groups
    with sb.domain(V, RW):
        assert sb.access(region.address) == RW
    assert sb.access(region.address) == PROT_READ
    sb.munmap(V)


# libc's fork and the child's whole life in one native function: no Python
# at-fork hook runs, and the child runs no Python at all.  Python in such a
# child is not safe: its GIL is the parent's copy, and a parent thread that
# had asked for the GIL during the fork leaves a switch request the child's
# first eval-breaker check honours by waiting for that thread -- forever (a
# CI run hung here, after holding the GIL across the fork had closed the
# other way in).  Called from Python, the function keeps the GIL throughout.
_libc = ctypes.CDLL(None, use_errno=True)
_fork = _libc.fork
_fork.restype, _fork.argtypes = ctypes.c_int, []
_exit = _libc._exit
_exit.restype, _exit.argtypes = None, [ctypes.c_int]
_begin = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(switch.c_fast_begin.address)
_end = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64)(switch.c_fast_end.address)


@njit
def _fork_then_switch(vkey, prot):
    pid = _fork()
    if pid == 0:
        _begin(vkey, prot)
        _end(vkey)
        _exit(0)  # only if the tables were there
    return pid


def _wait(pid: int, seconds: float) -> int:
    """The child's wait status; a child still there after ``seconds`` is
    killed and the test fails (a hang is a finding, not a stalled suite)."""
    deadline = time.monotonic() + seconds
    while True:
        got, status = os.waitpid(pid, os.WNOHANG)
        if got:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the natively forked child neither died nor exited in {seconds:.0f} s")
        time.sleep(0.005)


def test_a_natively_forked_child_has_no_tables(sb):
    """libc's fork runs no Python hooks: the child's first native switch
    reads tables that are not mapped there and dies, writing nothing."""
    region = sb.mmap(V, 4096, PROT_READ)
    with sb.domain(V, RW):  # compiles the switch (and loads a key under PKU)
        pass
    before = (_row(V), int(ARENA.words[H_MAGIC]))
    dumping = faulthandler.is_enabled()
    faulthandler.disable()  # the child's expected SIGSEGV is not worth a traceback
    try:
        pid = _fork_then_switch(V, RW)
    finally:
        if dumping:
            faulthandler.enable()
    assert pid > 0
    status = _wait(pid, 120)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGSEGV, status
    assert (_row(V), int(ARENA.words[H_MAGIC])) == before
    assert sb.access(region.address) == PROT_READ
    sb.munmap(V)


def test_a_fork_while_other_threads_switch_leaves_the_child_consistent(sb):
    """Other threads load a vkey and switch on it while the child's copy is
    made.  The fork waits for the library lock (a bounded try that held the
    GIL let a load run on in the parent during the copy: 6 children in 30
    then found their key table disagreeing with their groups), and the child
    derives every key's pin count again from what survives (its own
    domains), so each key can still be loaded, evicted and switched there."""
    for i in range(12):
        v = V + 100 + i
        sb.mmap(v, 4096, PROT_READ)
        stop = threading.Event()

        def switching(v: int = v, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                with sb.domain(v, RW):
                    pass

        workers = [threading.Thread(target=switching) for _ in range(2)]
        for w in workers:
            w.start()
        try:

            def child(v: int = v) -> list[int]:
                s = api._sb()
                pins = [int(ARENA.words[key_base(k) + K_PIN]) for k in s.cache.keys]
                for u in range(v + 1000, v + 1030):  # enough vkeys to evict every key
                    sb.mmap(u, 4096, PROT_READ)
                    with sb.domain(u, RW):
                        pass
                with sb.domain(v, RW):
                    pass
                return pins

            out = run_in_child(child)  # at once: the workers are loading v meanwhile
            assert out.ok, out
            assert all(p == 0 for p in out.value), out.value
        finally:
            stop.set()
            for w in workers:
                w.join()
        sb.munmap(v)


# A fresh interpreter: whatever the fork hook needs is then loaded in the
# parent by the library or not at all.  The report is each sandbox native's
# overload count, parent and child just after the fork.
_FRESH_FORK = r"""
import json, os, sys, threading
from numba.core.dispatcher import Dispatcher
from libmpk import sandbox

def natives():
    seen = {}
    for name, mod in list(sys.modules.items()):
        if name.startswith(("sandbox", "libmpk.sandbox")):
            for v in list(vars(mod).values()):
                if isinstance(v, Dispatcher):
                    seen[f"{v.py_func.__module__}.{v.py_func.__qualname__}"] = len(v.overloads)
    return seen

sandbox.init(backend=sys.argv[1])
RW = sandbox.PROT_READ | sandbox.PROT_WRITE
sandbox.mmap(5, 4096, RW)
sandbox.mmap(6, 4096, RW)
sandbox.mmap(5, 4096, RW)  # a group of two ranges: its domains close in Python
opened, done = threading.Event(), threading.Event()
if sys.argv[2] == "domain":  # another thread's domain, open at the fork
    def hold():
        with sandbox.domain(5, RW):
            opened.set()
            done.wait()
    threading.Thread(target=hold).start()
    opened.wait()
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.write(w, json.dumps(natives()).encode())
    with sandbox.domain(5, RW):  # the child's library works
        sandbox.regions(5)[0].view()[0] = 1
    os._exit(0)
parent = natives()
os.close(w)
child = json.loads(os.read(r, 1 << 20))
_, status = os.waitpid(pid, 0)
done.set()
print(json.dumps([{k: (parent.get(k), n) for k, n in child.items() if n != parent.get(k)}, status]))
"""


@pytest.mark.parametrize("scene", ["quiet", "domain"])
def test_the_fork_hook_loads_nothing_in_the_child(backend, scene, fresh):
    """The child's fork hook ran natives the parent had never loaded, so
    each child compiled them (seconds): a JIT worker forked by a program
    that never opened a domain, killed at the program's exit, never got as
    far as its first build, nor wrote numba's cache -- on a fresh install
    every short program ran baseline code only.  The parent now loads them
    before its first fork ("quiet": no domain was ever opened; "domain":
    another thread's, which the child releases)."""
    out = fresh.run(_FRESH_FORK, backend, scene)  # (a fresh process: nothing loaded before the script)
    assert out.returncode == 0, out.stderr[-3000:]
    grown, status = json.loads(out.stdout.splitlines()[-1])
    assert grown == {}  # {native: (parent's overloads, child's)}
    assert status == 0
