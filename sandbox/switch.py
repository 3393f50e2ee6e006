"""The key switch: numba-compiled begin/end fast paths over the arena.

A *hit* (the vkey already owns a hardware key) never leaves native code: find
the key, pin it, push a domain record, rewrite this thread's PKRU.  Anything
else returns a status code and the caller takes the Python slow path
(sandbox.core), which loads keys, evicts, or falls back to page tables.  The
backend never needs a branch here: with zero hardware keys every lookup misses,
so RDPKRU/WRPKRU are never executed on a CPU that lacks them.

Lock-free protocol with the slow path (which holds the process lock):
- begin pins a key with an atomic add, then re-reads the owner; the slow path
  claims a key by CAS-ing its pin count from 0 to PIN_CLAIMED before changing
  the owner.  A begin that raced with a claim sees a negative count or a new
  owner, unpins and reports a miss.
- The slow path sets a key's owner only after the owner's pages are tagged,
  and clears it before untagging, so a hit always finds its pages keyed.
"""

from __future__ import annotations

import numpy as np
from numba import carray, njit

from .arena import (
    E_ARG,
    E_KEY,
    E_VKEY,
    E_WORDS,
    H_CLOCK,
    K_OWNER,
    K_PIN,
    K_RIGHTS,
    K_STAMP,
    K_STRIDE,
    KEYS_OFF,
    MAX_DEPTH,
    NKEYS,
    NTHREADS,
    SYMBOL,
    T_DEPTH,
    T_HITS,
    T_INSWITCH,
    T_OPEN,
    T_STACK,
    T_STRIDE,
    T_TCB,
    T_TID,
    THREADS_OFF,
    TOMBSTONE,
    TOTAL_WORDS,
)
from .hw.intrinsics import atomic_add, atomic_cas, extern_address, rdpkru, thread_pointer, wrpkru

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

_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)
_SLOT_MASK = NTHREADS - 1


@njit(cache=True, inline="always")
def _arena():
    return carray(extern_address(SYMBOL), (TOTAL_WORDS,), np.int64)


@njit(cache=True, inline="always")
def pkru_bits(prot):
    """PROT_* bits -> the 2-bit PKRU field (AD=1, WD=2); write implies read."""
    if prot & 2:
        return 0
    if prot & 1:
        return 2
    return 3


@njit(cache=True, inline="always")
def _hash_slot(tp):
    return np.int64((np.uint64(tp) * _HASH_MUL) >> np.uint64(54)) & _SLOT_MASK


@njit(cache=True)
def _slot(A, tp):
    h = _hash_slot(tp)
    for i in range(NTHREADS):
        s = (h + i) & _SLOT_MASK
        t = A[THREADS_OFF + s * T_STRIDE + T_TCB]
        if t == tp:
            return s
        if t == 0:
            return -1
    return -1


@njit(cache=True)
def _find_key(A, vkey):
    for k in range(1, NKEYS):
        if A[KEYS_OFF + k * K_STRIDE + K_OWNER] == vkey:
            return k
    return -1


@njit(cache=True, inline="always")
def _set_bits(A, r, k, bits):
    """Rewrite key k's two PKRU bits in this thread, flagged as in-switch."""
    A[r + T_INSWITCH] = 1
    pk = np.int64(rdpkru())
    sh = 2 * k
    wrpkru(np.uint32((pk & ~(np.int64(3) << sh)) | (np.int64(bits) << sh)))
    A[r + T_INSWITCH] = 0


@njit(cache=True)
def fast_begin(vkey, prot):
    """Open a domain on a cached vkey for this thread; OK or why not."""
    if vkey < 0:
        return BAD_VKEY
    if prot & ~7:
        return BAD_PROT
    A = _arena()
    s = _slot(A, thread_pointer())
    if s < 0:
        return NO_THREAD
    k = _find_key(A, vkey)
    if k < 0:
        return MISS
    kb = KEYS_OFF + k * K_STRIDE
    if atomic_add(A, kb + K_PIN, 1) < 0 or A[kb + K_OWNER] != vkey:
        atomic_add(A, kb + K_PIN, -1)
        return MISS
    if (prot & 4) and not (A[kb + K_RIGHTS] & 4):
        atomic_add(A, kb + K_PIN, -1)
        return BAD_EXEC
    r = THREADS_OFF + s * T_STRIDE
    d = A[r + T_DEPTH]
    if d >= MAX_DEPTH:
        atomic_add(A, kb + K_PIN, -1)
        return TOO_DEEP
    e = r + T_STACK + d * E_WORDS
    A[e + E_VKEY] = vkey
    A[e + E_KEY] = k
    if A[r + T_OPEN + k] > 0:
        A[e + E_ARG] = (np.int64(rdpkru()) >> (2 * k)) & 3
    else:
        A[e + E_ARG] = -1  # outermost: end() restores the key's current default
    A[r + T_OPEN + k] += 1
    atomic_add(A, r + T_DEPTH, 1)
    _set_bits(A, r, k, pkru_bits(prot))
    A[kb + K_STAMP] = atomic_add(A, H_CLOCK, 1)
    A[r + T_HITS] += 1
    return OK


@njit(cache=True)
def _find_entry(A, r, vkey):
    i = A[r + T_DEPTH] - 1
    while i >= 0 and A[r + T_STACK + i * E_WORDS + E_VKEY] != vkey:
        i -= 1
    return i


@njit(cache=True)
def _remove_entry(A, r, i):
    d = A[r + T_DEPTH]
    for j in range(r + T_STACK + i * E_WORDS, r + T_STACK + (d - 1) * E_WORDS):
        A[j] = A[j + E_WORDS]
    atomic_add(A, r + T_DEPTH, -1)


@njit(cache=True)
def fast_end(vkey):
    """Close this thread's innermost domain on vkey if it is a hardware one."""
    A = _arena()
    s = _slot(A, thread_pointer())
    if s < 0:
        return NO_DOMAIN
    r = THREADS_OFF + s * T_STRIDE
    i = _find_entry(A, r, vkey)
    if i < 0:
        return NO_DOMAIN
    e = r + T_STACK + i * E_WORDS
    k = A[e + E_KEY]
    if k < 0:
        return PAGE_DOMAIN
    prev = A[e + E_ARG]
    _remove_entry(A, r, i)
    A[r + T_OPEN + k] -= 1
    kb = KEYS_OFF + k * K_STRIDE
    _set_bits(A, r, k, prev if prev >= 0 else pkru_bits(A[kb + K_RIGHTS]))
    atomic_add(A, kb + K_PIN, -1)
    return OK


# --- slow-path helpers (called with the process lock held) ---------------


@njit(cache=True)
def register_thread(tid):
    """Find or create this thread's record; its slot, or -1 if the table is full."""
    A = _arena()
    tp = thread_pointer()
    while True:
        h = _hash_slot(tp)
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
        if atomic_cas(A, r + T_TCB, seen, tp) == seen:
            A[r + T_TID] = tid
            return target


@njit(cache=True)
def push_page_domain(vkey, prot):
    """Record a page-table domain (the vkey is evicted) on this thread's stack."""
    A = _arena()
    s = _slot(A, thread_pointer())
    if s < 0:
        return NO_THREAD
    r = THREADS_OFF + s * T_STRIDE
    d = A[r + T_DEPTH]
    if d >= MAX_DEPTH:
        return TOO_DEEP
    e = r + T_STACK + d * E_WORDS
    A[e + E_VKEY] = vkey
    A[e + E_KEY] = -1
    A[e + E_ARG] = prot
    atomic_add(A, r + T_DEPTH, 1)
    return OK


@njit(cache=True)
def pop_page_domain(vkey):
    """Remove this thread's innermost page-table domain on vkey; its prot or -1."""
    A = _arena()
    s = _slot(A, thread_pointer())
    if s < 0:
        return -1
    r = THREADS_OFF + s * T_STRIDE
    i = _find_entry(A, r, vkey)
    if i < 0 or A[r + T_STACK + i * E_WORDS + E_KEY] >= 0:
        return -1
    prot = A[r + T_STACK + i * E_WORDS + E_ARG]
    _remove_entry(A, r, i)
    return prot


@njit(cache=True)
def innermost_page_domain(vkey):
    """Prot of this thread's innermost page-table domain on vkey, or -1."""
    A = _arena()
    s = _slot(A, thread_pointer())
    if s < 0:
        return -1
    r = THREADS_OFF + s * T_STRIDE
    i = _find_entry(A, r, vkey)
    if i < 0 or A[r + T_STACK + i * E_WORDS + E_KEY] >= 0:
        return -1
    return A[r + T_STACK + i * E_WORDS + E_ARG]


@njit(cache=True)
def set_own_bits(k, bits):
    """Give this thread key k's default bits unless it has a domain open on k."""
    A = _arena()
    s = _slot(A, thread_pointer())
    if s >= 0:
        r = THREADS_OFF + s * T_STRIDE
        if A[r + T_OPEN + k] > 0:
            return 0
        _set_bits(A, r, k, bits)
        return 1
    sh = 2 * k
    pk = np.int64(rdpkru())
    wrpkru(np.uint32((pk & ~(np.int64(3) << sh)) | (np.int64(bits) << sh)))
    return 1


@njit(cache=True)
def read_pkru():
    """This thread's PKRU.  Only call where the CPU has PKU."""
    return np.int64(rdpkru())


@njit(cache=True)
def write_pkru(value):
    """Replace this thread's PKRU.  Only call where the CPU has PKU."""
    wrpkru(np.uint32(value))


@njit(cache=True)
def word_add(words, idx, delta):
    return atomic_add(words, idx, delta)


@njit(cache=True)
def word_cas(words, idx, expected, new):
    return atomic_cas(words, idx, expected, new)
