"""Slab memory: fixed-size chunks carved from 1 MiB slab pages, memcached's
size classes, and the three ways of guarding them.

All item memory is one vkey's page group, grown a slab at a time inside one
reservation (so on the fallback a switch is one mprotect of one range), and
a slab can move between classes when the mix of item sizes changes
(memcached's slab reassignment) without touching protection.

- ``mpk``: PROT_NONE process-wide; an item access opens a domain for the
  calling thread only (a PKRU write under PKU, page tables on the fallback).
- ``mprotect``: the classic equivalent without keys -- PROT_NONE, and an
  access mprotects the item's own pages read-write for the whole process
  (reference-counted per page across threads) and back: its cost is per
  item, not per megabyte of items.
- ``none``: plain read-write memory.
"""

from __future__ import annotations

import bisect
import ctypes
import threading
from contextlib import contextmanager

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE
from libmpk.sandbox.hw import syscalls

RW = PROT_READ | PROT_WRITE
SLAB = 1 << 20
MIN_CHUNK = 96
GROWTH = 1.25
MODES = ("none", "mprotect", "mpk")
RESERVE = 4 << 30


def chunk_sizes(max_item: int) -> list[int]:
    sizes, s = [], MIN_CHUNK
    while s < max_item:
        sizes.append(s)
        s = (int(s * GROWTH) + 7) & ~7
    sizes.append(max_item)
    return sizes


def _runs(pages: list[int], page: int) -> list[tuple[int, int]]:
    """Sorted page addresses as [start, end) ranges of adjacent pages."""
    out: list[tuple[int, int]] = []
    for p in pages:
        if out and out[-1][1] == p:
            out[-1] = (out[-1][0], p + page)
        else:
            out.append((p, p + page))
    return out


class SlabClass:
    def __init__(self, index: int, size: int) -> None:
        self.index = index
        self.size = size
        self.slabs: list[int] = []
        self.free: list[int] = []


class Slabs:
    def __init__(self, protect: str, limit: int, max_item: int) -> None:
        if protect not in MODES:
            raise ValueError(f"unknown protection {protect!r}; choose one of {', '.join(MODES)}")
        if max_item > SLAB:
            raise ValueError(f"max_item {max_item} exceeds the slab size {SLAB}")
        self.protect = protect
        self.limit = limit
        # the most cache_memlimit may raise it to: address space is set aside
        # at start (pages come only as slabs are used), so reserve generously
        self.reserved = max(limit, RESERVE)
        self.used = 0
        self.classes = [SlabClass(i, s) for i, s in enumerate(chunk_sizes(max_item))]
        self._sizes = [c.size for c in self.classes]
        self.reservation = sandbox.reserve(self.reserved + 2 * SLAB)
        self._scratch_vkey = sandbox.new_vkey()
        self.scratch = sandbox.mmap(self._scratch_vkey, 4096, RW, within=self.reservation).address
        # mpk mode: one vkey for all item memory where hardware keys back the
        # vkeys (a vkey per slab would thrash the 15 keys); without keys -- the
        # fallback, where a domain is an mprotect of its vkey's pages -- a vkey
        # per slab, so an access re-protects one slab, not all item memory
        self.per_slab = protect == "mpk" and sandbox.info()["cache_capacity"] == 0
        self.vkey = sandbox.new_vkey() if protect == "mpk" and not self.per_slab else -1
        self._bases: list[int] = []  # mpk mode: slab addresses (ascending) and their vkeys
        self._vkeys: list[int] = []
        self.base = 0
        self._open: dict[int, int] = {}  # mprotect mode: page -> accesses in progress on it
        self._lock = threading.Lock()
        self._grow(self.classes[0])  # the first slab right after the scratch page

    def class_for(self, nbytes: int) -> SlabClass | None:
        i = bisect.bisect_left(self._sizes, nbytes)
        return self.classes[i] if i < len(self.classes) else None

    def _grow(self, c: SlabClass) -> bool:
        if self.used + SLAB > self.limit:
            return False
        prot = RW if self.protect == "none" else PROT_NONE  # (no access can be open on a new slab)
        if self.protect == "mpk":
            vkey = sandbox.new_vkey() if self.per_slab else self.vkey
            addr = sandbox.mmap(vkey, SLAB, prot, within=self.reservation).address
            i = bisect.bisect(self._bases, addr)
            self._bases.insert(i, addr)
            self._vkeys.insert(i, vkey)
        else:  # plain pages: the library must not think it owns their protection
            addr = self.reservation.take(SLAB)
            syscalls.mmap_fixed(addr, SLAB, prot)
        if not self.base:
            self.base = addr
        self.used += SLAB
        self.give_slab(c, addr)
        return True

    def give_slab(self, c: SlabClass, addr: int) -> None:
        c.slabs.append(addr)
        c.free.extend(range(addr + (SLAB // c.size - 1) * c.size, addr - 1, -c.size))

    def take_slab(self, c: SlabClass) -> int:
        """Detach ``c``'s last slab; its items must have been evicted already."""
        addr = c.slabs.pop()
        c.free = [a for a in c.free if not addr <= a < addr + SLAB]
        return addr

    def alloc(self, c: SlabClass) -> int | None:
        if not c.free and not self._grow(c):
            return None
        return c.free.pop()

    def release(self, c: SlabClass, addr: int) -> None:
        c.free.append(addr)

    @contextmanager
    def access(self, write: bool, addr: int = 0, n: int = 0):
        """The only way item bytes are touched: ``n`` bytes at ``addr``."""
        if self.protect == "none":
            yield
        elif self.protect == "mpk":
            with sandbox.domain(self._vkey_of(addr), RW if write else PROT_READ):
                yield
        else:
            page = syscalls.PAGE_SIZE
            first, last = addr & ~(page - 1), (addr + max(n, 1) - 1) & ~(page - 1)
            pages = range(first, last + page, page)
            with self._lock:
                closed = [p for p in pages if not self._open.get(p)]
                for p in pages:
                    self._open[p] = self._open.get(p, 0) + 1
                if closed:
                    syscalls.mprotect(closed[0], closed[-1] + page - closed[0], RW)  # (open ones: RW already)
            try:
                yield
            finally:
                with self._lock:
                    done = []
                    for p in pages:
                        self._open[p] -= 1
                        if not self._open[p]:
                            del self._open[p]
                            done.append(p)
                    for lo, hi in _runs(done, page):  # pages another access holds stay open
                        syscalls.mprotect(lo, hi - lo, PROT_NONE)

    def _vkey_of(self, addr: int) -> int:
        if not self.per_slab:
            return self.vkey
        return self._vkeys[bisect.bisect(self._bases, addr) - 1]

    def write(self, addr: int, data: bytes) -> None:
        if self.protect == "none":  # (the hot path: no context manager to build)
            ctypes.memmove(addr, data, len(data))
            return
        with self.access(True, addr, len(data)):
            ctypes.memmove(addr, data, len(data))

    def read(self, addr: int, n: int) -> bytes:
        if self.protect == "none":
            return ctypes.string_at(addr, n)
        if self.protect == "mpk":
            with sandbox.domain(self._vkey_of(addr), PROT_READ):
                return ctypes.string_at(addr, n)
        with self.access(False, addr, n):
            return ctypes.string_at(addr, n)

    def stray_write(self, n: int) -> None:
        """The planted bug: n bytes from the scratch page, unchecked -- past it
        lie the first slab's items."""
        ctypes.memset(self.scratch, 0x58, n)

    def close(self) -> None:
        """Give the item memory back (the reservation stays set aside)."""
        if self.protect == "mpk":
            for vkey in sorted(set(self._vkeys)):
                sandbox.munmap(vkey)
            self._bases.clear()
            self._vkeys.clear()
        elif self.used:
            syscalls.mmap_fixed(self.base, self.used, PROT_NONE, syscalls.MAP_NORESERVE)
        sandbox.munmap(self._scratch_vkey)
        self.used = 0
