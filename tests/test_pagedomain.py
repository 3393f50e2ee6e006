"""The fallback's native page-table switch (sandbox.pagedomain) and the
vkey map it reads: same results as the Python slow path, handing back to it
whenever it should, and safe against concurrent slow-path work."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, nb, switch
from libmpk.sandbox.api import _sb
from libmpk.sandbox.arena import ARENA, H_NATIVE_PAGES, arena_words
from libmpk.sandbox.hw import syscalls
from libmpk.sandbox.vkeymap import find_row

from .handshake import join

RW = PROT_READ | PROT_WRITE
PAGE = syscalls.PAGE_SIZE


@njit
def _native_rows(vkeys):
    A = arena_words()
    out = np.empty(vkeys.size, np.int64)
    for i in range(vkeys.size):
        out[i] = find_row(A, vkeys[i])
    return out


@settings(max_examples=25, deadline=None)
@given(ops=st.lists(st.tuples(st.booleans(), st.integers(0, 3000)), max_size=600))
def test_vkey_map_agrees_with_a_dict(ops):
    sandbox.init()
    vmap = _sb().vkey_rows
    before = {v: vmap.get(v) for v in _sb().groups}
    model = dict(before)
    probe = 10**12  # far from the test suite's own vkeys
    with _sb().guard:
        try:
            for put, v in ops:
                if put:
                    vmap.put(probe + v, v)
                    model[probe + v] = v
                else:
                    vmap.remove(probe + v)
                    model.pop(probe + v, None)
            keys = list(model) + [probe + 5000, probe + 5001]
            native = _native_rows(np.array(keys, np.int64))
            assert [vmap.get(k) for k in keys] == [model.get(k, -1) for k in keys]
            assert native.tolist() == [model.get(k, -1) for k in keys]
        finally:
            for _put, v in ops:
                vmap.remove(probe + v)
    assert {v: vmap.get(v) for v in _sb().groups} == before


def test_fallback_switches_natively(fallback):
    assert ARENA.words[H_NATIVE_PAGES] == 1
    r = sandbox.mmap(1, 3 * PAGE, PROT_NONE)
    sb = _sb()
    python_path = sb.page_domains
    for _ in range(50):
        with sandbox.domain(1, RW):
            assert sandbox.access(r.address) == RW
            with sandbox.domain(1, PROT_READ):  # innermost wins for this thread
                assert sandbox.access(r.address + 2 * PAGE) == PROT_READ
            assert sandbox.access(r.address) == RW
        assert sandbox.access(r.address) == PROT_NONE
    assert sb.page_domains == python_path  # none of them needed Python
    assert sandbox.stats()["page_domains"] >= 100


_PAIR = """
import os
from libmpk import sandbox
sandbox.init(backend="mprotect")
sandbox.mmap(5, 4096, sandbox.PROT_READ)
for _ in range(3):
    sandbox.begin(5, sandbox.PROT_READ | sandbox.PROT_WRITE)
    sandbox.end(5)
os.write(1, b"<<")
for _ in range(10):
    sandbox.begin(5, sandbox.PROT_READ | sandbox.PROT_WRITE)
    sandbox.end(5)
os.write(1, b">>")
"""


def test_a_native_switch_is_five_system_calls(fresh):
    """Counted (strace), each of begin and end: the mprotect, then the two
    spans stored through the tables' file, each after the lseek that checks
    the descriptor still names that file (its position: the tag,
    tests/attacks/test_kept_descriptors.py) -- not an fstat, which added
    several times as much to a switch here."""
    from tests.test_sync_cost import traced

    _, calls = traced(fresh, _PAIR)
    assert calls == ["mprotect", "lseek", "pwrite64", "lseek", "pwrite64"] * 20, calls


def test_scattered_group_takes_the_python_path(fallback):
    a = sandbox.mmap(2, PAGE, PROT_NONE)
    sandbox.mmap(99, PAGE, PROT_NONE)  # something in between
    b = sandbox.mmap(2, PAGE, PROT_NONE)
    assert b.address != a.address + PAGE
    before = _sb().page_domains
    with sandbox.domain(2, PROT_READ):
        assert sandbox.access_many([a.address, b.address]) == [PROT_READ, PROT_READ]
    assert sandbox.access_many([a.address, b.address]) == [PROT_NONE, PROT_NONE]
    assert _sb().page_domains == before + 1


def test_mixed_paths_nest_on_one_vkey(fallback):
    """A domain opened by Python (lock busy: native declines) closed natively, and back."""
    r = sandbox.mmap(3, PAGE, PROT_NONE)
    sb = _sb()
    with sandbox.domain(3, RW):  # registers this thread
        pass
    with sb.guard:  # the lock is held: the native switch must hand over, not wait
        assert switch.fast_begin(3, RW) == switch.MISS
    sandbox.begin(3, RW)  # native
    with sb.guard:
        assert switch.fast_end(3) == switch.PAGE_DOMAIN
    sb.begin_slow(3, PROT_READ, switch.MISS)  # Python path, nested
    assert sandbox.access(r.address) == PROT_READ
    sandbox.end(3)  # native closes the Python-opened one
    assert sandbox.access(r.address) == RW
    sb.end_slow(3, switch.PAGE_DOMAIN)
    assert sandbox.access(r.address) == PROT_NONE
    assert sb.group(3).open_domains == 0


@njit(nogil=True)
def _hammer(vkey, addr, n):
    ok = 0
    for _ in range(n):
        nb.begin(vkey, 3)
        p = np.uint64(addr)
        ok += 1 if p else 0
        nb.end(vkey)
    return ok


def test_threads_switch_natively_while_python_grows_the_tables(fallback):
    shared = sandbox.mmap(4, PAGE, PROT_NONE)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            _hammer(4, shared.address, 3000)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    def churn() -> None:
        try:
            for v in range(50_000, 52_000):  # grows the vkey map and the group table
                sandbox.mmap(v, PAGE, RW)
            for v in range(50_000, 52_000, 2):
                sandbox.munmap(v)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    _hammer(4, shared.address, 1)
    threads = [threading.Thread(target=worker) for _ in range(4)] + [threading.Thread(target=churn)]
    for t in threads:
        t.start()
    for t in threads:
        join(t, "a worker")
    assert not errors, errors
    g = _sb().group(4)
    assert g.open_domains == 0 and sandbox.access(shared.address) == PROT_NONE
    for v in range(50_001, 52_000, 2):  # the survivors still switch, natively
        with sandbox.domain(v, PROT_READ):
            assert sandbox.access(sandbox.regions(v)[0].address) == PROT_READ
        sandbox.munmap(v)


def test_errors_still_come_from_the_slow_path(fallback):
    sandbox.mmap(5, PAGE, PROT_NONE)
    with pytest.raises(sandbox.SandboxError, match="exec"):
        sandbox.begin(5, sandbox.PROT_EXEC | PROT_READ)
    with pytest.raises(sandbox.VkeyError):
        sandbox.begin(123_456, PROT_READ)
    with pytest.raises(sandbox.DomainError):
        sandbox.end(5)
