"""The library's tables, laid out in raw pages both Python and numba read.

Two mappings, made once per process:

- the *arena*: everything the key switch consults -- the hardware-key table
  (owner vkey, pin count, LRU stamp, process-wide rights, default PKRU bits)
  and one record per thread (its stack of open domains).  Under PKU it is
  tagged with the library's reserved key, write-disabled in every thread
  except inside the library's own update paths.
- the *mailbox*: the few words that must stay writable from anywhere, even a
  signal handler (which runs with only key 0 accessible): the PKRU sync
  request, its acknowledgements, and a per-thread count of sync signals --
  and, in a last page that is read-only (PROT_READ) except while
  sync.install writes it, the words the handler trusts and only reads (the
  PKRU offset in the XSAVE area, the handler to chain to, the arena's key).

Numba code reaches both through external symbols bound with llvmlite's
``add_symbol`` -- so compiled code can be cached on disk and still find this
process's tables -- while Python sees the same words as numpy arrays.

All fields are int64 words; offsets below are word indices.
"""

from __future__ import annotations

import ctypes
import fcntl
import os

import numpy as np
from numba import carray

from ._numba_cache import njit
from .hw import cpu, symbols, syscalls
from .hw.intrinsics import META_WD_WORD, META_WORD, TABLES_SYMBOL, extern_address

SYMBOL = TABLES_SYMBOL
MAILBOX_SYMBOL = "libmpk_py_mailbox_v1"

# --- header -------------------------------------------------------------
H_MAGIC = 0
H_HANDLED = 1  # sync signals handled by threads without a record (their windows watch it)
H_CAPACITY = 2  # hardware keys the cache may hand out
H_META_KEY = META_WORD  # hardware key guarding the tables (0 = none); the gates read it
# native page-table domains (the zero-key fallback; sandbox.pagedomain):
H_NATIVE_PAGES = 4  # 1: begin/end of evicted vkeys run natively
H_USED = 5  # bytes of the reserved range in use: what the guard flips
H_GROUPS = 6  # address of the page-group table's words
H_VMAP = 7  # address of the vkey -> group-row hash (2 words a slot)
H_VMAP_MASK = 8  # its slots - 1
H_PAGE_DOMAINS = 9  # page-table domains opened natively
# the PKRU sync request (sandbox.hw.sync): here, under the tables' key, so
# that no stray write can change what the handler writes into threads' PKRU
H_REQ_SEQ = 10  # request number
H_REQ_MASK = 11  # PKRU bits the request sets (two per key) ...
H_REQ_VALUE = 12  # ... to these values
H_REQ_ACKS = 13  # first acknowledgements of listed threads, all requests (the handler's count)
H_META_WD = META_WD_WORD  # 2 << (2 * the tables' key): the hand-written gates check PKRU against it
H_REQ_OLD = 15  # the masked keys' defaults before the request: bits that differ are a domain
H_REQ_BUSY = 16  # threads that kept a domain on a masked key, all requests (the handler's count)
H_REQ_FORCE = 17  # 1: the request overrides every domain not in a thread's record
HEADER_WORDS = 64
MAGIC = 0x6C69626D706B7079  # "libmpkpy"

# --- hardware-key table -------------------------------------------------
NKEYS = 16
KEYS_OFF = HEADER_WORDS
K_OWNER = 0  # vkey holding the key, or one of the OWNER_* markers
K_PIN = 1  # recorded domains and pins on this key, all threads; < 0 while being reassigned
K_STAMP = 2  # LRU stamp of the last load (TSC); hits stamp per thread, in the mailbox (M_LOCAL)
K_RIGHTS = 3  # owner's process-wide protection (PROT_* bits)
K_DEFAULT = 4  # PKRU bits every thread without a domain on the key holds
K_ONE = 5  # 1 << (2 * key): the hit path scales bits with it (constant)
K_STRIDE = 8

OWNER_FREE = -1  # ours, unowned
OWNER_NOT_OURS = -2  # not allocated by the library (key 0, or no PKU)
OWNER_RESERVED = -3  # ours, kept for the library's own use (the arena's key)
OWNER_QUARANTINED = -4  # ours, but some thread may hold stale rights on it
PIN_CLAIMED = -(1 << 40)  # added to K_PIN while the slow path reassigns a key

# --- per-thread records -------------------------------------------------
NTHREADS = 1024  # power of two: open addressing by thread pointer
# --- vkey -> key hints -------------------------------------------------------
# Direct-mapped (vkey & VHINT_MASK): vkey, the key it was last given.  Only a
# hint -- the switch checks the key's owner -- so a begin finds its key in
# one probe instead of scanning the key table.
VHINT_OFF = KEYS_OFF + NKEYS * K_STRIDE
VHINT_MASK = 63
VHINT_WORDS = 2 * (VHINT_MASK + 1)

THREADS_OFF = VHINT_OFF + VHINT_WORDS
T_TCB = 0  # thread pointer of the owner, 0 = never used, TOMBSTONE = freed, DEAD = awaiting release
T_TID = 1  # kernel thread id (for reclaiming records of dead threads)
T_SIGCOUNT = 4  # sync signals this thread handled: its windows watch it (sandbox.store)
# The words a switch of this thread writes are one span, [T_DEPTH, the top
# of the stack): the fallback stores it with one system call (sandbox.store)
# and never rewrites the words others write (T_TCB, T_SIGCOUNT).
T_DEPTH = 14  # entries on the domain stack
T_PAGE_DOMAINS = 15  # page-table domains this thread opened natively (a counter in its own record:
# the native switch then writes no shared table page but the group's row)
T_OPEN = 16  # NKEYS words: open hardware-key domains of this thread per key
T_STACK = T_OPEN + NKEYS
E_VKEY = 0
E_KEY = 1  # hardware key, or -1 for a page-table (evicted) domain
E_ARG = 2  # previous PKRU bits (-1: the key's default) / page domain's prot
E_WORDS = 3
MAX_DEPTH = 64
T_STRIDE = 256
# NKEYS words: each key's default as this thread was last told it (by a sync
# request or at registration), shifted into place: what the hit path compares
# PKRU against (sandbox.switch).  A table's default may already be newer.
T_SEEN = T_STACK + MAX_DEPTH * E_WORDS
assert T_SEEN + NKEYS <= T_STRIDE
TOMBSTONE = -1
DEAD = -2  # T_TCB of a record whose thread is gone, with domains only Python can undo (sandbox.threads)

TOTAL_WORDS = THREADS_OFF + NTHREADS * T_STRIDE
TOTAL_BYTES = syscalls.page_round(TOTAL_WORDS * 8)

# --- mailbox (key 0) ------------------------------------------------------
# The words the handler and the native switch write, from any thread.  None
# of them decides what a thread's PKRU becomes (that request is in the
# header above); a stray write to them can only delay a request or make it
# fail with SyncError (the caller counts acknowledgements in H_REQ_ACKS too).
M_NTIDS = 4  # threads asked to acknowledge
M_UNEDITABLE = 8  # signal frames without a PKRU to edit (never acknowledged)
M_REFUSED = 9  # requests the handler refused (they would open the tables; never acknowledged)
M_LOCK = 10  # the library lock's native half (1: held); here, so fork and spins can always write it
M_ACKS = 11  # acknowledgements, all requests: a futex word (its low half) the caller sleeps on
M_REWINDS = 12  # threads the handler moved back to a PKRU section's start (a statistic: hw.sections)
MAX_SYNC_THREADS = 4096
M_TIDS = 64
M_DONE = M_TIDS + MAX_SYNC_THREADS  # H_REQ_SEQ value once the thread has applied it
# Per thread record, a line of its own that only that thread's hits write:
# its hit count and when it last hit each key (TSC; the LRU reads the
# latest over all threads).  Statistics and eviction order only: a stray
# write here can skew them, not grant a right.
M_LOCAL = M_DONE + MAX_SYNC_THREADS
L_HITS = 0
L_STRIDE = NKEYS  # word k (1..15): the stamp of key k
MAILBOX_RW_WORDS = M_LOCAL + NTHREADS * L_STRIDE
# The words the handler only reads, constant once sync.install wrote them: a
# page of their own, read-only to everyone except inside
# Arena.write_mailbox_constants (install, under the library lock), so a stray
# write to them faults instead of steering the handler.
M_CONST = syscalls.page_round(MAILBOX_RW_WORDS * 8) // 8
M_XOFF = M_CONST + 0  # byte offset of PKRU in the XSAVE area (CPUID 0xD/9)
M_OLD_HANDLER = M_CONST + 1  # handler to chain to for signals that are not ours
M_OLD_SIGINFO = M_CONST + 2  # 1 if it takes (signo, info, context)
M_META = M_CONST + 3  # the arena's hardware key (0: none), for the handler
M_TABLES_FD = M_CONST + 4  # the tables' memfd: where the fallback's stores go (sandbox.store)
M_TABLES_BASE = M_CONST + 5  # the address file offset 0 is mapped at
M_RESTART = M_CONST + 6  # [start, end] of each restartable PKRU section (hw.sections): 4 pairs
RESTART_PAIRS = 4
M_PKU = M_CONST + 6 + 2 * RESTART_PAIRS  # 1: the OS enabled PKU (ospke): RDPKRU/WRPKRU are safe to run
M_TABLES_TAG = M_PKU + 1  # the tables' memfd's file position, a random tag: a store through the
# descriptor first checks the number still names that file (hw.syscalls.KeptFile, sandbox.store)
M_CONST_WORDS = 8 + 2 * RESTART_PAIRS
MAILBOX_WORDS = M_CONST + M_CONST_WORDS
MAILBOX_BYTES = M_CONST * 8 + syscalls.page_round(M_CONST_WORDS * 8)


def vhint_base(vkey: int) -> int:
    return VHINT_OFF + 2 * (vkey & VHINT_MASK)


def key_base(key: int) -> int:
    return KEYS_OFF + key * K_STRIDE


def thread_base(slot: int) -> int:
    return THREADS_OFF + slot * T_STRIDE


class PrivateTable(np.ndarray):
    """A table with the arena's layout in private memory, for policy tests:
    the atomics of store.Words, as plain operations."""

    def add(self, i: int, delta: int) -> int:
        old = int(self[i])
        self[i] += delta
        return old

    def cas(self, i: int, expected: int, new: int) -> int:
        old = int(self[i])
        if old == expected:
            self[i] = new
        return old


def new_table() -> PrivateTable:
    """A private zeroed table with the arena's layout, for policy tests."""
    t = np.zeros(TOTAL_WORDS, dtype=np.int64)
    _format(t)
    return t.view(PrivateTable)


def _format(words: np.ndarray, zeroed: bool = False) -> None:
    if not zeroed:
        words[:] = 0
    words[H_MAGIC] = MAGIC
    words[H_USED] = TOTAL_BYTES
    for k in range(NKEYS):
        words[key_base(k) + K_OWNER] = OWNER_NOT_OURS
        words[key_base(k) + K_DEFAULT] = 3
        words[key_base(k) + K_ONE] = 1 << (2 * k)


def _words(address: int, n: int) -> np.ndarray:
    return np.ctypeslib.as_array((ctypes.c_int64 * n).from_address(address))


RESERVE_BYTES = 1 << 30  # address space for the arena and every guarded table
_FORK_CHUNK = 1 << 16
_FD_HEADROOM = 8  # the tables' file goes this far below the top of the process's descriptor table


def _fd_table_size() -> int:
    """How many descriptors the process's table holds now (FDSize).  The
    tables' file goes near its top, not above: growing the table in a
    process with threads waits out an RCU grace period (10-25 ms measured
    here) -- and the JS engine runs its program on a thread, so every load
    of its compiler paid it."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"FDSize:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 64  # (the kernel's first table)


class Arena:
    """The process's arena and mailbox: addresses, numpy views, symbols.

    The arena sits at the start of one reserved range from which the guarded
    tables are carved too, so one call protects all of them.  The range is
    a shared mapping of a memfd: besides the mapping, the library can store
    into its tables with ``pwrite`` on the descriptor, which needs no write
    permission on any mapping.  The fallback stores only that way, so its
    tables are never writable -- there is no window another thread could
    store through (sandbox.store).  Under PKU stores go through the
    per-thread gates instead.

    A forked child must not share its parent's tables: the range is
    MADV_DONTFORK, and Python's fork gives the child a copy of its own
    (:meth:`_after_fork_in_child`).  A child forked natively has no tables
    at all -- a library call there faults rather than write the parent's.
    """

    def __init__(self) -> None:
        self.file = self._new_file()
        self.address = syscalls.mmap_file(None, RESERVE_BYTES, 0, self.fd, syscalls.MAP_NORESERVE)
        syscalls.dont_fork(self.address, RESERVE_BYTES)
        self.length = TOTAL_BYTES
        self.used = TOTAL_BYTES
        self.prot, self.key = 1, 0  # of [address, address + used): see protect()
        syscalls.mprotect(self.address, TOTAL_BYTES, 1)
        # Read-only to Python: every store goes through sandbox.store.
        self.words: np.ndarray = _words(self.address, TOTAL_WORDS)
        self.words.flags.writeable = False
        self.mailbox_address = syscalls.mmap_anon(MAILBOX_BYTES, 3)
        self.mailbox: np.ndarray = _words(self.mailbox_address, MAILBOX_WORDS)
        self.mailbox_const_address = self.mailbox_address + M_CONST * 8
        self.mailbox_const_bytes = MAILBOX_BYTES - M_CONST * 8
        syscalls.mprotect(self.mailbox_const_address, self.mailbox_const_bytes, 1)
        ospke = "ospke" in cpu.read_cpuinfo().flags
        self.write_mailbox_constants({**self._file_constants(), M_TABLES_BASE: self.address, M_PKU: int(ospke)})
        self._format()
        symbols.bind(SYMBOL, self.address)
        symbols.bind(MAILBOX_SYMBOL, self.mailbox_address)
        os.register_at_fork(after_in_child=self._after_fork_in_child)

    @property
    def fd(self) -> int:
        """The tables' descriptor, unchecked (see :meth:`checked_fd`)."""
        return self.file.fd

    def checked_fd(self) -> int:
        """The tables' descriptor, checked to still name their file: a
        program that closed the number, or opened another file onto it,
        gets LostDescriptorError here rather than the tables in its file."""
        return self.file.use()

    def _file_constants(self) -> dict[int, int]:
        return {M_TABLES_FD: self.fd, M_TABLES_TAG: self.file.tag}

    @staticmethod
    def _new_file() -> syscalls.KeptFile:
        fd = os.memfd_create("libmpk-tables", os.MFD_CLOEXEC)
        os.ftruncate(fd, RESERVE_BYTES)
        floor = _fd_table_size() - _FD_HEADROOM
        if fd < floor:
            try:  # far from the low numbers a program closes and reopens
                high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, floor)
            except OSError:
                high = fd  # (a descriptor limit below it)
            if high != fd:
                os.close(fd)
                fd = high
        return syscalls.KeptFile(fd, "the library's tables' file", tagged=True)

    def _format(self) -> None:
        """Write the empty tables' header and key table (through the file)."""
        head = np.zeros(THREADS_OFF, np.int64)
        _format(head, zeroed=True)
        os.pwrite(self.checked_fd(), head.tobytes(), 0)

    def write_mailbox_constants(self, values: dict[int, int]) -> None:
        """Store ``values`` (mailbox word index -> value) in the read-only
        constants page: flipped writable for these stores only.  The caller
        holds the library lock (no other window can overlap this one)."""
        if not all(M_CONST <= i < M_CONST + M_CONST_WORDS for i in values):
            raise ValueError(f"not mailbox constants: {sorted(values)}")
        M = self.mailbox
        if all(M[i] == v for i, v in values.items()):
            return
        syscalls.mprotect(self.mailbox_const_address, self.mailbox_const_bytes, 3)
        try:
            for i, v in values.items():
                M[i] = v
        finally:
            syscalls.mprotect(self.mailbox_const_address, self.mailbox_const_bytes, 1)

    def _apply(self, address: int, length: int, prot: int, key: int) -> None:
        if key or self.key:
            syscalls.pkey_mprotect(address, length, prot, key)
        else:
            syscalls.mprotect(address, length, prot)

    def protect(self, prot: int, key: int = 0) -> None:
        """Give every table page in use ``prot`` and hardware key ``key``
        (what carve() gives new pages too, and a forked child's copy)."""
        self._apply(self.address, self.used, prot, key)
        self.prot, self.key = prot, key

    def discard(self, address: int, length: int) -> None:
        """Drop table pages' contents: zeros again, no memory until touched."""
        syscalls.punch_hole(self.checked_fd(), address - self.address, length)

    def reset(self) -> None:
        """Forget every table entry and every carved table (the caller no
        longer uses the carved tables).

        The pages are discarded rather than cleared, so only the ones in use
        get touched again.  The carved range goes back to PROT_NONE on key
        0, as reserved, and the carve pointer goes back: init/shutdown
        cycles reuse the same table space instead of exhausting it.
        """
        self.discard(self.address, self.used)
        if self.used > self.length:
            self._apply(self.address + self.length, self.used - self.length, 0, 0)
            self.used = self.length
        self._format()

    def carve(self, length: int) -> int:
        """``length`` fresh bytes from the reserved range, protected as the
        tables are (the caller records the new extent in H_USED)."""
        length = syscalls.page_round(length)
        if self.used + length > RESERVE_BYTES:
            raise MemoryError(f"the library's table space ({RESERVE_BYTES >> 20} MiB) is exhausted")
        address = self.address + self.used
        self._apply(address, length, self.prot, self.key)
        self.used += length
        return address

    def _after_fork_in_child(self) -> None:
        """This process's own copy of the tables, at the same addresses, from
        the file the parent still uses (the mapping was not inherited)."""
        old, new = self.checked_fd(), self._new_file()
        zero = bytes(_FORK_CHUNK)
        for offset in range(0, self.used, _FORK_CHUNK):
            chunk = os.pread(old, _FORK_CHUNK, offset)
            if chunk != zero[: len(chunk)]:
                os.pwrite(new.fd, chunk, offset)
        self.file.close()
        self.file = new
        syscalls.mmap_file(self.address, RESERVE_BYTES, 0, new.fd, syscalls.MAP_NORESERVE | syscalls.MAP_FIXED)
        syscalls.dont_fork(self.address, RESERVE_BYTES)
        self._apply(self.address, self.used, self.prot, self.key)
        self.write_mailbox_constants(self._file_constants())


ARENA = Arena()


# --- numba accessors ---------------------------------------------------------

_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)
_SLOT_MASK = NTHREADS - 1


@njit(cache=True, inline="always")
def arena_words():
    return carray(extern_address(SYMBOL), (TOTAL_WORDS,), np.int64)


@njit(cache=True, inline="always")
def mailbox_words():
    return carray(extern_address(MAILBOX_SYMBOL), (MAILBOX_WORDS,), np.int64)


@njit(cache=True, inline="always")
def hash_slot(tp):
    return np.int64((np.uint64(tp) * _HASH_MUL) >> np.uint64(54)) & _SLOT_MASK


@njit(cache=True)
def slot_of(A, tp):
    """The thread record of thread pointer ``tp``, or -1."""
    h = hash_slot(tp)
    for i in range(NTHREADS):
        s = (h + i) & _SLOT_MASK
        t = A[THREADS_OFF + s * T_STRIDE + T_TCB]
        if t == tp:
            return s
        if t == 0:
            return -1
    return -1
