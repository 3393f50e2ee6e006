"""The fallback's tables are never writable: no window to race into.

On the mprotect fallback a window on the library's tables would be
process-wide (an mprotect, not a per-thread right): any thread -- or the
kernel on its behalf, process_vm_writev -- could store through it while
another thread switched.  The library stores through the tables' memfd
instead (sandbox.store), so, on that backend:

- with no switch running, a store to a table word fails: process_vm_writev
  gets EFAULT and a plain store dies with SIGSEGV (SEGV_ACCERR);
- while another thread runs native nb switches, a store to the words those
  switches write -- the switching thread's record and the group's row, the
  pages the switch used to open -- never lands, nor one to the header;
- while another thread is in the Python slow path (the guard used to open
  every table for its whole duration), none lands either.

Each probe stores a word with its own value and picks words nothing else
changes, so a landed store would change nothing; the tests check that too.
"""

from __future__ import annotations

import ctypes
import errno
import threading
import time

import pytest

from libmpk.bench.window import CHUNK, VK, Probe, Switcher, native_pairs, slow_path_ops
from libmpk.sandbox import PROT_NONE, PROT_READ, api
from libmpk.sandbox.arena import ARENA, H_GROUPS, H_MAGIC, T_TID, thread_base
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR
from libmpk.sandbox.pagedomain import G_VKEY, GROUP_WORDS
from libmpk.sandbox.threads import own_slot

DEADLINE = 2.0  # seconds of probing per test (it took well under one to land a store in the old window)


def _magic() -> int:
    return int(ARENA.words[H_MAGIC])


def _store_magic() -> None:
    ctypes.c_int64.from_address(ARENA.address + 8 * H_MAGIC).value = _magic()


def test_tables_are_read_only_at_rest(fallback):
    before = _magic()
    probe = Probe()
    for _ in range(200):
        assert probe.once() == (-1, errno.EFAULT)
    assert probe.run(CHUNK) == 0
    out = run_in_child(_store_magic)
    assert out.segv and out.fault.code == SEGV_ACCERR, out
    assert out.fault.address == ARENA.address + 8 * H_MAGIC, out
    assert _magic() == before


def _probe_for_a_while(probes: list[Probe]) -> int:
    landed = 0
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        landed += sum(p.run(100) for p in probes)
    return landed


def test_no_store_lands_during_native_switches(fallback):
    """The words a native switch writes -- its thread's record, the group's
    row -- and the header: probed while another thread runs nb pairs."""
    fallback.mmap(VK, 4096, PROT_NONE)
    pairs = native_pairs(VK)
    slot: list[int] = []

    def batch(k: int) -> None:
        if not slot:
            pairs(1)  # registers the switcher's thread
            slot.append(int(own_slot()))
        pairs(k)

    switcher = Switcher(batch, 200)
    with switcher:
        record = thread_base(slot[0])
        row = api._sb().groups[VK].row
        probes = [
            Probe(),
            Probe(address=ARENA.address + 8 * (record + T_TID)),
            Probe(address=int(ARENA.words[H_GROUPS]) + 8 * (row * GROUP_WORDS + G_VKEY)),
        ]
        before = [p.value[0] for p in probes]
        ops = switcher.ops
        assert _probe_for_a_while(probes) == 0
        assert switcher.ops > ops
        assert [ctypes.c_int64.from_address(p.target).value for p in probes] == before
    fallback.munmap(VK)


def test_no_store_lands_during_slow_paths(fallback):
    """The Python slow path (sandbox.mprotect) writes the tables too, and its
    guard used to make every one writable for its whole duration: the same
    probe landed within milliseconds.  Now nothing opens them."""
    before = _magic()
    fallback.mmap(VK, 4096, PROT_NONE)
    switcher = Switcher(slow_path_ops(VK), 10)
    with switcher:
        assert _probe_for_a_while([Probe()]) == 0
    assert switcher.ops > 0
    assert _magic() == before
    fallback.mprotect(VK, PROT_READ)
    fallback.munmap(VK)


@pytest.mark.parametrize("threads", [2])
def test_racing_native_switches_keep_the_tables_consistent(fallback, threads):
    """Native switches from several threads at once store read-modify-write
    spans through the file under the lock: after they all end, every count
    is back to zero and the pages to the vkey's own protection."""
    fallback.mmap(VK, 4096, PROT_READ)
    region = fallback.regions(VK)[0]
    workers = [threading.Thread(target=native_pairs(VK), args=(2000,)) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    g = api._sb().groups[VK]
    assert g.open_domains == 0
    assert fallback.access(region.address) == PROT_READ
    fallback.munmap(VK)
