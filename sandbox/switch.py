"""The key switch: numba-compiled begin/end over the arena.

A *hit* (the vkey already owns a hardware key) never leaves native code and
stores nothing into the tables: an outermost domain on a key lives in this
thread's PKRU alone -- the key's bits differ from its default -- so begin
and end are one WRPKRU each, in the restartable sections of hw.sections.
No lock, no atomic, no shared cache line written: the hit count and LRU
stamp go to this thread's own line of the mailbox.

Everything else is a *recorded* domain, pushed on the thread's domain stack
in the tables (through a window, under the library lock's native half): a
domain nested in another on the same key, one whose bits are the key's
default (PKRU could not tell it is open), or one on an evicted vkey (a
page-table domain).  A key with a recorded domain has it counted in
``T_OPEN``, and only recorded domains pin keys (``K_PIN``).  Anything the
native code cannot finish returns a status; the caller takes the Python
slow path (sandbox.core): loads, evictions, page tables, errors.

Invariants, kept here and in hw.sync:
- A thread has an unrecorded domain on key k iff k's bits in its PKRU
  differ from K_DEFAULT[k] and ``T_OPEN[k] == 0``; it is the thread's
  outermost domain on k (begin takes the recorded path when T_OPEN[k] > 0
  or the bits already differ).  Threads cloned inside a domain look the
  same; registration resets them (reset_rights).
- The slow path takes a key from its owner only after claiming it
  (K_PIN 0 -> PIN_CLAIMED: no recorded domain) and a sync round in which
  no thread reports bits that differ from the default (hw.sync's busy
  count: no unrecorded domain).  A begin that found the key re-reads the
  owner and the claim *after* its WRPKRU: either the round saw its bits,
  or the begin sees the claim and undoes its bits -- it never keeps rights
  on a key that changes hands.
- A sync request that makes a key's default equal to a thread's
  unrecorded bits records that domain first (hw.sync), so it stays open.
- Windows (recorded domains, the slow paths) are opened only by a holder
  of the library lock, and requests are posted only under it: no sync
  signal lands in a window but a late one (after a timeout).
"""

from __future__ import annotations

import numpy as np

from . import domainstack as stack
from ._numba_cache import cfunc, njit
from .arena import (
    ARENA,
    E_ARG,
    E_KEY,
    E_VKEY,
    E_WORDS,
    H_META_KEY,
    H_NATIVE_PAGES,
    H_REQ_FORCE,
    H_REQ_MASK,
    H_REQ_OLD,
    H_REQ_SEQ,
    H_REQ_VALUE,
    K_DEFAULT,
    K_ONE,
    K_OWNER,
    K_PIN,
    K_RIGHTS,
    K_STRIDE,
    KEYS_OFF,
    L_HITS,
    L_STRIDE,
    M_LOCAL,
    M_RESTART,
    MAILBOX_SYMBOL,
    MAX_DEPTH,
    NKEYS,
    NTHREADS,
    RESTART_PAIRS,
    T_DEPTH,
    T_OPEN,
    T_SEEN,
    T_STACK,
    T_STRIDE,
    T_TCB,
    T_TID,
    THREADS_OFF,
    TOMBSTONE,
    VHINT_MASK,
    VHINT_OFF,
    arena_words,
    hash_slot,
    mailbox_words,
    slot_of,
)
from .arena import (
    SYMBOL as TABLES_SYMBOL,
)
from .hw import sections, symbols  # noqa: F401  (registers the sections' symbols before any switch links)
from .hw.intrinsics import atomic_add, pkru_enter, pkru_leave, rdpkru, rdtsc, thread_pointer, wrpkru
from .hw.sync import edit_pkru
from .pagedomain import DONE, G_KEY, G_PROT, G_VKEY, group_of, lock_held_try, page_begin, page_end, unlock
from .store import close, commit, fixup, open_window, tables_readable, with_bits

# Status codes shared with sandbox.core.
OK = 0
MISS = 1  # vkey holds no hardware key (or it is being reassigned)
NO_THREAD = 2  # this thread has no record yet
BAD_VKEY = 3
BAD_PROT = 4
BAD_EXEC = 5  # a domain cannot add PROT_EXEC
TOO_DEEP = 6
NO_DOMAIN = 7  # end() without a matching begin() in this thread
PAGE_DOMAIN = 8  # the matching domain is a page-table one: slow path ends it
STORE_FAILED = 9  # the tables' file refused a store (the fallback's only way in)
BUSY = 10  # a recorded domain needs the library lock, and it is taken: slow path

_SLOT_MASK = NTHREADS - 1


@njit(cache=True, inline="always")
def pkru_bits(prot):
    """PROT_* bits -> the 2-bit PKRU field (AD=1, WD=2); write implies read."""
    if prot & 2:
        return 0
    if prot & 1:
        return 2
    return 3


@njit(cache=True, inline="always")
def _find_key(A, vkey):
    h = VHINT_OFF + 2 * (vkey & VHINT_MASK)
    if A[h] == vkey:
        k = A[h + 1]
        if 0 < k < NKEYS and A[KEYS_OFF + k * K_STRIDE + K_OWNER] == vkey:
            return k
    for k in range(1, NKEYS):
        if A[KEYS_OFF + k * K_STRIDE + K_OWNER] == vkey:
            return k
    return -1


@njit(cache=True, inline="always")
def _stamp(s, k):
    """This thread's hit count and its LRU stamp of key k: its own line."""
    M = mailbox_words()
    h = M_LOCAL + s * L_STRIDE
    M[h + L_HITS] += 1
    M[h + k] = rdtsc()


@njit(cache=True, inline="always")
def _push_key(A, s, vkey, k, prot):
    """Push a recorded domain on key ``k`` (the caller holds the lock)."""
    r = THREADS_OFF + s * T_STRIDE
    kb = KEYS_OFF + k * K_STRIDE
    d = A[r + T_DEPTH]
    if d >= MAX_DEPTH:
        return TOO_DEEP
    seen, pk = open_window(A, s)
    status = OK
    if atomic_add(A, kb + K_PIN, 1) < 0 or A[kb + K_OWNER] != vkey:
        atomic_add(A, kb + K_PIN, -1)
        status = MISS
    else:
        cur = (pk >> (2 * k)) & 3
        e = r + T_STACK + d * E_WORDS
        A[e + E_VKEY] = vkey
        A[e + E_KEY] = k
        # -1 (outermost): end() restores the key's default as it is *then*;
        # else the bits of the domain this one nests in (maybe an unrecorded one)
        unrecorded = cur << (2 * k) != A[r + T_SEEN + k]
        A[e + E_ARG] = cur if A[r + T_OPEN + k] > 0 or unrecorded else -1
        A[r + T_OPEN + k] += 1
        atomic_add(A, r + T_DEPTH, 1)
        pk = with_bits(pk, k, pkru_bits(prot))
    close(A, s, seen, pk)
    return status


@njit(cache=True, inline="always")
def _pop_key(A, s, vkey):
    """Pop this thread's innermost recorded domain on ``vkey`` if it is a
    hardware-key one (the caller holds the lock)."""
    r = THREADS_OFF + s * T_STRIDE
    i = stack.find(A, r, vkey, A[r + T_DEPTH])
    if i < 0:
        return NO_DOMAIN
    e = r + T_STACK + i * E_WORDS
    k = A[e + E_KEY]
    if k < 0:
        return PAGE_DOMAIN
    prev = A[e + E_ARG]
    kb = KEYS_OFF + k * K_STRIDE
    seen, pk = open_window(A, s)
    stack.remove(A, r, i)
    A[r + T_OPEN + k] -= 1
    atomic_add(A, kb + K_PIN, -1)
    close(A, s, seen, with_bits(pk, k, prev if prev >= 0 else A[kb + K_DEFAULT]))
    return OK


@njit(cache=True, inline="always")
def _begin(vkey, prot, locked):
    if vkey < 0:
        return BAD_VKEY
    if prot & ~7:
        return BAD_PROT
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if s < 0:
        return NO_THREAD
    k = _find_key(A, vkey)
    if k < 0:
        if not locked and A[H_NATIVE_PAGES] and page_begin(A, s, vkey, prot) == DONE:
            return OK
        return MISS
    kb = KEYS_OFF + k * K_STRIDE
    if (prot & 4) and not (A[kb + K_RIGHTS] & 4):
        return BAD_EXEC
    r = THREADS_OFF + s * T_STRIDE
    sh = 2 * k
    if A[r + T_OPEN + k] == 0:
        seen = A.ctypes.data + 8 * (r + T_SEEN + k)
        if pkru_enter(seen, np.int64(3) << sh, np.int64(pkru_bits(prot)) << sh) == 0:
            # after the WRPKRU: is the key still this vkey's, and unclaimed?
            if A[kb + K_OWNER] == vkey and A[kb + K_PIN] >= 0:
                _stamp(s, k)
                return OK
            pkru_leave(seen, np.int64(3) << sh)
            return MISS
    if not locked and not lock_held_try():
        return BUSY
    status = _push_key(A, s, vkey, k, prot)
    if not locked:
        unlock()
    if status == OK:
        _stamp(s, k)
    return status


@njit(cache=True, inline="always")
def _end(vkey, locked):
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if s < 0:
        return NO_DOMAIN
    r = THREADS_OFF + s * T_STRIDE
    k = _find_key(A, vkey)
    if k >= 0 and A[r + T_OPEN + k] == 0:
        if pkru_leave(A.ctypes.data + 8 * (r + T_SEEN + k), np.int64(3) << (2 * k)) == 0:
            return OK
        if A[r + T_OPEN + k] == 0:  # (a sync request may have just recorded it)
            # no domain -- unless a request is on its way: decide under the
            # lock, which its sender holds until every thread has it
            return NO_DOMAIN if locked else BUSY
    i = stack.find(A, r, vkey, A[r + T_DEPTH])
    if i < 0:
        return NO_DOMAIN
    if A[r + T_STACK + i * E_WORDS + E_KEY] < 0:
        if not locked and A[H_NATIVE_PAGES] and page_end(A, s, i, vkey) == DONE:
            return OK
        return PAGE_DOMAIN
    if not locked and not lock_held_try():
        return BUSY
    status = _pop_key(A, s, vkey)
    if not locked:
        unlock()
    return status


@njit(cache=True)
def fast_begin(vkey, prot):
    """Open a domain on a cached vkey for this thread; OK or why not."""
    return _begin(vkey, prot, False)


@njit(cache=True)
def fast_end(vkey):
    """Close this thread's innermost domain on vkey if native code can."""
    return _end(vkey, False)


@njit(cache=True)
def begin_locked(vkey, prot):
    """fast_begin for the slow path, which holds the library lock."""
    return _begin(vkey, prot, True)


@njit(cache=True)
def end_locked(vkey):
    """fast_end for the slow path, which holds the library lock."""
    return _end(vkey, True)


# C-ABI copies of the two functions, bound to link-time symbols: the
# assembled hit entry points below fall back to them.  Users' @njit code
# (sandbox.nb) calls those entry points rather than inlining anything: every
# WRPKRU in the process then lives in a few registered functions
# (sandbox.gates), never in user code.
FAST_BEGIN_SYMBOL = "libmpk_py_fast_begin_v1"
FAST_END_SYMBOL = "libmpk_py_fast_end_v1"
c_fast_begin = cfunc("int64(int64, int64)", cache=True)(fast_begin.py_func)
c_fast_end = cfunc("int64(int64)", cache=True)(fast_end.py_func)
symbols.bind(FAST_BEGIN_SYMBOL, c_fast_begin.address)
symbols.bind(FAST_END_SYMBOL, c_fast_end.address)

# The hit entry points users' @njit code calls (sandbox.nb): the hit path in
# assembly (hw.sections), falling back to the two functions above.
BEGIN_SYMBOL = "libmpk_py_begin_v2"
END_SYMBOL = "libmpk_py_end_v2"
assert T_STRIDE == 256 and K_STRIDE == 8 and L_STRIDE == 16 and NTHREADS == 1024 and VHINT_MASK == 63
_LAYOUT = {
    "tables": TABLES_SYMBOL,
    "mailbox_local": f"{MAILBOX_SYMBOL}+{8 * M_LOCAL}",
    "hash_mul": 0x9E3779B97F4A7C15,
    "hash_shift": 54,  # arena.hash_slot: the top 10 bits
    "t_shift": 11,  # a record's bytes: T_STRIDE * 8
    "t_tcb": 8 * (THREADS_OFF + T_TCB),
    "t_open": 8 * (THREADS_OFF + T_OPEN),
    "t_seen": 8 * (THREADS_OFF + T_SEEN),
    "line_shift": 4,  # a record's bytes (2**11) -> its mailbox line's (L_STRIDE * 8 = 2**7)
    "keys": 8 * KEYS_OFF,
    "k_rights": 8 * K_RIGHTS,
    "k_one": 8 * K_ONE,
    "k_pin": 8 * K_PIN,
    "vhint": 8 * VHINT_OFF,
    "vhint_mask": VHINT_MASK,
    "key_mask": NKEYS - 1,  # keys in the hint are < NKEYS; masked anyway: no index leaves the key table
    "k_owner": 8 * K_OWNER,
}
hit_begin, hit_end = sections.compile_entries((BEGIN_SYMBOL, END_SYMBOL), (FAST_BEGIN_SYMBOL, FAST_END_SYMBOL), _LAYOUT)
# where the sync handler rewinds a thread (hw.sync), in the read-only constants page
_ranges = sections.restart_ranges()
assert len(_ranges) <= RESTART_PAIRS
ARENA.write_mailbox_constants({M_RESTART + 2 * i + j: r[j] for i, r in enumerate(_ranges) for j in (0, 1)})


# --- slow-path helpers (called with the process lock held; each store is in
# a window of its own: sandbox.store) -----------------------------------------


@njit(cache=True)
def reset_rights():
    """Give this thread every key's default bits, as if it had no domain open
    but those in its record (a new thread has none): for threads that
    inherited a creator's domains at clone(), or the kernel's initial PKRU
    (every key but 0 access-disabled: a thread born before init may not even
    read the tables yet)."""
    tables_readable()
    A = arena_words()
    fixup(A, slot_of(A, thread_pointer()))


@njit(cache=True)
def register_thread(tid):
    """Find or create this thread's record; its slot, or -1 if the table is
    full (the caller holds the lock)."""
    A = arena_words()
    tp = thread_pointer()
    while True:
        h = hash_slot(tp)
        target = -1
        for i in range(NTHREADS):
            s = (h + i) & _SLOT_MASK
            t = A[THREADS_OFF + s * T_STRIDE + T_TCB]
            if t == tp:
                return s
            if t == TOMBSTONE and target < 0:
                target = s
            if t == 0:
                if target < 0:
                    target = s
                break
        if target < 0:
            return -1
        r = THREADS_OFF + target * T_STRIDE
        seen = A[r + T_TCB]
        if seen != 0 and seen != TOMBSTONE:
            continue
        # T_TID first: whoever sees the thread pointer sees its tid
        R = np.empty(2, np.int64)
        R[0] = tid
        R[1] = tp
        if commit(A, -1, A.ctypes.data + 8 * (r + T_TID), R, 1) != 0:
            return -1
        S = np.empty(NKEYS, np.int64)  # the defaults as they are now: what reset_rights gives it
        for j in range(NKEYS):
            S[j] = A[KEYS_OFF + j * K_STRIDE + K_DEFAULT] << (2 * j)
        if commit(A, -1, A.ctypes.data + 8 * (r + T_SEEN), S, NKEYS) != 0:
            return -1
        if commit(A, -1, A.ctypes.data + 8 * (r + T_TCB), R[1:], 1) != 0:
            return -1
        return target


@njit(cache=True)
def set_key_rights(vkey, prot, bits, force):
    """``sandbox.mprotect`` of a vkey that holds a hardware key, in one window:
    the group's and the key's protection, the key's default bits and -- when
    they change, or ``force`` -- the sync request, which this thread applies
    to itself in the closing gate (unless it has a domain on the key).  The
    request's number, for the other threads; 0: nobody needs telling; -1:
    not such a vkey, or an exec change (the slow path's).  Caller holds the lock."""
    A = arena_words()
    G, g = group_of(A, vkey)
    if g < 0 or G[g + G_VKEY] != vkey or (G[g + G_PROT] ^ prot) & 4 or A[H_META_KEY] <= 0:
        return -1
    k = G[g + G_KEY]
    if k <= 0 or k >= NKEYS or A[KEYS_OFF + k * K_STRIDE + K_OWNER] != vkey:
        return -1
    kb = KEYS_OFF + k * K_STRIDE
    s = slot_of(A, thread_pointer())
    seen, pk = open_window(A, s)
    G[g + G_PROT] = prot
    A[kb + K_RIGHTS] = prot
    seq = 0
    if force or A[kb + K_DEFAULT] != bits:
        A[H_REQ_OLD] = A[kb + K_DEFAULT] << (2 * k)
        A[H_REQ_FORCE] = force
        A[kb + K_DEFAULT] = bits
        seq = A[H_REQ_SEQ] + 1
        A[H_REQ_MASK] = np.int64(3) << (2 * k)
        A[H_REQ_VALUE] = np.int64(bits) << (2 * k)
        A[H_REQ_SEQ] = seq
        # the caller's own domain on k outranks the default
        pk, _ = edit_pkru(A, s, pk, A[H_REQ_MASK], A[H_REQ_VALUE], A[H_REQ_OLD], force)
    close(A, s, seen, pk)
    return seq


@njit(cache=True)
def push_page_domain(vkey, prot):
    """Record a page-table domain (the vkey is evicted) on this thread's stack."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if s < 0:
        return NO_THREAD
    r = THREADS_OFF + s * T_STRIDE
    d = A[r + T_DEPTH]
    if d >= MAX_DEPTH:
        return TOO_DEEP
    R = stack.copy_record(A, r, d + 1)
    stack.push_page(R, 0, vkey, prot)
    return OK if stack.store_record(A, s, r, R, commit) == 0 else STORE_FAILED


@njit(cache=True)
def innermost_page_domain(vkey):
    """Prot of this thread's innermost page-table domain on vkey, or -1."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if s < 0:
        return -1
    r = THREADS_OFF + s * T_STRIDE
    return stack.page_prot(A, r, stack.find(A, r, vkey, A[r + T_DEPTH]))


@njit(cache=True)
def pop_page_domain(vkey):
    """Remove this thread's innermost page-table domain on vkey; its prot,
    -1 if there is none, -2 if the store failed."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if s < 0:
        return -1
    r = THREADS_OFF + s * T_STRIDE
    d = A[r + T_DEPTH]
    i = stack.find(A, r, vkey, d)
    prot = stack.page_prot(A, r, i)
    if prot >= 0:
        R = stack.copy_record(A, r, d)
        stack.remove(R, 0, i)
        if stack.store_record(A, s, r, R, commit) != 0:
            return -2
    return prot


@njit(cache=True)
def read_pkru():
    """This thread's PKRU.  Only call where the CPU has PKU."""
    return np.int64(rdpkru())


@njit(cache=True)
def write_pkru(value):
    """Replace this thread's PKRU.  Only call where the CPU has PKU."""
    wrpkru(np.uint32(value))
