"""vkey -> page-group row, as a hash table in guarded pages that native code
can read: the fallback's native begin/end (sandbox.pagedomain) must find a
vkey's group without a trip into Python.

Open addressing with linear probing; a slot is two words (vkey + 1, row),
0 marks an empty slot, deletion shifts the run back (no tombstones).  Only
the slow paths write it (sandbox.store's gates); the table's address and
mask are published in the arena header, so a move to a bigger table is one
header update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import carray

from ._numba_cache import njit
from .arena import ARENA, H_VMAP, H_VMAP_MASK
from .hw import syscalls
from .hw.intrinsics import int_to_ptr
from .store import WORDS, Words

if TYPE_CHECKING:
    from .guard import Guard

_MUL = 0x9E3779B97F4A7C15
_M64 = (1 << 64) - 1


def _home(vkey: int, mask: int) -> int:
    return ((vkey * _MUL) & _M64) >> 32 & mask


class VkeyMap:
    def __init__(self, guard: Guard, slots: int = 1024) -> None:
        self.guard = guard
        self.count = 0
        self.address = 0
        self.length = 0
        self.mask = 0
        self.w = Words(0, 0)
        self._resize(slots)

    def _resize(self, slots: int) -> None:
        old = [
            (int(self.w[2 * i]) - 1, int(self.w[2 * i + 1]))
            for i in range(self.mask + 1)
            if self.w.size and self.w[2 * i]
        ]
        length = syscalls.page_round(slots * 16)
        address = self.guard.allocate(length)
        previous = (self.address, self.length)
        self.address, self.length, self.mask = address, length, slots - 1
        self.w = Words(address, length // 8)
        self.w[:] = 0
        self.count = 0
        for vkey, row in old:
            self.put(vkey, row)
        WORDS[H_VMAP] = address
        WORDS[H_VMAP_MASK] = self.mask
        if previous[0]:
            ARENA.discard(*previous)

    def _slot(self, vkey: int) -> int:
        i = _home(vkey, self.mask)
        while self.w[2 * i] and self.w[2 * i] != vkey + 1:
            i = (i + 1) & self.mask
        return i

    def put(self, vkey: int, row: int) -> None:
        if 2 * (self.count + 1) > self.mask + 1:
            self._resize(2 * (self.mask + 1))
        i = self._slot(vkey)
        if not self.w[2 * i]:
            self.count += 1
        self.w[2 * i] = vkey + 1
        self.w[2 * i + 1] = row

    def get(self, vkey: int) -> int:
        i = self._slot(vkey)
        return int(self.w[2 * i + 1]) if self.w[2 * i] else -1

    def remove(self, vkey: int) -> None:
        i = self._slot(vkey)
        if not self.w[2 * i]:
            return
        self.count -= 1
        j = i
        while True:  # shift later members of the run back over the hole
            j = (j + 1) & self.mask
            if not self.w[2 * j]:
                break
            home = _home(int(self.w[2 * j]) - 1, self.mask)
            if (i < j and (home <= i or home > j)) or (j < i and home <= i and home > j):
                self.w[2 * i : 2 * i + 2] = self.w[2 * j : 2 * j + 2]
                i = j
        self.w[2 * i : 2 * i + 2] = 0


@njit(cache=True, inline="always")
def find_row(A, vkey):
    """The page-group row of ``vkey`` (native side), or -1."""
    mask = A[H_VMAP_MASK]
    V = carray(int_to_ptr(A[H_VMAP]), (2 * (mask + 1),), np.int64)
    i = np.int64((np.uint64(vkey) * np.uint64(_MUL)) >> np.uint64(32)) & mask
    for _ in range(mask + 1):
        k = V[2 * i]
        if k == vkey + 1:
            return V[2 * i + 1]
        if k == 0:
            return -1
        i = (i + 1) & mask
    return -1
