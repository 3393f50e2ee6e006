"""Slab memory: fixed-size chunks carved from 1 MiB slab pages, memcached's
size classes, and the three ways of guarding them.

Item memory grows a slab at a time inside one reservation, and a slab can
move between classes when the mix of item sizes changes (memcached's slab
reassignment) without touching protection.  What an access re-protects is
kept a kernel mapping of its own (see ``_keep_apart``).

- ``mpk``: PROT_NONE process-wide; an item access opens a domain for the
  calling thread only.  Under PKU all item memory is one vkey and a domain
  is a PKRU write; on the fallback a domain is an mprotect of its vkey's
  pages, so there is a vkey per 16 KiB granule and an access opens the
  granules its item lies in.
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
from collections.abc import Iterator
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
GRANULE_SHIFT = 14
GRANULE = 1 << GRANULE_SHIFT  # mpk mode on the fallback: the pages one vkey holds


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
        # vkeys (more would thrash the 15 keys); without keys -- the fallback,
        # where a domain is an mprotect of its vkey's pages and costs per
        # page (a 1 MiB slab: 42 us a read, 16 KiB: 8 us) -- a vkey per
        # GRANULE, so an access re-protects the few pages around its item
        self.per_granule = protect == "mpk" and sandbox.info()["cache_capacity"] == 0
        self.vkey = sandbox.new_vkey() if protect == "mpk" and not self.per_granule else -1
        self._vkeys: dict[int, int] = {}  # mpk mode: granule number (from _origin) -> vkey
        self._origin = 0  # mpk mode: the first slab's address (granules are counted from it)
        self.base = 0
        self._open_pages: dict[int, int] = {}  # mprotect mode: page -> accesses in progress on it
        self._lock = threading.Lock()
        self._apart_left = syscalls.max_map_count() // 2  # mappings _keep_apart may still create
        self._grow(self.classes[0])  # the first slab right after the scratch page
        if protect == "mpk":  # compile the switch now, not in the first request (minutes in an emulated guest)
            self.write(self.base, b"\0")

    def class_for(self, nbytes: int) -> SlabClass | None:
        i = bisect.bisect_left(self._sizes, nbytes)
        return self.classes[i] if i < len(self.classes) else None

    def _grow(self, c: SlabClass) -> bool:
        if self.used + SLAB > self.limit:
            return False
        prot = RW if self.protect == "none" else PROT_NONE  # (no access can be open on a new slab)
        if self.protect == "mpk":
            step = GRANULE if self.per_granule else SLAB
            addr = 0
            for off in range(0, SLAB, step):
                vkey = sandbox.new_vkey() if self.per_granule else self.vkey
                a = sandbox.mmap(vkey, step, prot, within=self.reservation).address
                addr = addr or a
                self._origin = self._origin or a
                if a != addr + off or (a - self._origin) % GRANULE:
                    raise RuntimeError("kvstore: a slab's granules are not back to back on the granule grid")
                self._vkeys[(a - self._origin) >> GRANULE_SHIFT] = vkey
        else:  # plain pages: the library must not think it owns their protection
            addr = self.reservation.take(SLAB)
            syscalls.mmap_fixed(addr, SLAB, prot)
        self._keep_apart(addr)
        if not self.base:
            self.base = addr
        self.used += SLAB
        self.give_slab(c, addr)
        return True

    def _keep_apart(self, addr: int) -> None:
        """Give each unit an access re-protects (mprotect mode: a page; mpk on
        the fallback: a granule) a kernel mapping of its own, so an access
        changes one mapping in place instead of splitting the slab's and
        merging it back (in the server that made the protected modes ~1.2x
        slower).  Within half of vm.max_map_count; past it slabs stay one
        mapping each, correct and only slower."""
        unit = syscalls.PAGE_SIZE if self.protect == "mprotect" else GRANULE if self.per_granule else 0
        if unit and self._apart_left >= SLAB // unit:
            self._apart_left -= SLAB // unit
            syscalls.keep_apart(addr, SLAB, unit)

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

    def _open(self, write: bool, addr: int, n: int):
        """Open ``n`` bytes at ``addr`` for this access; what :meth:`_close`
        takes back.  The only way item bytes become reachable."""
        if self.protect == "mpk":
            prot = RW if write else PROT_READ
            if not self.per_granule:
                vkeys = (self.vkey,)
            else:
                first = (addr - self._origin) >> GRANULE_SHIFT
                last = (addr - self._origin + max(n, 1) - 1) >> GRANULE_SHIFT
                if first == last:  # most items: one granule
                    vkey = self._vkeys[first]
                    sandbox.begin(vkey, prot)
                    return (vkey,)
                vkeys = tuple(self._vkeys[g] for g in range(first, last + 1))
            for i, vkey in enumerate(vkeys):
                try:
                    sandbox.begin(vkey, prot)
                except BaseException:
                    for v in reversed(vkeys[:i]):
                        sandbox.end(v)
                    raise
            return vkeys
        page = syscalls.PAGE_SIZE
        first, last = addr & ~(page - 1), (addr + max(n, 1) - 1) & ~(page - 1)
        opened = self._open_pages
        with self._lock:
            if first == last:  # most items: one page, one lookup
                held = opened.get(first, 0)
                if not held:
                    syscalls.mprotect(first, page, RW)
                opened[first] = held + 1
                return first, last
            pages = range(first, last + page, page)
            closed = [p for p in pages if not opened.get(p)]
            if closed:  # (pages open for another access are RW already)
                syscalls.mprotect(closed[0], closed[-1] + page - closed[0], RW)
            for p in pages:
                opened[p] = opened.get(p, 0) + 1
        return first, last

    def _close(self, opened) -> None:
        if self.protect == "mpk":
            for vkey in reversed(opened):
                sandbox.end(vkey)
            return
        page = syscalls.PAGE_SIZE
        first, last = opened
        counts = self._open_pages
        with self._lock:
            if first == last:
                held = counts[first] - 1
                if held:
                    counts[first] = held
                else:
                    del counts[first]
                    syscalls.mprotect(first, page, PROT_NONE)
                return
            done = []
            for p in range(first, last + page, page):
                counts[p] -= 1
                if not counts[p]:
                    del counts[p]
                    done.append(p)
            for lo, hi in _runs(done, page):  # pages another access holds stay open
                syscalls.mprotect(lo, hi - lo, PROT_NONE)

    @contextmanager
    def access(self, write: bool, addr: int = 0, n: int = 0) -> Iterator[None]:
        """``n`` bytes at ``addr`` reachable for the block (read/write inline this)."""
        if self.protect == "none":
            yield
            return
        opened = self._open(write, addr, n)
        try:
            yield
        finally:
            self._close(opened)

    def write(self, addr: int, data: bytes) -> None:
        if self.protect == "none":
            ctypes.memmove(addr, data, len(data))
            return
        opened = self._open(True, addr, len(data))
        try:
            ctypes.memmove(addr, data, len(data))
        finally:
            self._close(opened)

    def read(self, addr: int, n: int) -> bytes:
        if self.protect == "none":
            return ctypes.string_at(addr, n)
        opened = self._open(False, addr, n)
        try:
            return ctypes.string_at(addr, n)
        finally:
            self._close(opened)

    def stray_write(self, n: int) -> None:
        """The planted bug: n bytes from the scratch page, unchecked -- past it
        lie the first slab's items."""
        ctypes.memset(self.scratch, 0x58, n)

    def close(self) -> None:
        """Give the item memory back (the reservation stays set aside)."""
        if self.protect == "mpk":
            for vkey in sorted(set(self._vkeys.values())):
                sandbox.munmap(vkey)
            self._vkeys.clear()
        elif self.used:
            syscalls.mmap_fixed(self.base, self.used, PROT_NONE, syscalls.MAP_NORESERVE)
        sandbox.munmap(self._scratch_vkey)
        self.used = 0
