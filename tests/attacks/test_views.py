"""Views and chunks must not outlive their memory.

A view is raw pages seen through numpy.  If the pages go (munmap) or are
handed to someone else (free, then malloc) while a view is alive, the view
crashes on its next use -- or worse, reads and writes another vkey's data
once the address range is reused.  Each test keeps a view alive the way an
attacker would (the heap's chunk view, a slice of it, a dtype view, ...)
and checks that the release is refused and the data stays reachable; the
races run in a forked child, so a dangling view shows up as the child's
SIGSEGV, not a dead pytest.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable

import numpy as np
import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE, api
from libmpk.sandbox.forked import run_in_child

from ..handshake import HANDSHAKE_S

RW = PROT_READ | PROT_WRITE
PAGE = 4096

# Ways to keep a view alive without holding the object the library handed out.
DERIVED: dict[str, Callable[[np.ndarray], object]] = {
    "itself": lambda v: v,
    "slice": lambda v: v[1:9],
    "slice of a slice": lambda v: v[::2][1:],
    "dtype view": lambda v: v.view(np.uint32),
    "np.asarray": lambda v: np.asarray(v),
    "slice of np.asarray": lambda v: np.asarray(v)[2:],
    "memoryview": lambda v: memoryview(v),
    "array of a memoryview": lambda v: np.frombuffer(memoryview(v), np.uint16),
}


def _first_bytes(view: object) -> bytes:
    return np.asarray(view).tobytes()[:4]


@pytest.mark.parametrize("how", DERIVED)
def test_a_chunk_view_blocks_munmap_free_and_realloc(sb, how):
    sb.mmap(90, PAGE, RW)
    p = sb.malloc(90, 64)
    sb.chunk(p)[:16] = bytes(range(1, 17))
    view = DERIVED[how](sb.chunk(p))  # the chunk's own array is dropped at once
    gc.collect()
    before = _first_bytes(view)
    with pytest.raises(sandbox.BusyError, match="live view"):
        sb.munmap(90)
    with pytest.raises(sandbox.BusyError, match="live view"):
        sb.free(p)
    with pytest.raises(sandbox.BusyError, match="live view"):
        sb.realloc(p, 4000)  # would move the chunk and free the old one
    assert _first_bytes(view) == before  # still mapped, still the chunk's data
    assert sb.protection(90) == RW and sb.heap_stats()["chunks"] == 1
    del view
    sb.free(p)
    sb.munmap(90)


@pytest.mark.parametrize("how", DERIVED)
def test_a_derived_region_view_blocks_munmap(sb, how):
    r = sb.mmap(91, PAGE, RW)
    r.view()[:16] = bytes(range(1, 17))
    view = DERIVED[how](r.asarray())
    gc.collect()
    before = _first_bytes(view)
    with pytest.raises(sandbox.BusyError, match="live view"):
        sb.munmap(91)
    assert _first_bytes(view) == before
    del view
    sb.munmap(91)


def test_a_second_chunks_view_does_not_block_free(sb):
    sb.mmap(92, PAGE, RW)
    p, q = sb.malloc(92, 32), sb.malloc(92, 32)
    view = sb.chunk(q)
    sb.free(p)  # p has no view: fine, although q's view is in the same slab
    with pytest.raises(sandbox.BusyError):
        sb.free(q)
    del view
    sb.free(q)


def test_after_munmap_no_region_of_the_group_makes_views(sb):
    a = sb.mmap(93, PAGE, RW)
    b = sb.mmap(93, 2 * PAGE, RW)
    p = sb.malloc(93, 3000)  # a third region: the heap's own pages
    heap_regions = [r for r in sb.regions(93) if r not in (a, b)]
    sb.munmap(93)
    for r in (a, b, *heap_regions):
        assert not r.mapped
        with pytest.raises(sandbox.VkeyError):
            r.view()
        with pytest.raises(sandbox.VkeyError):
            r.asarray()
    with pytest.raises(sandbox.HeapError):
        sb.chunk(p)
    with pytest.raises(sandbox.HeapError):
        sb.free(p)


def test_a_reused_address_range_is_not_reachable_through_an_old_chunk_view(sb):
    """The attacker's report: a chunk view kept across munmap read the next
    vkey's pages once the range was reused.  munmap now refuses instead."""
    sb.mmap(94, PAGE, PROT_NONE)
    p = sb.malloc(94, 8000)
    old = sb.chunk(p)
    with pytest.raises(sandbox.BusyError):
        sb.munmap(94)
    secret = sb.mmap(95, 8192, RW)  # cannot land on vkey 94's pages: they are still mapped
    assert not (secret.address < p + 8000 and p < secret.address + secret.length)
    del old


# --- races, in a forked child ----------------------------------------------------------


def _make_and_touch_views(r, p: int, go: threading.Barrier, first: int, counts: dict, unexpected: list) -> None:
    """Make views of region ``r`` and chunk ``p`` in turn and write through each,
    until the pages are gone (the typed refusal ends the loop)."""
    go.wait(HANDSHAKE_S)  # a Barrier: raises BrokenBarrierError on timeout
    for i in range(first, first + 50):
        try:
            v = r.asarray() if i % 2 else sandbox.chunk(p)
        except (sandbox.VkeyError, sandbox.HeapError):
            counts["refused"] += 1
            return
        except BaseException as e:
            unexpected.append(repr(e))
            return
        v[0] += 1  # faults if the pages went away under the view
        counts["views"] += 1
        del v


def _race_views_against_munmap(rounds: int) -> dict:
    """Per round: map a vkey with a heap chunk; one thread makes views (region
    and chunk) and touches each, the other munmaps -- after a delay that
    varies by round -- until it succeeds.  A view made after the unmap would
    fault when touched (the child dies)."""
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    counts = {"views": 0, "refused": 0, "busy": 0}
    unexpected: list[str] = []
    for n in range(rounds):
        r = sandbox.mmap(96, PAGE, RW)
        p = sandbox.malloc(96, 64)
        go = threading.Barrier(2)
        t = threading.Thread(target=_make_and_touch_views, args=(r, p, go, n, counts, unexpected))
        t.start()
        go.wait(HANDSHAKE_S)  # a Barrier: raises BrokenBarrierError on timeout
        start = time.perf_counter()
        while time.perf_counter() - start < (n % 20) * 20e-6:
            pass
        while True:
            try:
                sandbox.munmap(96)
                break
            except sandbox.BusyError:
                counts["busy"] += 1
            except BaseException as e:
                unexpected.append(repr(e))
                break
        t.join()
    counts["unexpected"] = unexpected
    return counts


def test_views_racing_munmap_never_dangle(sb):
    out = run_in_child(_race_views_against_munmap, 1000, timeout=300)
    assert out.ok, out
    assert out.value["unexpected"] == [], out.value
    # both orders happened: views refused after the unmap, munmap refused before
    assert out.value["refused"] and out.value["busy"] and out.value["views"], out.value


def _race_malloc_against_mprotect(rounds: int, seconds: float) -> dict:
    """One thread mallocs (new slabs and whole-page chunks, so the heap keeps
    mapping into the group) and frees; the other flips the group's
    protection.  Neither may raise.

    Stops after ``rounds`` or ``seconds``, whichever comes first: with a
    1 us switch interval the two threads' GIL hand-offs can take ~1000x
    longer on one machine than on another (1-3 s here alone, ~15 min once
    beside the guest's TCG in CI), and a race that happened in its first
    hundred rounds has happened."""
    sys.setswitchinterval(1e-6)
    sandbox.mmap(97, PAGE, PROT_NONE)
    errors: list[str] = []
    done = threading.Event()
    done_rounds = 0
    deadline = time.monotonic() + seconds

    def allocator():
        nonlocal done_rounds
        try:
            for i in range(rounds):
                if time.monotonic() > deadline:
                    break
                p = sandbox.malloc(97, 3000 if i % 2 else 2000)
                if i % 3 == 0:
                    sandbox.free(p)
                done_rounds += 1
        except BaseException as e:
            errors.append(f"malloc/free: {e!r}")
        finally:
            done.set()

    out = _against_flips(allocator, lambda: 97, done, errors)
    return {**out, "rounds": done_rounds}


def _race_first_heap_map_against_mprotect(rounds: int) -> dict:
    """The race CI once lost, made to happen in every round: each round's vkey
    is one fresh page (one range, so the fallback's mprotect runs natively,
    taking no Python lock), and the sandbox's mmap first sleeps, so a flip
    lands between whatever the heap read of the group's protection and the
    mapping -- unless that read sits in the mapping's own critical section."""
    sys.setswitchinterval(1e-6)
    core = api._sb()
    real_mmap = core.mmap

    def sleepy_mmap(*args, **kwargs):
        time.sleep(0.0005)
        return real_mmap(*args, **kwargs)

    core.mmap = sleepy_mmap
    errors: list[str] = []
    done = threading.Event()
    current = [300]
    sandbox.mmap(300, PAGE, PROT_NONE)

    def allocator():
        try:
            for i in range(rounds):
                if i:
                    sandbox.mmap(300 + i, PAGE, PROT_NONE)
                    current[0] = 300 + i
                sandbox.malloc(300 + i, 3000)  # a whole page: the heap's first mapping into the vkey
        except BaseException as e:
            errors.append(f"malloc: {e!r}")
        finally:
            done.set()

    return _against_flips(allocator, lambda: current[0], done, errors)


def _against_flips(
    allocator: Callable[[], None], target: Callable[[], int], done: threading.Event, errors: list[str]
) -> dict:
    """Run ``allocator`` while a second thread flips ``target()``'s protection
    until ``done``."""
    flips = 0

    def protector():
        nonlocal flips
        prots = (PROT_READ, RW, PROT_NONE)
        try:
            while not done.is_set():
                sandbox.mprotect(target(), prots[flips % 3])
                flips += 1
        except BaseException as e:
            errors.append(f"mprotect: {e!r}")

    threads = [threading.Thread(target=allocator), threading.Thread(target=protector)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"errors": errors, "flips": flips}


def test_malloc_racing_mprotect_both_succeed(sb):
    out = run_in_child(_race_malloc_against_mprotect, 800, 30.0, timeout=300)
    assert out.ok, out
    assert out.value["errors"] == [], out.value
    assert out.value["flips"] > 10, out.value  # the two really ran side by side
    # the deadline only trims a slow run: the allocator must not be starved
    assert out.value["rounds"] >= 100, out.value


def test_heap_growth_racing_a_native_mprotect(sb):
    out = run_in_child(_race_first_heap_map_against_mprotect, 60, timeout=120)
    assert out.ok, out
    assert out.value["errors"] == [], out.value
    assert out.value["flips"] > 10, out.value
