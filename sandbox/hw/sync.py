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

import os
import signal
import threading

import numpy as np
from numba import carray, cfunc, njit, types

from ..arena import (
    ARENA,
    H_HANDLED,
    H_REQ_ACKS,
    H_REQ_MASK,
    H_REQ_SEQ,
    H_REQ_VALUE,
    M_ACKS,
    M_DONE,
    M_META,
    M_NTIDS,
    M_OLD_HANDLER,
    M_OLD_SIGINFO,
    M_REFUSED,
    M_TIDS,
    M_UNEDITABLE,
    M_XOFF,
    MAX_SYNC_THREADS,
    NKEYS,
    T_OPEN,
    T_SIGCOUNT,
    T_STRIDE,
    THREADS_OFF,
    arena_words,
    mailbox_words,
    slot_of,
)
from ..errors import OSCallError, SandboxError
from ..prot import PKRU_WD
from ..store import WORDS, with_bits
from . import syscalls
from .intrinsics import (
    SYS_FUTEX,
    SYS_GETDENTS64,
    SYS_LSEEK,
    SYS_RT_TGSIGQUEUEINFO,
    atomic_add,
    call_sigaction,
    cpuid_ebx,
    gettid,
    int_to_ptr,
    monotonic_ns,
    ptr_to_int,
    rdpkru,
    syscall3,
    syscall4,
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
_FUTEX_WAKE_PRIVATE = syscalls.FUTEX_WAKE_PRIVATE
_FUTEX_WAIT_PRIVATE = syscalls.FUTEX_WAIT_PRIVATE


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
def own_mask(A, s, mask):
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
        atomic_add(M, M_REFUSED, 1)
        return  # never a request that opens the tables: unacknowledged, the caller fails
    s = slot_of(A, thread_pointer())
    mask = own_mask(A, s, mask)
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
    atomic_add(A, THREADS_OFF + s * T_STRIDE + T_SIGCOUNT if s >= 0 else H_HANDLED, 1)
    tid = gettid()
    for i in range(M[M_NTIDS]):
        if M[M_TIDS + i] == tid:
            if M[M_DONE + i] != seq:
                atomic_add(A, H_REQ_ACKS, 1)
            M[M_DONE + i] = seq
            atomic_add(M, M_ACKS, 1)
            syscall3(SYS_FUTEX, np.int64(M.ctypes.data) + M_ACKS * 8, _FUTEX_WAKE_PRIVATE, 1)
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
    mask = own_mask(A, slot_of(A, thread_pointer()), mask)
    if mask != 0:
        wrpkru(np.uint32((np.int64(rdpkru()) & ~mask) | (value & mask)))


class _Tasks:
    """This process's /proc/self/task, kept open: its link count is 2 plus the
    number of threads, so one fstat says whether anyone else must be told.
    Reopened in a fork child (the fd would still name the parent's), with the
    siginfo every request sends (its pid)."""

    def __init__(self) -> None:
        self.pid = -1
        self.fd = -1
        self.info = np.zeros(32, np.int32)  # a siginfo_t, 128 bytes

    def others(self) -> int:
        """How many threads besides the caller: fstat + getpid, 2 syscalls."""
        if self.pid != os.getpid():
            if self.fd >= 0:
                os.close(self.fd)
            self.fd = os.open("/proc/self/task", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self.pid = os.getpid()
            # signo, errno, code, pad, pid, uid, value (lo, hi): ours, tagged
            self.info[:8] = (SIGNAL, 0, _SI_QUEUE, 0, self.pid, os.getuid(), _MAGIC, 0)
        return os.fstat(self.fd).st_nlink - 3


_tasks = _Tasks()
_DIRENTS = np.zeros(32768, np.uint8)  # getdents64 buffer (the lock holder's alone)
_E2BIG = 7
_ESRCH = 3


@njit(cache=True, nogil=True)
def _list_new(fd, tids, n, buf):
    """Append to ``tids[:n]`` the threads in /proc/self/task (``fd``) that it
    lacks; the new length, or -errno.  Raw getdents64: no Python per thread."""
    rc = syscall3(SYS_LSEEK, fd, 0, 0)
    if rc < 0:
        return rc
    while True:
        got = syscall3(SYS_GETDENTS64, fd, buf.ctypes.data, buf.size)
        if got <= 0:
            return n if got == 0 else got
        off = 0
        while off < got:  # struct linux_dirent64: ino, off, u16 reclen, u8 type, name
            end = off + (np.int64(buf[off + 16]) | (np.int64(buf[off + 17]) << 8))
            tid = 0
            i = off + 19
            while i < end and 48 <= buf[i] <= 57:
                tid = tid * 10 + np.int64(buf[i]) - 48
                i += 1
            off = end
            if tid <= 0 or buf[i] != 0:
                continue  # "." and ".."
            known = False
            for j in range(n):
                if tids[j] == tid:
                    known = True
                    break
            if not known:
                if n >= tids.size:
                    return -_E2BIG
                tids[n] = tid
                n += 1


@njit(cache=True, nogil=True)
def _signal(pid, signo, seq, tids, first, n, info):
    """List ``tids[first:n]`` in the mailbox for the handlers to answer and
    queue one signal to each (rt_tgsigqueueinfo with a prepared siginfo);
    how many were sent, or -errno.  A thread gone meanwhile counts as done."""
    M = mailbox_words()
    k = n - first
    for i in range(k):
        M[M_DONE + i] = 0
        M[M_TIDS + i] = tids[first + i]
    M[M_NTIDS] = k
    sent = 0
    for i in range(k):
        rc = syscall4(SYS_RT_TGSIGQUEUEINFO, pid, tids[first + i], signo, info.ctypes.data)
        if rc == 0:
            sent += 1
        elif rc == -_ESRCH:
            M[M_DONE + i] = seq
        else:
            return rc
    return sent


@njit(cache=True, nogil=True)
def _await(k, sent, seq, acked, timeout_ns):
    """Sleep on the acknowledgement futex until the ``k`` listed threads have
    answered request ``seq`` -- in the mailbox and, ``sent`` of them, in the
    tables' own count (the mailbox alone could be forged) -- or the deadline
    passes: 0, or how many are missing."""
    M = mailbox_words()
    A = arena_words()
    ts = np.zeros(2, np.int64)
    deadline = np.int64(-1)
    while True:
        seen = M[M_ACKS] & 0xFFFFFFFF  # read before checking: an ack after this wakes the futex
        missing = 0
        for i in range(k):
            if M[M_DONE + i] != seq:
                missing += 1
        if missing == 0 and A[H_REQ_ACKS] - acked >= sent:
            return 0
        now = monotonic_ns()
        if deadline < 0:
            deadline = now + timeout_ns
        left = deadline - now
        if left <= 0:
            return max(missing, 1)
        wait = min(left, 50_000_000)
        ts[0] = wait // 1_000_000_000
        ts[1] = wait % 1_000_000_000
        syscall4(SYS_FUTEX, M.ctypes.data + M_ACKS * 8, _FUTEX_WAIT_PRIVATE, seen, ts.ctypes.data)


def broadcast(mask: int, value: int, timeout: float = 5.0) -> int:
    """Give every thread of the process the PKRU bits ``value & mask`` (the
    keys on which a thread has a domain open keep that thread's bits), the
    caller included, before returning.

    The caller edits its own PKRU and is done if it is alone (no signal, no
    listing: 2 system calls); otherwise each other thread gets one signal and
    the caller sleeps on a futex the handlers wake -- listing, signalling and
    waiting in native code, a constant number of system calls besides the
    signals.  Listing again until no new thread appears reaches threads
    created meanwhile.  The caller holds the library lock (one request at a
    time).  Returns the number of threads updated; raises
    :class:`SyncError` naming the threads that did not answer within
    ``timeout`` seconds.
    """
    value &= mask
    seq = post(mask, value)
    apply_here(mask, value)
    return tell_others(mask, seq, timeout)


def tell_others(mask: int, seq: int, timeout: float = 5.0) -> int:
    """The other threads' half of :func:`broadcast`, for request ``seq``
    already posted (and applied by the caller to itself)."""
    if _tasks.others() <= 0:
        return 1
    install()
    tids = np.empty(MAX_SYNC_THREADS + 1, np.int64)
    tids[0] = threading.get_native_id()
    n = 1
    while True:
        first = n
        n = _list_new(_tasks.fd, tids, n, _DIRENTS)
        if n == -_E2BIG:
            raise SandboxError(f"more than {MAX_SYNC_THREADS} threads to synchronise")
        if n < 0:
            raise OSCallError("getdents64", -n, "/proc/self/task")
        if n == first:
            return n
        acked = int(ARENA.words[H_REQ_ACKS])
        sent = _signal(_tasks.pid, SIGNAL, seq, tids, first, n, _tasks.info)
        if sent < 0:
            raise OSCallError("rt_tgsigqueueinfo", -sent, f"signal {SIGNAL}")
        if _await(n - first, sent, seq, acked, int(timeout * 1e9)):
            _unanswered(mask, seq, acked, [int(t) for t in tids[first:n]], timeout)
        ARENA.mailbox[M_NTIDS] = 0


def _unanswered(mask: int, seq: int, acked: int, tids: list[int], timeout: float) -> None:
    """Past the deadline: fine if every thread that did not answer has
    exited since; else SyncError naming those still there."""
    M, A = ARENA.mailbox, ARENA.words
    live = [i for i, t in enumerate(tids) if os.path.exists(f"/proc/self/task/{t}")]
    if A[H_REQ_ACKS] - acked >= len(live):
        return
    # Unanswered, or answered only in the forgeable mailbox: name those still there.
    missing = [i for i in live if M[M_DONE + i] != seq]
    still = [tids[i] for i in (missing or live)]
    M[M_NTIDS] = 0
    raise SyncError([j for j in range(NKEYS) if mask >> (2 * j) & 3], still, timeout)
