"""Growable tables of int64 rows in guarded pages: the page groups
(vkey -> protection, hardware key, open domains) and their regions
(addresses and lengths), kept where a stray write faults instead of silently
changing what the library believes.

Only the slow paths use them, under the guard, so a table can be moved to a
bigger mapping at any time; they read with numpy and write through
sandbox.store's gates.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .arena import ARENA
from .guard import Guard
from .hw import syscalls
from .store import Words

FREE = -(1 << 62)  # first word of an unused row


class Table:
    def __init__(
        self, guard: Guard, row_words: int, capacity: int = 256, on_move: Callable[[int], None] | None = None
    ) -> None:
        self.guard = guard
        self.on_move = on_move  # told the new address whenever the rows move
        self.row_words = row_words
        self.capacity = 0
        self.address = 0
        self.length = 0
        self.w = Words(0, 0)
        self._free: list[int] = []
        self._grow(capacity)

    def _grow(self, capacity: int) -> None:
        length = syscalls.page_round(capacity * self.row_words * 8)
        capacity = length // (self.row_words * 8)
        address = self.guard.allocate(length)
        fresh = np.zeros(length // 8, np.int64)
        fresh[: self.w.size] = self.w.r
        fresh[self.capacity * self.row_words :: self.row_words] = FREE
        w = Words(address, length // 8)
        w[:] = fresh  # one window for the whole table
        old = (self.address, self.length)
        self.address, self.length, self.w = address, length, w
        self._free.extend(range(capacity - 1, self.capacity - 1, -1))
        self.capacity = capacity
        if self.on_move is not None:
            self.on_move(address)
        if old[0]:
            ARENA.discard(*old)  # stays reserved; costs nothing untouched

    def add(self) -> int:
        """A zeroed row (under the guard)."""
        while True:
            if not self._free:
                self._grow(self.capacity * 2)
            row = self._free.pop()
            base = row * self.row_words
            if self.w[base] == FREE:  # never trust the (unguarded) free list blindly
                self.w[base : base + self.row_words] = 0
                return row

    def drop(self, row: int) -> None:
        base = row * self.row_words
        self.w[base : base + self.row_words] = 0
        self.w[base] = FREE
        self._free.append(row)

    def base(self, row: int) -> int:
        return row * self.row_words

    def close(self) -> None:
        if self.address:
            ARENA.discard(self.address, self.length)
            self.address = 0
