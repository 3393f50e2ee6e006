"""The protected heap against a reference model, its errors, and isolation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_PKUERR

from .conftest import _reset

RW = PROT_READ | PROT_WRITE
VKEYS = (60, 61)


class HeapModel(RuleBasedStateMachine):
    """Random malloc/calloc/realloc/free over two vkeys; the model is a dict
    ptr -> (vkey, bytes written)."""

    @initialize()
    def setup(self):
        _reset()
        sandbox.init(backend="mprotect")
        for v in VKEYS:
            sandbox.mmap(v, 4096, PROT_NONE)
        self.live: dict[int, tuple[int, bytes]] = {}
        self.counter = 0

    def teardown(self):
        _reset()

    def _fill(self, ptr: int, vkey: int, size: int) -> bytes:
        self.counter += 1
        data = bytes((self.counter + i) % 251 + 1 for i in range(size))
        with sandbox.domain(vkey, RW):
            view = sandbox.chunk(ptr)
            assert not view.any(), "a fresh chunk must be zeroed"
            view[:] = np.frombuffer(data, np.uint8)
        return data

    @rule(vkey=st.sampled_from(VKEYS), size=st.one_of(st.integers(1, 300), st.integers(1900, 9000)))
    def malloc(self, vkey, size):
        ptr = sandbox.malloc(vkey, size)
        assert ptr not in self.live
        self.live[ptr] = (vkey, self._fill(ptr, vkey, size))

    @rule(vkey=st.sampled_from(VKEYS), n=st.integers(1, 20), size=st.integers(1, 40))
    def calloc(self, vkey, n, size):
        ptr = sandbox.calloc(vkey, n, size)
        self.live[ptr] = (vkey, self._fill(ptr, vkey, n * size))

    @precondition(lambda self: self.live)
    @rule(data=st.data(), size=st.integers(1, 5000))
    def realloc(self, data, size):
        ptr = data.draw(st.sampled_from(sorted(self.live)))
        vkey, old = self.live.pop(ptr)
        new = sandbox.realloc(ptr, size)
        assert sandbox.api._the_heap().vkey_of(new) == vkey
        with sandbox.domain(vkey, PROT_READ):
            got = bytes(sandbox.chunk(new))
        keep = min(size, len(old))
        assert got[:keep] == old[:keep]
        assert not any(got[keep:]), "bytes past the old contents are zero"
        self.live[new] = (vkey, got)

    @precondition(lambda self: self.live)
    @rule(data=st.data())
    def free(self, data):
        ptr = data.draw(st.sampled_from(sorted(self.live)))
        self.live.pop(ptr)
        sandbox.free(ptr)
        with pytest.raises(sandbox.HeapError, match="double free"):
            sandbox.free(ptr)

    @invariant()
    def chunks_are_disjoint_and_intact(self):
        spans = sorted((p, p + len(d)) for p, (_, d) in self.live.items())
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end <= start, "chunks overlap"
        for ptr, (vkey, data) in list(self.live.items())[:5]:
            regions = sandbox.regions(vkey)
            assert any(r.address <= ptr and ptr + len(data) <= r.address + r.length for r in regions)
            with sandbox.domain(vkey, PROT_READ):
                assert bytes(sandbox.chunk(ptr)) == data


TestHeapModel = HeapModel.TestCase
TestHeapModel.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
)


def test_heap_errors(sb):
    sb.mmap(62, 4096, PROT_READ)
    for size in (0, -1, 1 << 50, 2.5, "8"):
        with pytest.raises(sandbox.ArgumentError):
            sb.malloc(62, size)
    with pytest.raises(sandbox.VkeyError):
        sb.malloc(63, 16)
    with pytest.raises(sandbox.HeapError, match="not allocated"):
        sb.free(0x1000)
    with pytest.raises(sandbox.HeapError, match="not allocated"):
        sb.realloc(0x1000, 8)
    with pytest.raises(sandbox.ArgumentError):
        sb.free("0x1000")
    p = sb.malloc(62, 24)
    with pytest.raises(sandbox.ArgumentError):
        sb.realloc(p, 0)
    sb.free(p)
    with pytest.raises(sandbox.HeapError, match="double free"):
        sb.free(p)
    with pytest.raises(sandbox.ArgumentError):
        sb.calloc(62, 0, 8)


def test_chunk_follows_its_vkey_protection(sb):
    sb.mmap(64, 4096, PROT_READ)
    p = sb.malloc(64, 64)
    with sb.domain(64, RW):
        sb.chunk(p)[:] = 9
    assert sb.chunk(p)[0] == 9  # readable: the vkey is PROT_READ
    out = run_in_child(lambda: sb.chunk(p).__setitem__(0, 1))
    assert out.segv, out
    sb.free(p)
    sb.munmap(64)
    with pytest.raises(sandbox.HeapError):
        sb.free(p)


@pytest.mark.pku
def test_other_vkeys_domain_does_not_reach_a_chunk():
    _reset()
    sandbox.init(backend="pku")
    try:
        sandbox.mmap(65, 4096, PROT_NONE)
        sandbox.mmap(66, 4096, PROT_NONE)
        secret = sandbox.malloc(65, 32)
        mine = sandbox.malloc(66, 32)
        with sandbox.domain(65, RW):
            sandbox.chunk(secret)[:] = 0x5A
        assert sandbox.stats()["cached"].get(65)

        def read_with_wrong_domain():
            with sandbox.domain(66, RW):
                sandbox.chunk(mine)[:] = 1  # fine: its own vkey
                return int(sandbox.chunk(secret)[0])  # must fault

        out = run_in_child(read_with_wrong_domain)
        assert out.segv and out.fault.code == SEGV_PKUERR, out
    finally:
        _reset()
