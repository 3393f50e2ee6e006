"""A thread's domain stack in the arena (its record at word ``r``): the
entries both switches -- hardware-key (sandbox.switch) and page-table
(sandbox.pagedomain) -- push, find and remove.  Inlined into them.

The helpers work on the arena itself (inside a window) or on a private
copy of one record (``copy_record``, ``r`` = 0) that ``store_record``
then stores in one piece -- through the file on the fallback."""

from __future__ import annotations

from ._numba_cache import njit
from .arena import E_ARG, E_KEY, E_VKEY, E_WORDS, T_DEPTH, T_STACK
from .hw.intrinsics import atomic_add


@njit(cache=True, inline="always")
def copy_record(A, r, depth):
    """A private copy of record ``r`` up to a stack of ``depth`` entries."""
    return A[r : r + T_STACK + depth * E_WORDS].copy()


@njit(cache=True, inline="always")
def store_record(A, s, r, R, store):
    """Store what a switch changes of record ``r`` -- its words from T_DEPTH
    to the top of the stack -- from the copy ``R`` with ``store``
    (sandbox.store's commit or file_commit; ``s``: the caller's record, for
    a window): 0 or -errno."""
    n = T_STACK + R[T_DEPTH] * E_WORDS
    return store(A, s, A.ctypes.data + 8 * (r + T_DEPTH), R[T_DEPTH:n], n - T_DEPTH)


@njit(cache=True, inline="always")
def find(A, r, vkey, below):
    """Index of the innermost entry on ``vkey`` under index ``below``, or -1."""
    i = below - 1
    while i >= 0 and A[r + T_STACK + i * E_WORDS + E_VKEY] != vkey:
        i -= 1
    return i


@njit(cache=True, inline="always")
def page_prot(A, r, i):
    """Prot of entry ``i`` if it is a page-table domain (no key), else -1."""
    if i < 0 or A[r + T_STACK + i * E_WORDS + E_KEY] >= 0:
        return -1
    return A[r + T_STACK + i * E_WORDS + E_ARG]


@njit(cache=True, inline="always")
def push_page(A, r, vkey, prot):
    """Push a page-table domain entry (the caller checked the depth)."""
    e = r + T_STACK + A[r + T_DEPTH] * E_WORDS
    A[e + E_VKEY] = vkey
    A[e + E_KEY] = -1
    A[e + E_ARG] = prot
    atomic_add(A, r + T_DEPTH, 1)


@njit(cache=True, inline="always")
def remove(A, r, i):
    """Remove entry ``i``, closing the gap."""
    d = A[r + T_DEPTH]
    for j in range(r + T_STACK + i * E_WORDS, r + T_STACK + (d - 1) * E_WORDS):
        A[j] = A[j + E_WORDS]
    atomic_add(A, r + T_DEPTH, -1)
