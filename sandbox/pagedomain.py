"""Page-table domains in native code: the zero-key fallback's begin/end.

Without hardware keys every domain is a page-table one: push a record on the
thread's domain stack, update the group's count of active domains per
protection, mprotect the group's pages to the union.  The Python slow path
does the same with a lock, a dozen table reads and three ctypes calls; here
a switch is five raw system calls and no Python: the mprotect of the
group's pages, and two stores through the tables' file -- the changed span
of the thread's record and the group's row, each built in a private copy
first (sandbox.store: the tables themselves are never writable), each
after an lseek that checks the descriptor still names the tables' file.

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
from numba import carray

from . import domainstack as stack
from ._numba_cache import njit
from .arena import (
    H_GROUPS,
    H_NATIVE_PAGES,
    M_LOCK,
    MAX_DEPTH,
    T_DEPTH,
    T_PAGE_DOMAINS,
    T_STRIDE,
    THREADS_OFF,
    arena_words,
    mailbox_words,
)
from .hw.intrinsics import SYS_MPROTECT, SYS_SCHED_YIELD, atomic_cas, int_to_ptr, monotonic_ns, syscall3
from .store import file_commit
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


@njit(cache=True, inline="always")
def lock_held_try():
    """A native switch's try for the lock (sandbox.switch's recorded domains)."""
    return _try_lock(mailbox_words(), SPINS)


@njit(cache=True, inline="always")
def unlock():
    _unlock(mailbox_words())


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
def group_of(A, vkey):
    """The group table and ``vkey``'s row offset in it (-1: none)."""
    row = find_row(A, vkey)
    if row < 0:
        return carray(int_to_ptr(A[H_GROUPS]), (GROUP_WORDS,), np.int64), -1
    return carray(int_to_ptr(A[H_GROUPS]), ((row + 1) * GROUP_WORDS,), np.int64), row * GROUP_WORDS


@njit(cache=True, inline="always")
def _move(Gr, add, remove):
    """Move one active domain of the row copy ``Gr`` from prot ``remove`` to
    ``add`` (-1: none)."""
    if add >= 0:
        Gr[G_ACTIVE + add] += 1
    if remove >= 0:
        Gr[G_ACTIVE + remove] -= 1


@njit(cache=True, inline="always")
def _apply(A, s, r, R, G, g, Gold, Gr, store):
    """Make a switch real: re-protect the group's pages if the union moved
    from ``Gold``'s to ``Gr``'s, then store the row and the record copy
    ``R`` with ``store`` (sandbox.store's commit, or file_commit where only
    the fallback runs this).  True if all of it happened; False if none did."""
    before = page_prot(Gold, 0)
    after = page_prot(Gr, 0)
    if after != before and syscall3(SYS_MPROTECT, Gr[G_RUN_ADDR], Gr[G_RUN_LEN], after) != 0:
        return False
    row = G.ctypes.data + 8 * g
    if store(A, s, row, Gr, GROUP_WORDS) == 0:
        if stack.store_record(A, s, r, R, store) == 0:
            return True
        store(A, s, row, Gold, GROUP_WORDS)
    if after != before:
        syscall3(SYS_MPROTECT, Gr[G_RUN_ADDR], Gr[G_RUN_LEN], before)
    return False


@njit(cache=True, inline="always")
def _usable(G, g, vkey):
    return g >= 0 and G[g + G_VKEY] == vkey and G[g + G_KEY] < 0 and G[g + G_RUN_LEN] > 0


@njit(cache=True)
def page_begin(A, s, vkey, prot):
    """Open a page-table domain for the thread of record slot ``s``."""
    M = mailbox_words()
    if not _try_lock(M, SPINS):
        return DECLINED
    G, g = group_of(A, vkey)  # under the lock: the tables cannot move meanwhile
    r = THREADS_OFF + s * T_STRIDE
    d = A[r + T_DEPTH]
    status = DECLINED
    if _usable(G, g, vkey) and d < MAX_DEPTH and not (prot & 4 and not G[g + G_PROT] & 4):
        R = stack.copy_record(A, r, d + 1)
        Gold = G[g : g + GROUP_WORDS].copy()
        Gr = Gold.copy()
        _move(Gr, prot, stack.page_prot(R, 0, stack.find(R, 0, vkey, d)))
        stack.push_page(R, 0, vkey, prot)
        Gr[G_OPEN] += 1
        R[T_PAGE_DOMAINS] += 1
        if _apply(A, s, r, R, G, g, Gold, Gr, file_commit):  # (only without keys: H_NATIVE_PAGES)
            status = DONE
    _unlock(M)
    return status


@njit(cache=True, inline="always")
def page_drop(A, s, r, i, vkey, store):
    """Close the page-table domain at stack index ``i`` of record ``r`` (the
    innermost on vkey), holding the lock, storing with ``store`` (see
    _apply); False if native code cannot (the group is not one range, or a
    system call failed): nothing changed."""
    G, g = group_of(A, vkey)
    if not _usable(G, g, vkey):
        return False
    R = stack.copy_record(A, r, A[r + T_DEPTH])
    Gold = G[g : g + GROUP_WORDS].copy()
    Gr = Gold.copy()
    # entry i is the innermost on vkey: what it uncovers is the next one under it
    _move(Gr, stack.page_prot(R, 0, stack.find(R, 0, vkey, i)), stack.page_prot(R, 0, i))
    stack.remove(R, 0, i)
    Gr[G_OPEN] -= 1
    return _apply(A, s, r, R, G, g, Gold, Gr, store)


@njit(cache=True)
def page_end(A, s, i, vkey):
    """Close the page-table domain at stack index ``i`` of record slot ``s``."""
    M = mailbox_words()
    if not _try_lock(M, SPINS):
        return DECLINED
    status = DONE if page_drop(A, s, THREADS_OFF + s * T_STRIDE, i, vkey, file_commit) else DECLINED
    _unlock(M)
    return status


@njit(cache=True)
def page_mprotect(vkey, prot):
    """``sandbox.mprotect`` of an evicted vkey whose pages are one range,
    natively (no keys at all: the fallback): the pages get the new
    evicted-state protection, then the row its new prot -- as
    PageGroup.protect_pages does, without Python.  DECLINED: take the slow path."""
    A = arena_words()
    if not A[H_NATIVE_PAGES]:
        return DECLINED
    M = mailbox_words()
    if not _try_lock(M, SPINS):
        return DECLINED
    G, g = group_of(A, vkey)
    status = DECLINED
    if _usable(G, g, vkey):
        Gold = G[g : g + GROUP_WORDS].copy()
        Gr = Gold.copy()
        Gr[G_PROT] = prot
        if syscall3(SYS_MPROTECT, Gr[G_RUN_ADDR], Gr[G_RUN_LEN], page_prot(Gr, 0)) == 0:
            if file_commit(A, -1, G.ctypes.data + 8 * g, Gr, GROUP_WORDS) == 0:
                status = DONE
            else:
                syscall3(SYS_MPROTECT, Gr[G_RUN_ADDR], Gr[G_RUN_LEN], page_prot(Gold, 0))
    _unlock(M)
    return status
