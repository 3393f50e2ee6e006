"""Process-wide PKRU updates on a stock kernel.

PKRU is per thread, and no system call changes another thread's.  libmpk
patched the kernel (task_work + IPI); we use what every kernel has: the
kernel saves a thread's PKRU in the XSAVE area of its signal frame and
reloads it from there at sigreturn.  So, to give every thread new bits for
key k, the caller queues a real-time signal to each thread
(rt_tgsigqueueinfo, tagged so we never act on anyone else's signal); a native
handler (a numba cfunc) rewrites just key k's two bits in the frame -- unless
that thread has its own domain open on k -- and acknowledges by writing the
request number next to its tid, waking the caller's futex.  The caller
sleeps until every acknowledgement is in,
enumerating /proc/self/task again until no new thread appears, so threads
that predate the library, threads it never saw and native threads are all
reached.  Threads that do not answer in time are reported by tid.

Handlers run with the kernel's initial PKRU (only key 0 accessible) and
open the tables' key for themselves (sigreturn discards that PKRU).  What a
handler writes into a thread's PKRU -- the request: mask, values, number --
is in the tables' header, writable only inside the caller's window, and a
request that would open the tables is refused; the handler counts its first
acknowledgement there too, so the tid list and per-tid answers it writes
in the key-0 mailbox cannot fake completion.  The words it only reads (PKRU
offset, handler to chain to, the tables' key) are in the mailbox's read-only
page, written by install() alone.  Signals that are not ours are passed to the
handler that was installed before ours, so Python's signal module and
faulthandler keep working.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time

import numpy as np
from numba import carray, cfunc, njit, types

from ..arena import (
    ARENA,
    H_REQ_ACKS,
    H_REQ_MASK,
    H_REQ_SEQ,
    H_REQ_VALUE,
    M_ACKS,
    M_DONE,
    M_HANDLED,
    M_META,
    M_NTIDS,
    M_OLD_HANDLER,
    M_OLD_SIGINFO,
    M_SIGCOUNT,
    M_TIDS,
    M_UNEDITABLE,
    M_XOFF,
    MAX_SYNC_THREADS,
    NKEYS,
    T_OPEN,
    T_STRIDE,
    THREADS_OFF,
    arena_words,
    mailbox_words,
    slot_of,
)
from ..errors import SandboxError
from ..prot import PKRU_WD
from ..store import WORDS, with_bits
from . import syscalls
from .intrinsics import (
    atomic_add,
    call_sigaction,
    cpuid_ebx,
    gettid,
    int_to_ptr,
    ptr_to_int,
    rdpkru,
    syscall3,
    thread_pointer,
    wrpkru,
    wrpkru_open,
)

_MAGIC = 0x6D706B73  # "mpks" in si_value: this signal is a sync request
_SI_QUEUE = -1
_UC_FPREGS = 224  # offsetof(ucontext_t, uc_mcontext.fpregs) on x86-64
_FP_SW_MAGIC = 464  # struct _fpx_sw_bytes in the legacy area's reserved bytes
_FP_XSTATE_MAGIC1 = 0x46505853
_XSTATE_BV = 512  # XSAVE header: which components the area holds
_XFEATURE_PKRU = 9
_SYS_FUTEX = syscalls.SYS_futex
_FUTEX_WAKE_PRIVATE = syscalls.FUTEX_WAKE_PRIVATE


def _signal_number() -> int:
    env = os.environ.get("MPK_SYNC_SIGNAL")
    return int(env) if env else int(signal.SIGRTMIN) + 10


SIGNAL = _signal_number()


class SyncError(SandboxError):
    """Some threads did not acknowledge a process-wide PKRU update in time."""

    def __init__(self, keys: list[int], tids: list[int], timeout: float) -> None:
        super().__init__(
            f"thread(s) {', '.join(map(str, tids))} did not acknowledge the PKRU update for "
            f"key(s) {', '.join(map(str, keys))} within {timeout:g} s "
            f"(signal {SIGNAL} blocked, or a frame without XSAVE state?)"
        )
        self.keys = keys
        self.tids = tids


def key_mask(key: int) -> int:
    """The PKRU bits of ``key`` (a request's mask for one key)."""
    return 3 << (2 * key)


@njit(cache=True)
def _own_mask(A, s, mask):
    """``mask`` less the keys on which thread record ``s`` has a domain open:
    a thread's own domain outranks the process-wide default."""
    if s < 0:
        return mask
    r = THREADS_OFF + s * T_STRIDE + T_OPEN
    for j in range(1, NKEYS):
        if A[r + j] != 0:
            mask &= ~(np.int64(3) << (2 * j))
    return mask


@cfunc(types.void(types.int32, types.voidptr, types.voidptr), cache=True)
def _handler(signo, info, context):
    M = mailbox_words()
    si = carray(info, (8,), np.int32)  # signo, errno, code, pad, pid, uid, value (lo, hi)
    if si[2] != _SI_QUEUE or si[6] != _MAGIC:
        old = M[M_OLD_HANDLER]
        if old != 0:
            call_sigaction(old, signo, info, context)
        return
    m = M[M_META]
    if m > 0:  # the tables' window, for this handler only (sigreturn restores PKRU):
        # handlers start with every key but 0 access-disabled, and the open
        # gate reads the tables' key word -- make the tables readable first.
        wrpkru(np.uint32(with_bits(np.int64(rdpkru()), m, PKRU_WD)))
        wrpkru_open()
    A = arena_words()
    seq = A[H_REQ_SEQ]
    mask = A[H_REQ_MASK]
    value = A[H_REQ_VALUE]
    if m > 0 and (mask >> (2 * m)) & 3 and ((value >> (2 * m)) & 3) != PKRU_WD:
        return  # never a request that opens the tables: unacknowledged, the caller fails
    s = slot_of(A, thread_pointer())
    mask = _own_mask(A, s, mask)
    if mask != 0:
        fp = carray(int_to_ptr(ptr_to_int(context) + _UC_FPREGS), (1,), np.int64)[0]
        if fp == 0:
            atomic_add(M, M_UNEDITABLE, 1)
            return
        magic = carray(int_to_ptr(fp + _FP_SW_MAGIC), (1,), np.uint32)[0]
        if magic != _FP_XSTATE_MAGIC1:
            atomic_add(M, M_UNEDITABLE, 1)
            return
        saved = carray(int_to_ptr(fp + M[M_XOFF]), (1,), np.uint32)
        saved[0] = np.uint32((np.int64(saved[0]) & ~mask) | (value & mask))
        bv = carray(int_to_ptr(fp + _XSTATE_BV), (1,), np.uint64)
        bv[0] = bv[0] | np.uint64(1 << _XFEATURE_PKRU)
    if s >= 0:
        atomic_add(M, M_SIGCOUNT + s, 1)
    atomic_add(M, M_HANDLED, 1)
    tid = gettid()
    for i in range(M[M_NTIDS]):
        if M[M_TIDS + i] == tid:
            if M[M_DONE + i] != seq:
                atomic_add(A, H_REQ_ACKS, 1)
            M[M_DONE + i] = seq
            atomic_add(M, M_ACKS, 1)
            syscall3(_SYS_FUTEX, np.int64(M.ctypes.data) + M_ACKS * 8, _FUTEX_WAKE_PRIVATE, 1)
            break


@njit(cache=True)
def _pkru_xsave_offset():
    return cpuid_ebx(0xD, 9)


_installed = False


def install(meta_key: int | None = None) -> None:
    """Install the handler (once per process; again if someone replaced it).

    The words the handler trusts (the PKRU offset, the handler to chain to and
    its SA_SIGINFO flag, the arena's key) sit in the mailbox's read-only page:
    only this function, under the library lock, flips it writable to store
    them, so a stray write to them faults instead of redirecting the handler.
    """
    global _installed
    consts: dict[int, int] = {}
    if meta_key is not None:
        consts[M_META] = meta_key
    if not _installed:
        consts[M_XOFF] = int(_pkru_xsave_offset())
    current = syscalls.sigaction(SIGNAL, None)
    if current.sa_sigaction == _handler.address:
        ARENA.write_mailbox_constants(consts)
        _installed = True
        return
    # Record what we chain to before our handler can run, then install it; if
    # the action changed in between, record what sigaction actually replaced.
    ARENA.write_mailbox_constants({**consts, **_chain_words(current)})
    flags = syscalls.SA_SIGINFO | syscalls.SA_RESTART
    old = syscalls.sigaction(SIGNAL, _handler.address, flags)
    ARENA.write_mailbox_constants(_chain_words(old))
    _installed = True


def _chain_words(action: syscalls.Sigaction) -> dict[int, int]:
    prev = action.sa_sigaction or 0
    if prev <= 1 or prev == _handler.address:  # SIG_DFL, SIG_IGN: not functions to call
        return {M_OLD_HANDLER: 0, M_OLD_SIGINFO: 0}
    return {M_OLD_HANDLER: prev, M_OLD_SIGINFO: int(bool(action.sa_flags & syscalls.SA_SIGINFO))}


def pkru_xsave_offset() -> int:
    return int(ARENA.mailbox[M_XOFF])


def post(mask: int, value: int) -> int:
    """Publish a request in the tables' header (one window); its number.
    The caller holds the library lock."""
    seq = int(WORDS[H_REQ_SEQ]) + 1
    WORDS[H_REQ_SEQ : H_REQ_VALUE + 1] = (seq, mask, value)
    return seq


@njit(cache=True)
def apply_here(mask, value):
    """The handler's edit, made by the requesting thread to its own PKRU
    (it needs no signal: it is not inside a switch, it holds the lock)."""
    A = arena_words()
    mask = _own_mask(A, slot_of(A, thread_pointer()), mask)
    if mask != 0:
        wrpkru(np.uint32((np.int64(rdpkru()) & ~mask) | (value & mask)))


class _Tasks:
    """This process's /proc/self/task, kept open: its link count is 2 plus the
    number of threads, so one fstat says whether anyone else must be told.
    Reopened in a fork child (the fd would still name the parent's)."""

    def __init__(self) -> None:
        self.pid = -1
        self.fd = -1

    def others(self) -> int:
        """How many threads besides the caller: fstat + getpid, 2 syscalls."""
        if self.pid != os.getpid():
            if self.fd >= 0:
                os.close(self.fd)
            self.fd = os.open("/proc/self/task", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self.pid = os.getpid()
        return os.fstat(self.fd).st_nlink - 3

    def tids(self) -> list[int]:
        return [int(t) for t in os.listdir(self.fd)]


_tasks = _Tasks()


@functools.cache
def _uid() -> int:
    return os.getuid()  # informational in our own siginfo: once is enough


def broadcast(mask: int, value: int, timeout: float = 5.0) -> int:
    """Give every thread of the process the PKRU bits ``value & mask`` (the
    keys on which a thread has a domain open keep that thread's bits), the
    caller included, before returning.

    The caller edits its own PKRU and is done if it is alone (no signal, no
    listing: 2 system calls); otherwise each other thread gets one signal and
    the caller sleeps on a futex the handlers wake.  The caller holds the
    library lock (one request at a time).  Returns the number of threads
    updated; raises :class:`SyncError` naming the threads that did not answer
    within ``timeout`` seconds.
    """
    M, A = ARENA.mailbox, ARENA.words
    value &= mask
    seq = post(mask, value)
    apply_here(mask, value)
    if _tasks.others() <= 0:
        return 1
    install()
    acks = M.ctypes.data + M_ACKS * 8
    pid, uid, me = _tasks.pid, _uid(), threading.get_native_id()
    handled: set[int] = {me}
    while True:
        tids = [t for t in _tasks.tids() if t not in handled]
        if not tids:
            return len(handled)
        if len(tids) > MAX_SYNC_THREADS:
            raise SandboxError(f"more than {MAX_SYNC_THREADS} threads to synchronise")
        M[M_DONE : M_DONE + len(tids)] = 0
        M[M_TIDS : M_TIDS + len(tids)] = tids
        M[M_NTIDS] = len(tids)
        acked = int(A[H_REQ_ACKS])
        alive = []
        for i, tid in enumerate(tids):
            if syscalls.tgsigqueue(tid, SIGNAL, _MAGIC, pid, uid):
                alive.append(i)
            else:
                M[M_DONE + i] = seq  # exited meanwhile
        deadline = time.monotonic() + timeout
        while True:
            seen = int(M[M_ACKS])  # read before checking: an ack after this wakes the futex
            missing = [i for i in alive if M[M_DONE + i] != seq]
            if not missing and A[H_REQ_ACKS] - acked >= len(alive):
                break  # (the mailbox's words alone could be forged; the count is not)
            left = deadline - time.monotonic()
            if left <= 0:
                live = [i for i in alive if os.path.exists(f"/proc/self/task/{tids[i]}")]
                if A[H_REQ_ACKS] - acked >= len(live):
                    break  # the threads that did not answer have exited
                # Unanswered, or answered only in the forgeable mailbox: name those still there.
                still = [tids[i] for i in live if i in missing] or [tids[i] for i in live]
                M[M_NTIDS] = 0
                raise SyncError([j for j in range(NKEYS) if mask >> (2 * j) & 3], still, timeout)
            syscalls.futex_wait(acks, seen, min(left, 0.05))
        M[M_NTIDS] = 0
        handled.update(tids)
