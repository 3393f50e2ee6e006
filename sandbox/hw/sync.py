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

A thread's own domain is a recorded one, or -- for a hit's domain, held in
PKRU alone (sandbox.switch) -- bits that differ from the default that thread
was last told (its T_SEEN, which the handler updates as it edits).  Such
threads keep their bits and are counted (H_REQ_BUSY): a request that
changes nothing is how the slow path asks whether a key is in use before it
takes it.  A thread stopped inside a hit's PKRU section is moved back to
the section's start (hw.sections), so the section re-reads what the edit
left instead of writing the old value back.
"""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
from numba import carray, types

from .. import _numba_cache
from .._numba_cache import cfunc, njit
from ..arena import (
    ARENA,
    E_ARG,
    E_KEY,
    E_VKEY,
    E_WORDS,
    H_HANDLED,
    H_META_KEY,
    H_REQ_ACKS,
    H_REQ_BUSY,
    H_REQ_FORCE,
    H_REQ_MASK,
    H_REQ_OLD,
    H_REQ_SEQ,
    H_REQ_VALUE,
    K_OWNER,
    K_PIN,
    K_STRIDE,
    KEYS_OFF,
    M_ACKS,
    M_DONE,
    M_META,
    M_NTIDS,
    M_OLD_HANDLER,
    M_OLD_SIGINFO,
    M_REFUSED,
    M_RESTART,
    M_REWINDS,
    M_TIDS,
    M_UNEDITABLE,
    M_XOFF,
    MAX_DEPTH,
    MAX_SYNC_THREADS,
    NKEYS,
    RESTART_PAIRS,
    T_DEPTH,
    T_OPEN,
    T_SEEN,
    T_SIGCOUNT,
    T_STACK,
    T_STRIDE,
    THREADS_OFF,
    arena_words,
    mailbox_words,
    slot_of,
)
from ..errors import OSCallError, SandboxError
from ..prot import PKRU_WD
from ..store import WORDS, close, open_window, with_bits
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
_UC_RIP = 168  # offsetof(ucontext_t, uc_mcontext.gregs[REG_RIP])
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


@njit(cache=True, inline="always")
def _record(A, s, j):
    """Record thread ``s``'s unrecorded domain on key ``j`` as the bottom
    entry of its stack (it is its outermost on j), before a request makes
    j's default equal its bits -- after which PKRU could not tell it is
    open.  Inside a window; a full stack leaves it unrecorded."""
    r = THREADS_OFF + s * T_STRIDE
    d = A[r + T_DEPTH]
    if d >= MAX_DEPTH:
        return
    for w in range(r + T_STACK + d * E_WORDS - 1, r + T_STACK - 1, -1):
        A[w + E_WORDS] = A[w]
    kb = KEYS_OFF + j * K_STRIDE
    A[r + T_STACK + E_VKEY] = A[kb + K_OWNER]
    A[r + T_STACK + E_KEY] = j
    A[r + T_STACK + E_ARG] = -1
    A[r + T_OPEN + j] += 1
    atomic_add(A, kb + K_PIN, 1)
    atomic_add(A, r + T_DEPTH, 1)


@njit(cache=True, inline="always")
def _beneath(A, s, j):
    """What thread ``s``'s deepest recorded domain on key ``j`` found there
    when it began: the bits of an unrecorded domain (held in PKRU alone),
    or -1 for the key's default."""
    r = THREADS_OFF + s * T_STRIDE
    for i in range(A[r + T_DEPTH]):
        e = r + T_STACK + i * E_WORDS
        if A[e + E_KEY] == j:
            return A[e + E_ARG]
    return -1


@njit(cache=True, inline="always")
def edit_pkru(A, s, pk, mask, value, old, force):
    """What a request (``mask``, ``value``, the keys' defaults before it:
    ``old``) makes of PKRU ``pk`` of thread record ``s`` (-1: none), and how
    many of the masked keys it has a domain on -- those keep its bits: a
    thread's own domain outranks the process-wide default.  A domain is a
    recorded one (T_OPEN) or, unless ``force``, bits that differ from the
    default the thread was last told (its T_SEEN; ``old`` for a thread
    without a record: sandbox.switch).  Tells it the new one, and records
    a domain whose bits the request makes the default: the caller has a
    window open."""
    busy = 0
    meta = A[H_META_KEY]
    for j in range(1, NKEYS):
        sh = 2 * j
        if not (mask >> sh) & 3:
            continue
        bits = (pk >> sh) & 3
        # (the tables' key is never anyone's domain: a request on it is
        # applied as it is, and the gate that writes it aborts)
        if s >= 0:  # what the thread was told last is the default it compares with
            r = THREADS_OFF + s * T_STRIDE
            was = (A[r + T_SEEN + j] >> sh) & 3
            A[r + T_SEEN + j] = value & (np.int64(3) << sh)
        else:
            was = (old >> sh) & 3
        if j != meta:
            recorded = s >= 0 and A[THREADS_OFF + s * T_STRIDE + T_OPEN + j] > 0
            if recorded:  # its recorded domains keep its bits; beneath them, maybe an unrecorded one
                outer = _beneath(A, s, j)
            else:
                outer = bits if not force and bits != was else -1
            if recorded or outer >= 0:
                busy += 1
                if s >= 0 and outer >= 0 and outer == (value >> sh) & 3:
                    _record(A, s, j)  # about to look like no domain at all
                continue
        pk = (pk & ~(np.int64(3) << sh)) | (value & (np.int64(3) << sh))
    return pk, busy


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
    if mask != 0:
        fp = carray(int_to_ptr(ptr_to_int(context) + _UC_FPREGS), (1,), np.int64)[0]
        if fp == 0:
            atomic_add(M, M_UNEDITABLE, 1)
            return
        magic = carray(int_to_ptr(fp + _FP_SW_MAGIC), (1,), np.uint32)[0]
        if magic != _FP_XSTATE_MAGIC1:
            atomic_add(M, M_UNEDITABLE, 1)
            return
        # A thread stopped inside a PKRU section resumes at its start, so
        # it re-reads the PKRU this edit leaves (hw.sections).
        rip = carray(int_to_ptr(ptr_to_int(context) + _UC_RIP), (1,), np.int64)
        for i in range(RESTART_PAIRS):
            start = M[M_RESTART + 2 * i]
            if start != 0 and start <= rip[0] <= M[M_RESTART + 2 * i + 1]:
                rip[0] = start
                atomic_add(M, M_REWINDS, 1)
        saved = carray(int_to_ptr(fp + M[M_XOFF]), (1,), np.uint32)
        pk, busy = edit_pkru(A, s, np.int64(saved[0]), mask, value, A[H_REQ_OLD], A[H_REQ_FORCE])
        saved[0] = np.uint32(pk)
        bv = carray(int_to_ptr(fp + _XSTATE_BV), (1,), np.uint64)
        bv[0] = bv[0] | np.uint64(1 << _XFEATURE_PKRU)
        if busy:
            atomic_add(A, H_REQ_BUSY, busy)
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


def post(mask: int, value: int, old: int | None = None, force: bool = False) -> int:
    """Publish a request in the tables' header; its number.  ``old``: the
    masked keys' defaults before it (default: ``value``, a probe that
    changes nothing); ``force``: override every unrecorded domain.  The
    caller holds the library lock."""
    seq = int(WORDS[H_REQ_SEQ]) + 1
    WORDS[H_REQ_OLD] = (value if old is None else old) & mask
    WORDS[H_REQ_FORCE] = int(force)
    WORDS[H_REQ_SEQ : H_REQ_VALUE + 1] = (seq, mask, value)
    return seq


@njit(cache=True)
def apply_here():
    """The handler's edit of the posted request, made by the requesting
    thread to its own PKRU (it needs no signal: it is not inside a switch,
    it holds the lock); how many masked keys it has a domain on."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    seen, pk = open_window(A, s)
    pk, busy = edit_pkru(A, s, pk, A[H_REQ_MASK], A[H_REQ_VALUE], A[H_REQ_OLD], A[H_REQ_FORCE])
    close(A, s, seen, pk)
    return busy


class _Tasks:
    """This process's /proc/self/task, kept open: its link count is 2 plus the
    number of threads, so one fstat says whether anyone else must be told.
    Reopened in a fork child (the fd would still name the parent's), with the
    siginfo every request sends (its pid), and whenever that fstat shows the
    number no longer names it (syscalls.KeptFile): an empty directory the
    program opened onto the number would say "nobody else", and revocations
    would stop reaching other threads.  The number is then the program's:
    left alone, and a new descriptor opened."""

    def __init__(self) -> None:
        self.pid = -1
        self.task: syscalls.KeptFile | None = None
        self.info = np.zeros(32, np.int32)  # a siginfo_t, 128 bytes

    @property
    def fd(self) -> int:
        return self.task.fd if self.task is not None else -1

    def others(self) -> int:
        """How many threads besides the caller: fstat + getpid, 2 syscalls."""
        if self.pid != os.getpid():
            if self.task is not None:
                self.task.close()  # (the parent's, inherited -- if still ours)
                self.task = None
            self.pid = os.getpid()
            # signo, errno, code, pad, pid, uid, value (lo, hi): ours, tagged
            self.info[:8] = (SIGNAL, 0, _SI_QUEUE, 0, self.pid, os.getuid(), _MAGIC, 0)
        st = self.task.stat() if self.task is not None else None
        if st is None:  # (first use, a fork child, or the old number is the program's now)
            fd = os.open("/proc/self/task", os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            self.task = syscalls.KeptFile(fd, "/proc/self/task")
            st = os.fstat(fd)
        return st.st_nlink - 3


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


def load_natives() -> None:
    """Load what a request to other threads runs natively (listing,
    signalling, waiting) before a request can need it.  Requests run under
    the library lock, and the first to need these is the first after a
    second thread appears: numba's load there -- a compile on a cold cache,
    seconds, minutes under emulation -- would stall every other thread's
    slow path behind the lock, and each forked child would pay it again."""
    tids, n = np.empty(1, np.int64), np.int64(0)
    _numba_cache.load(
        (
            (_list_new, (n, tids, n, _DIRENTS)),
            (_signal, (n, n, n, tids, n, n, _tasks.info)),
            (_await, (n, n, n, n, n)),
        )
    )


def broadcast(mask: int, value: int, timeout: float = 5.0, old: int | None = None, force: bool = False) -> int:
    """Give every thread of the process the PKRU bits ``value & mask``,
    except on the keys on which it has a domain open (recorded, or -- unless
    ``force`` -- bits that differ from ``old``, the keys' defaults before
    this request): those keep that thread's bits.  The caller included,
    before returning; with ``old`` = ``value`` the request is a probe that
    changes nothing.

    The caller edits its own PKRU and is done if it is alone (no signal, no
    listing: 2 system calls); otherwise each other thread gets one signal and
    the caller sleeps on a futex the handlers wake -- listing, signalling and
    waiting in native code, a constant number of system calls besides the
    signals.  Listing again until no new thread appears reaches threads
    created meanwhile.  The caller holds the library lock (one request at a
    time).  Returns how many (thread, key) pairs kept a domain; raises
    :class:`SyncError` naming the threads that did not answer within
    ``timeout`` seconds.
    """
    value &= mask
    seq = post(mask, value, old, force)
    busy = int(ARENA.words[H_REQ_BUSY])
    mine = int(apply_here())
    tell_others(mask, seq, timeout)
    return mine + int(ARENA.words[H_REQ_BUSY]) - busy


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
