"""The tables' write paths: the only code that stores into them, and the
one way Python does.

Under PKU the tables are write-disabled in every thread.  A window opens
them for one thread with the open gate (hw.intrinsics.wrpkru_open: the
tables' key and key 0 only, every other key access-disabled) and closes them
with a checked close gate, both inside one native call: the stores of a
window are native code, so no Python -- no signal handler, finalizer or
trace hook -- ever runs while the tables are writable.  Python's slow paths
write through :class:`Words`, whose stores are such calls.

Without PKU the tables are read-only pages, always: the same calls store
with ``pwrite`` on the tables' memfd (sandbox.arena), which writes the
pages without making any mapping writable.  There is no window: a stray
store faults at every moment, whatever other threads are doing.  Each such
store is a read-modify-write, so these paths run under the library lock
(the guard, or its native half for native switches).

Windows are opened only by a holder of the library lock (the guard, or its
native half), and sync requests (sandbox.hw.sync) are posted only under it,
so no request's signal lands between the RDPKRU that saved this thread's
PKRU and the close gate that restores it -- except a late one, after its
sender gave up waiting.  For that case the handler counts itself per thread
record (or process-wide for threads without one), and a window that sees
the count move re-derives the keys on which the thread has no recorded
domain from the key table (an unrecorded domain of that thread is then
closed: a thread that missed a deadline loses rights, never gains them).
"""

from __future__ import annotations

import operator

import numpy as np
from numba import carray

from ._numba_cache import njit
from .arena import (
    ARENA,
    H_HANDLED,
    H_META_KEY,
    H_USED,
    K_DEFAULT,
    K_OWNER,
    K_STRIDE,
    KEYS_OFF,
    M_META,
    M_TABLES_BASE,
    M_TABLES_FD,
    M_TABLES_TAG,
    NKEYS,
    OWNER_NOT_OURS,
    T_OPEN,
    T_SEEN,
    T_SIGCOUNT,
    T_STRIDE,
    THREADS_OFF,
    TOTAL_WORDS,
    arena_words,
    mailbox_words,
    slot_of,
)
from .errors import LostDescriptorError, OSCallError
from .hw.intrinsics import (
    SYS_LSEEK,
    SYS_PWRITE64,
    atomic_add,
    atomic_cas,
    int_to_ptr,
    rdpkru,
    rdtsc,
    syscall3,
    syscall4,
    thread_pointer,
    wrpkru,
    wrpkru_open,
)
from .prot import PKRU_WD


@njit(cache=True, inline="always")
def with_bits(pk, k, bits):
    sh = 2 * k
    return (pk & ~(np.int64(3) << sh)) | (np.int64(bits) << sh)


@njit(cache=True, inline="always")
def default_bits(A, pk, s):
    """``pk`` with every key on which thread record ``s`` (-1: none) has no
    recorded domain open set to its default (the tables' key: WD): the one
    the thread was last told (T_SEEN), else the key table's."""
    meta = A[H_META_KEY]
    for j in range(1, NKEYS):
        if A[KEYS_OFF + j * K_STRIDE + K_OWNER] == OWNER_NOT_OURS:
            continue
        if j == meta:
            pk = with_bits(pk, j, PKRU_WD)
        elif s < 0:
            pk = with_bits(pk, j, A[KEYS_OFF + j * K_STRIDE + K_DEFAULT])
        elif A[THREADS_OFF + s * T_STRIDE + T_OPEN + j] <= 0:
            pk = with_bits(pk, j, A[THREADS_OFF + s * T_STRIDE + T_SEEN + j] >> (2 * j))
    return pk


@njit(cache=True, inline="always")
def sync_count(A, s):
    """The sync-signal count a window watches: its thread record's, or the
    one of threads without a record.  In the tables, so only a handler (which
    opens them) moves it: a stray write can neither hide a signal nor fake one."""
    return A[THREADS_OFF + s * T_STRIDE + T_SIGCOUNT] if s >= 0 else A[H_HANDLED]


@njit(cache=True, inline="always")
def fixup(A, s):
    """A sync signal hit this thread inside a window: re-derive every key it
    has no domain on from the key table, until no signal lands meanwhile."""
    while True:
        seen = sync_count(A, s)
        wrpkru(np.uint32(default_bits(A, np.int64(rdpkru()), s)))
        if sync_count(A, s) == seen:
            return


@njit(cache=True, inline="always")
def close(A, s, seen, pk):
    """The close gate with ``pk``, then the sync check."""
    wrpkru(np.uint32(pk))
    if sync_count(A, s) != seen:
        fixup(A, s)


@njit(cache=True, inline="always")
def _in_tables(A, addr, n):
    """``n`` words at ``addr`` lie inside the guarded tables (the arena's
    reserved range, as far as it is in use): nothing else is written here."""
    base = A.ctypes.data
    return n >= 0 and addr & 7 == 0 and addr >= base and addr + 8 * n <= base + A[H_USED]


@njit(cache=True, inline="always")
def open_window(A, s):
    """Open the tables for this thread (thread record ``s``, -1: none):
    returns (sync count seen, PKRU to close with).  No gate without PKU (PKRU
    -1: none to restore): the caller holds the guard's mprotect window."""
    seen = sync_count(A, s)
    if A[H_META_KEY] <= 0:
        return seen, np.int64(-1)
    pk = np.int64(rdpkru())
    wrpkru_open()
    return seen, pk


@njit(cache=True, inline="always")
def close_window(A, s, seen, pk):
    if pk >= 0:  # (not the key word: the window may have just written it)
        close(A, s, seen, pk)


@njit(cache=True, inline="always")
def tables_readable():
    """Give this thread its default bits for the tables' key (WD: readable),
    read from the mailbox's constants, not from the tables themselves: a
    thread that missed the sync broadcasting them -- an exit destructor, a
    thread of an earlier session -- may not yet be able to read the tables.
    The caller holds the library lock, under which init publishes the key."""
    m = mailbox_words()[M_META]
    if m > 0:
        wrpkru(np.uint32(with_bits(np.int64(rdpkru()), m, PKRU_WD)))


@njit(cache=True, inline="always")
def via_file(A):
    """Whether stores go through the tables' file (no PKU: no gate to open)."""
    return A[H_META_KEY] <= 0


EBADF = 9
SEEK_CUR = 1


@njit(cache=True, inline="always")
def file_is_tables(M):
    """Whether the tables' descriptor still names their file: its position
    is still the random tag it was given (hw.syscalls.KeptFile); the program
    may have closed the number, or opened its own file onto it."""
    return syscall3(SYS_LSEEK, M[M_TABLES_FD], 0, SEEK_CUR) == M[M_TABLES_TAG]


@njit(cache=True, inline="always")
def file_write(dst, R, n):
    """Store the first ``n`` words of array ``R`` at table address ``dst``
    through the tables' file: 0, or the kernel's -errno (-EBADF: the number
    no longer names the file; nothing written).  Descriptor, identity and
    base come from the read-only mailbox constants, never a writable word."""
    M = mailbox_words()
    if not file_is_tables(M):
        return -EBADF
    got = syscall4(SYS_PWRITE64, M[M_TABLES_FD], R.ctypes.data, 8 * n, dst - M[M_TABLES_BASE])
    # (R read after the call: numba frees an array after its last use, and
    # the kernel must read it first)
    return 0 if got == 8 * n and R.size >= n else (got if got < 0 else -5)


@njit(cache=True, inline="always")
def file_commit(A, s, dst, R, n):
    """:func:`commit` for code that runs only without PKU (the fallback's
    native switch): always the file, so no gate -- no WRPKRU -- in it (the
    audit allows WRPKRU only in the registered gates, sandbox.gates)."""
    return file_write(dst, R, n) if n > 0 else 0


@njit(cache=True, inline="always")
def commit(A, s, dst, R, n):
    """Store the first ``n`` words of the private array ``R`` at table
    address ``dst``, in a window of thread record ``s`` (PKU) or through the
    file: 0 or -errno.  Native paths that change several words build them in
    ``R`` first, so the fallback pays one system call per span, not per word."""
    if via_file(A) or n <= 0:
        return file_commit(A, s, dst, R, n)
    D = carray(int_to_ptr(dst), (n,), np.int64)
    seen, pk = open_window(A, s)
    for i in range(n):
        D[i] = R[i]
    close_window(A, s, seen, pk)
    return 0


@njit(cache=True, inline="always")
def _file_word(A, idx, value):
    """Arena word ``idx`` = ``value`` through the file (caller holds the lock)."""
    return file_write(A.ctypes.data + 8 * idx, np.full(1, value, np.int64), 1)


OK_STORE = 1
NOT_TABLES = 0


@njit(cache=True)
def put(addr, n, value, src):
    """Store ``n`` words at ``addr``: ``value`` each (``src`` == 0) or the
    words at ``src`` (memmove order).  1; 0 if the words are not the tables';
    -errno if the file refused the store."""
    A = arena_words()
    if not _in_tables(A, addr, n):
        return NOT_TABLES
    if n == 0:
        return OK_STORE
    S = carray(int_to_ptr(src if src else addr), (n,), np.int64)
    R = np.full(n, value, np.int64) if src == 0 else S.copy()  # src may overlap the words it replaces
    err = commit(A, slot_of(A, thread_pointer()), addr, R, n)
    return OK_STORE if err == 0 else err


@njit(cache=True)
def word_add(idx, delta):
    """Atomically add ``delta`` to arena word ``idx``; the old value (or, on
    the fallback, -errno in ``ok``).  Without PKU the caller holds the lock."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if via_file(A):
        old = A[idx]
        return old, _file_word(A, idx, old + delta)
    seen, pk = open_window(A, s)
    old = atomic_add(A, idx, delta)
    close_window(A, s, seen, pk)
    return old, 0


@njit(cache=True)
def word_cas(idx, expected, new):
    """Compare-and-swap arena word ``idx``; the value seen (and 0 or -errno)."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if via_file(A):
        old = A[idx]
        return old, _file_word(A, idx, new) if old == expected else 0
    seen, pk = open_window(A, s)
    old = atomic_cas(A, idx, expected, new)
    close_window(A, s, seen, pk)
    return old, 0


@njit(cache=True)
def stamp():
    """An LRU stamp, as the switch writes them."""
    return rdtsc()


class Words:
    """int64 words of the guarded tables: numpy for reading (a read-only
    view: a store that bypasses the gate is a ValueError, not a write), the
    native window above for each store."""

    __slots__ = ("r", "address", "size")

    def __init__(self, address: int, n: int) -> None:
        import ctypes

        self.address = address
        self.size = n
        self.r = np.ctypeslib.as_array((ctypes.c_int64 * n).from_address(address)) if n else np.zeros(0, np.int64)
        self.r.flags.writeable = False

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i):  # noqa: ANN001, ANN204 -- numpy's indexing
        return self.r[i]

    def __setitem__(self, i: int | slice, value: object) -> None:
        if isinstance(i, slice):
            start, stop, step = i.indices(self.size)
            n = max(0, stop - start)
            if step != 1:
                raise IndexError("guarded words take contiguous slices only")
            if isinstance(value, Words):
                value = value.r
            if np.ndim(value) == 0:
                ok = put(self.address + 8 * start, n, int(value), 0)
            else:
                src = np.ascontiguousarray(value, dtype=np.int64)
                if src.size != n:
                    raise ValueError(f"{src.size} words for a slice of {n}")
                ok = put(self.address + 8 * start, n, 0, src.ctypes.data) if n else OK_STORE
        else:
            i = operator.index(i)
            if i < 0:
                i += self.size
            if not 0 <= i < self.size:
                raise IndexError(f"word {i} outside a table of {self.size}")
            ok = put(self.address + 8 * i, 1, int(value), 0)
        _check(ok, self.address)

    def _arena_index(self, i: int) -> int:
        j, rest = divmod(self.address + 8 * operator.index(i) - ARENA.address, 8)
        if rest or not 0 <= j < TOTAL_WORDS or not 0 <= i < self.size:
            raise IndexError(f"word {i} is not an arena word")
        return j

    def add(self, i: int, delta: int) -> int:
        """Atomic add to an arena word; the old value."""
        old, err = word_add(self._arena_index(i), delta)
        _check(OK_STORE if err == 0 else err, self.address)
        return int(old)

    def cas(self, i: int, expected: int, new: int) -> int:
        """Compare-and-swap an arena word; the value seen."""
        old, err = word_cas(self._arena_index(i), expected, new)
        _check(OK_STORE if err == 0 else err, self.address)
        return int(old)


def _check(status: int, address: int) -> None:
    if status == NOT_TABLES:
        raise IndexError(f"words at {address:#x} are not the library's tables")
    if status == -EBADF:
        raise LostDescriptorError(ARENA.fd, "the library's tables' file")
    if status < 0:
        raise OSCallError("pwrite", -int(status), "a store to the library's tables through their file")


# The arena's words, as the Python slow paths write them.
WORDS = Words(ARENA.address, TOTAL_WORDS)
