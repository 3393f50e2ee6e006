"""A thread's domain stack in the arena (its record at word ``r``): the
entries both switches -- hardware-key (sandbox.switch) and page-table
(sandbox.pagedomain) -- push, find and remove.  Inlined into them."""

from __future__ import annotations

from numba import njit

from .arena import E_ARG, E_KEY, E_VKEY, E_WORDS, T_DEPTH, T_STACK
from .hw.intrinsics import atomic_add


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
