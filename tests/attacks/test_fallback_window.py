"""The fallback's table window: the residual risk the threat model states.

On the mprotect fallback the library's tables are read-only except inside a
switch's window, and that window is process-wide (an mprotect, not a
per-thread right).  So, on that backend:

- with no switch running, a store to a table word fails: process_vm_writev
  gets EFAULT and a plain store dies with SIGSEGV (SEGV_ACCERR);
- while another thread is in the Python slow path's guard, the same
  process_vm_writev does land sometimes -- the residual risk (its measured
  width: python -m libmpk.bench.window);
- native nb switches open only their own thread's record and the group's
  row, so the probe (the header's magic word) never lands during them.

The probe stores the header's magic word with its own value, so nothing
changes; the tests check that too.
"""

from __future__ import annotations

import ctypes
import errno
import time

import pytest

from libmpk.bench.window import CHUNK, VK, Probe, Switcher, native_pairs, slow_path_ops
from libmpk.sandbox import PROT_NONE, PROT_READ
from libmpk.sandbox.arena import ARENA, H_MAGIC
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR

DEADLINE = 2.0  # seconds of probing before giving up on seeing a window


def _magic() -> int:
    return int(ARENA.words[H_MAGIC])


def _store_magic() -> None:
    ctypes.c_int64.from_address(ARENA.address + 8 * H_MAGIC).value = _magic()


def test_tables_are_read_only_outside_windows(fallback):
    before = _magic()
    probe = Probe()
    for _ in range(200):
        assert probe.once() == (-1, errno.EFAULT)
    assert probe.run(CHUNK) == 0
    out = run_in_child(_store_magic)
    assert out.segv and out.fault.code == SEGV_ACCERR, out
    assert out.fault.address == ARENA.address + 8 * H_MAGIC, out
    assert _magic() == before


def test_a_native_switch_opens_only_the_pages_it_writes(fallback):
    """A native switch's window covers its thread's record and the group's
    row, not the tables: a store to the header, probed for as long as the
    slow-path test below needs to land one, never lands while native pairs
    run (it did when the window was the whole tables)."""
    before = _magic()
    fallback.mmap(VK, 4096, PROT_NONE)
    probe = Probe()
    landed = 0
    with Switcher(native_pairs(VK), 200):
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            landed += probe.run(100)
    assert landed == 0
    assert _magic() == before
    fallback.munmap(VK)


@pytest.mark.parametrize("switch", ["slow_path"])
def test_a_write_inside_another_threads_window_lands(fallback, switch):
    """The residual risk exists: the Python slow path's guard makes the tables
    writable process-wide while it works (stops at the first store that lands)."""
    before = _magic()
    fallback.mmap(VK, 4096, PROT_NONE)
    batch, k = (native_pairs(VK), 200) if switch == "native" else (slow_path_ops(VK), 10)
    probe = Probe()
    landed = 0
    with Switcher(batch, k):
        deadline = time.monotonic() + DEADLINE
        while not landed and time.monotonic() < deadline:
            landed = probe.run(100)
    assert landed > 0
    assert _magic() == before
    # the switcher left the tables closed and the vkey usable
    assert probe.run(CHUNK) == 0
    fallback.mprotect(VK, PROT_READ)
    fallback.munmap(VK)
