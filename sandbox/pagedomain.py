"""Page-table domains in native code: the zero-key fallback's begin/end.

Without hardware keys every domain is a page-table one: push a record on the
thread's domain stack, update the group's count of active domains per
protection, mprotect the group's pages to the union, all inside the guard's
window (the tables are read-only otherwise).  The Python slow path does the
same with a lock, a dozen table reads and three ctypes calls -- about 15 us a
switch; here it is raw system calls (open the few table pages it writes, the
group's pages, close those table pages) and no Python.

Mutual exclusion with the Python slow paths is the library lock's native
half, a word in the mailbox: Python's guard takes it (spinning) after its
RLock; a native switch tries it a bounded number of times and, when it stays
busy or when anything is unusual (a group spread over several ranges, a
failed syscall, stack overflow), hands the whole operation back to the
Python slow path, which does it the slow way or raises the right error.  A
native switch never waits without bound, so it cannot deadlock against a
thread that holds the GIL.

Same bookkeeping as sandbox.pagegroup (the same words of the group row), so
both paths can take turns on one vkey.
"""

from __future__ import annotations

import numpy as np
from numba import carray, njit

from . import domainstack as stack
from .arena import (
    H_GROUPS,
    H_USED,
    M_LOCK,
    MAX_DEPTH,
    SYMBOL,
    T_DEPTH,
    T_PAGE_DOMAINS,
    T_STRIDE,
    mailbox_words,
)
from .hw.intrinsics import (
    SYS_MPROTECT,
    SYS_SCHED_YIELD,
    atomic_cas,
    extern_address,
    int_to_ptr,
    monotonic_ns,
    ptr_to_int,
    syscall3,
)
from .vkeymap import find_row

# page-group row words (the layout sandbox.pagegroup uses too)
G_VKEY, G_PROT, G_KEY, G_OPEN = 0, 1, 2, 3
G_RUN_ADDR = 5  # the group's pages as one range, when they form one (else 0)
G_RUN_LEN = 6
G_ACTIVE = 8
GROUP_WORDS = 16

DONE = 0
DECLINED = 1  # the caller takes the Python slow path


SPINS = 64  # tries, a yield between, before a native switch hands over


@njit(cache=True, inline="always")
def _try_lock(M, tries):
    """The lock's native half, waiting a little: its holder is nearly always
    another native switch, a few system calls from done.  A Python holder may
    keep it longer -- then the caller hands the call to the slow path.
    (Yielding, not spinning: with more switching threads than CPUs a spin
    steals the holder's CPU.)"""
    for _ in range(tries):
        if atomic_cas(M, M_LOCK, 0, 1) == 0:
            return True
        syscall3(SYS_SCHED_YIELD, 0, 0, 0)
    return False


@njit(cache=True, inline="always")
def _unlock(M):
    atomic_cas(M, M_LOCK, 1, 0)


@njit(cache=True, nogil=True)
def lock_try(tries):
    """Take the lock's native half within ``tries`` yields (GIL released):
    True if taken.  Python's guard calls this in a loop it can bound."""
    return _try_lock(mailbox_words(), tries)


@njit(cache=True)
def lock_within(timeout_ns):
    """Take the lock's native half, yielding, for at most ``timeout_ns``
    (-1: without bound); False if it stayed busy -- its word is on key 0, so
    a stray write can set it for good (the exit key's destructor, which has
    no GIL and no way to report, then leaves its record to Python)."""
    M = mailbox_words()
    deadline = np.int64(-1)
    while not _try_lock(M, SPINS):
        if timeout_ns >= 0:
            now = monotonic_ns()
            if deadline < 0:
                deadline = now + timeout_ns
            elif now > deadline:
                return False
    return True


@njit(cache=True)
def lock_release():
    _unlock(mailbox_words())


@njit(cache=True, inline="always")
def page_prot(G, g):
    """The page protection of the group row at ``G[g:]``: its own, or while
    domains are open the union of the active ones (exec always from the
    group).  The one definition of the rule; the Python slow path calls it too."""
    p = G[g + G_PROT] & 4
    active = False
    for dp in range(8):
        if G[g + G_ACTIVE + dp] > 0:
            active = True
            p |= dp & 3
    return p if active else G[g + G_PROT]


@njit(cache=True, inline="always")
def tables_window(A, prot):
    """mprotect every guarded table (the fallback's window: 3 opens, 1 closes)."""
    base = ptr_to_int(extern_address(SYMBOL))
    return syscall3(SYS_MPROTECT, base, A[H_USED], prot) == 0


@njit(cache=True, inline="always")
def group_of(A, vkey):
    """The group table and ``vkey``'s row offset in it (-1: none)."""
    row = find_row(A, vkey)
    if row < 0:
        return carray(int_to_ptr(A[H_GROUPS]), (GROUP_WORDS,), np.int64), -1
    return carray(int_to_ptr(A[H_GROUPS]), ((row + 1) * GROUP_WORDS,), np.int64), row * GROUP_WORDS


@njit(cache=True, inline="always")
def _shift(G, g, add, remove):
    """Move one active domain from prot ``remove`` to ``add`` (-1: none) and
    re-protect the pages if the union changed; False if mprotect failed."""
    before = page_prot(G, g)
    if add >= 0:
        G[g + G_ACTIVE + add] += 1
    if remove >= 0:
        G[g + G_ACTIVE + remove] -= 1
    after = page_prot(G, g)
    if after != before and syscall3(SYS_MPROTECT, G[g + G_RUN_ADDR], G[g + G_RUN_LEN], after) != 0:
        if add >= 0:
            G[g + G_ACTIVE + add] -= 1
        if remove >= 0:
            G[g + G_ACTIVE + remove] += 1
        return False
    return True


@njit(cache=True, inline="always")
def _span(lo, hi, prot):
    """mprotect the pages holding bytes [lo, hi)."""
    first = lo & ~4095
    return syscall3(SYS_MPROTECT, first, ((hi + 4095) & ~4095) - first, prot) == 0


@njit(cache=True, inline="always")
def _touched(A, r, G, g, prot):
    """Open (3) or close (1) just the table pages a native switch writes --
    the thread's record (its stack and counter) and the group's row -- not
    every table: an mprotect of a few pages invalidates a few TLB entries,
    one of the whole tables (2 MiB and more) flushes the TLB of every CPU the
    process runs on, four times a switch.  (It also keeps the window, which
    the fallback cannot make thread-private, as narrow as the writes.)"""
    base = ptr_to_int(extern_address(SYMBOL))
    ok = _span(base + r * 8, base + (r + T_STRIDE) * 8, prot)
    if g >= 0:
        rows = A[H_GROUPS]  # (where group_of found G)
        ok = _span(rows + g * 8, rows + (g + GROUP_WORDS) * 8, prot) and ok
    return ok


@njit(cache=True, inline="always")
def _open(A, M, r, G, g):
    """With the lock held: open the pages this switch writes; False (lock
    released, nothing open) if mprotect failed."""
    if _touched(A, r, G, g, 3):
        return True
    _touched(A, r, G, g, 1)
    _unlock(M)
    return False


@njit(cache=True, inline="always")
def _leave(A, M, r, G, g):
    _touched(A, r, G, g, 1)
    _unlock(M)


@njit(cache=True, inline="always")
def _usable(G, g, vkey):
    return g >= 0 and G[g + G_VKEY] == vkey and G[g + G_KEY] < 0 and G[g + G_RUN_LEN] > 0


@njit(cache=True)
def page_begin(A, r, vkey, prot):
    """Open a page-table domain for the thread whose record starts at ``r``."""
    M = mailbox_words()
    if not _try_lock(M, SPINS):
        return DECLINED
    G, g = group_of(A, vkey)  # under the lock: the tables cannot move meanwhile
    if not _open(A, M, r, G, g):
        return DECLINED
    status = DECLINED
    d = A[r + T_DEPTH]
    if _usable(G, g, vkey) and d < MAX_DEPTH and not (prot & 4 and not G[g + G_PROT] & 4):
        shadowed = stack.page_prot(A, r, stack.find(A, r, vkey, d))
        if _shift(G, g, prot, shadowed):
            stack.push_page(A, r, vkey, prot)
            G[g + G_OPEN] += 1
            A[r + T_PAGE_DOMAINS] += 1
            status = DONE
    _leave(A, M, r, G, g)
    return status


@njit(cache=True, inline="always")
def page_drop(A, r, i, vkey):
    """Close the page-table domain at stack index ``i`` of record ``r`` (the
    innermost on vkey), holding the lock with the tables open; False if native
    code cannot (the group is not one range, or mprotect failed)."""
    G, g = group_of(A, vkey)
    if not _usable(G, g, vkey):
        return False
    # entry i is the innermost on vkey: what it uncovers is the next one under it
    uncovered = stack.page_prot(A, r, stack.find(A, r, vkey, i))
    if not _shift(G, g, uncovered, stack.page_prot(A, r, i)):
        return False
    stack.remove(A, r, i)
    G[g + G_OPEN] -= 1
    return True


@njit(cache=True)
def page_end(A, r, i, vkey):
    """Close the page-table domain at stack index ``i`` of record ``r``."""
    M = mailbox_words()
    if not _try_lock(M, SPINS):
        return DECLINED
    G, g = group_of(A, vkey)  # under the lock: the tables cannot move meanwhile
    if not _open(A, M, r, G, g):
        return DECLINED
    status = DONE if page_drop(A, r, i, vkey) else DECLINED
    _leave(A, M, r, G, g)
    return status
