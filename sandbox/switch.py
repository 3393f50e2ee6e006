"""The key switch: numba-compiled begin/end fast paths over the arena.

A *hit* (the vkey already owns a hardware key) never leaves native code: find
the key, pin it, push a domain record, rewrite this thread's PKRU.  Anything
else returns a status code and the caller takes the Python slow path
(sandbox.core), which loads keys, evicts, or falls back to page tables.  The
backend never needs a branch here: with zero hardware keys every lookup misses,
so RDPKRU/WRPKRU are never executed on a CPU that lacks them.

Protocol with the slow path (which holds the process lock):
- begin pins a key with an atomic add, then re-reads the owner; the slow path
  claims a key by CAS-ing its pin count from 0 to PIN_CLAIMED before changing
  the owner.  A begin that raced with a claim sees a negative count or a new
  owner, unpins and reports a miss.
- The slow path sets a key's owner only after the owner's pages are tagged,
  and clears it before untagging, so a hit always finds its pages keyed.

Protocol with the PKRU sync (sandbox.hw.sync):
- The arena is write-disabled (its key's WD bit) in every thread; a switch
  opens it with its first WRPKRU (the open gate) and closes it with its last
  (the checked close gate; see hw.intrinsics).
- RDPKRU..WRPKRU is not atomic against the sync signal, whose handler edits
  the PKRU the thread resumes with.  The handler counts itself in the
  thread's mailbox word; a switch that sees the count move re-derives every
  key it has no domain on from the key table (sandbox.store.fixup) before returning.
"""

from __future__ import annotations

import llvmlite.binding as _llvm
import numpy as np
from numba import cfunc, njit

from . import domainstack as stack
from .arena import (
    E_ARG,
    E_KEY,
    E_VKEY,
    E_WORDS,
    H_META_KEY,
    H_NATIVE_PAGES,
    H_REQ_MASK,
    H_REQ_SEQ,
    H_REQ_VALUE,
    K_DEFAULT,
    K_OWNER,
    K_PIN,
    K_RIGHTS,
    K_STAMP,
    K_STRIDE,
    KEYS_OFF,
    MAX_DEPTH,
    NKEYS,
    NTHREADS,
    T_DEPTH,
    T_HITS,
    T_OPEN,
    T_SIGCOUNT,
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
    slot_of,
)
from .hw.intrinsics import atomic_add, rdpkru, rdtsc, thread_pointer, wrpkru, wrpkru_open
from .hw.sync import own_mask
from .pagedomain import DONE, G_KEY, G_PROT, G_VKEY, group_of, page_begin, page_end
from .store import close, commit, fixup, open_window, with_bits

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


@njit(cache=True)
def fast_begin(vkey, prot):
    """Open a domain on a cached vkey for this thread; OK or why not."""
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
        if A[H_NATIVE_PAGES] and page_begin(A, s, vkey, prot) == DONE:
            return OK
        return MISS
    r = THREADS_OFF + s * T_STRIDE
    seen = A[r + T_SIGCOUNT]
    pk = np.int64(rdpkru())
    wrpkru_open()  # the tables are writable from here ...
    kb = KEYS_OFF + k * K_STRIDE
    d = A[r + T_DEPTH]
    status = OK
    if atomic_add(A, kb + K_PIN, 1) < 0 or A[kb + K_OWNER] != vkey:
        status = MISS
    elif (prot & 4) and not (A[kb + K_RIGHTS] & 4):
        status = BAD_EXEC
    elif d >= MAX_DEPTH:
        status = TOO_DEEP
    if status != OK:
        atomic_add(A, kb + K_PIN, -1)
        close(A, s, seen, pk)
        return status
    e = r + T_STACK + d * E_WORDS
    A[e + E_VKEY] = vkey
    A[e + E_KEY] = k
    # outermost (-1): end() restores the key's default as it is *then*
    A[e + E_ARG] = (pk >> (2 * k)) & 3 if A[r + T_OPEN + k] > 0 else -1
    A[r + T_OPEN + k] += 1
    atomic_add(A, r + T_DEPTH, 1)
    A[kb + K_STAMP] = rdtsc()  # LRU stamp: no counter shared by every switching thread
    A[r + T_HITS] += 1
    close(A, s, seen, with_bits(pk, k, pkru_bits(prot)))  # ... to here
    return OK


@njit(cache=True)
def fast_end(vkey):
    """Close this thread's innermost domain on vkey if it is a hardware one."""
    A = arena_words()
    s = slot_of(A, thread_pointer())
    if s < 0:
        return NO_DOMAIN
    r = THREADS_OFF + s * T_STRIDE
    i = stack.find(A, r, vkey, A[r + T_DEPTH])
    if i < 0:
        return NO_DOMAIN
    e = r + T_STACK + i * E_WORDS
    k = A[e + E_KEY]
    if k < 0:
        if A[H_NATIVE_PAGES] and page_end(A, s, i, vkey) == DONE:
            return OK
        return PAGE_DOMAIN
    prev = A[e + E_ARG]
    seen = A[r + T_SIGCOUNT]
    pk = np.int64(rdpkru())
    wrpkru_open()
    stack.remove(A, r, i)
    A[r + T_OPEN + k] -= 1
    kb = KEYS_OFF + k * K_STRIDE
    atomic_add(A, kb + K_PIN, -1)
    close(A, s, seen, with_bits(pk, k, prev if prev >= 0 else A[kb + K_DEFAULT]))
    return OK


# C-ABI copies of the two hot entry points, bound to link-time symbols so that
# sandbox.nb (users' @njit code) calls them instead of inlining them: every
# WRPKRU in the process then lives in a few registered functions
# (sandbox.gates), never in user code.
FAST_BEGIN_SYMBOL = "libmpk_py_fast_begin_v1"
FAST_END_SYMBOL = "libmpk_py_fast_end_v1"
c_fast_begin = cfunc("int64(int64, int64)", cache=True)(fast_begin.py_func)
c_fast_end = cfunc("int64(int64)", cache=True)(fast_end.py_func)
_llvm.add_symbol(FAST_BEGIN_SYMBOL, c_fast_begin.address)
_llvm.add_symbol(FAST_END_SYMBOL, c_fast_end.address)


# --- slow-path helpers (called with the process lock held; each store is in
# a window of its own: sandbox.store) -----------------------------------------


@njit(cache=True)
def reset_rights():
    """Give this thread every key's default bits, as if it had no domain open:
    for threads that inherited a creator's domains at clone()."""
    fixup(arena_words(), -1)


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
        A[kb + K_DEFAULT] = bits
        seq = A[H_REQ_SEQ] + 1
        A[H_REQ_MASK] = np.int64(3) << (2 * k)
        A[H_REQ_VALUE] = np.int64(bits) << (2 * k)
        A[H_REQ_SEQ] = seq
        m = own_mask(A, s, A[H_REQ_MASK])  # the caller's own domain on k outranks the default
        pk = (pk & ~m) | (A[H_REQ_VALUE] & m)
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
