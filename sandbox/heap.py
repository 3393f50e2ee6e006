"""The protected heap: malloc/free inside a vkey's page group.

Chunks are carved from slabs the heap maps into the vkey's group (so they
carry the vkey's protection and follow its domains), in power-of-two size
classes up to 2 KiB; larger requests get whole pages of their own.  All
bookkeeping -- free lists, which chunk belongs to whom -- lives outside the
protected pages, so allocating needs no write right on the data.  Freed
chunks are zeroed (inside a short write domain on their vkey), so a chunk
is always handed out zeroed and a freed secret does not linger.

A chunk's views are tracked like a region's (the invariant in
sandbox.region): munmap of the vkey, and free/realloc of the chunk, refuse
with BusyError while one is alive.
"""

from __future__ import annotations

import ctypes
import operator
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ArgumentError, BusyError, SandboxError
from .hw.syscalls import page_round
from .prot import PROT_READ, PROT_WRITE
from .region import MemoryArray, Region

CLASSES = (16, 32, 64, 128, 256, 512, 1024, 2048)
SLAB = 64 * 1024
MAX_CHUNK = 1 << 40


class HeapError(SandboxError, ValueError):
    """free/realloc of a pointer the heap did not hand out (foreign, or freed)."""


@dataclass
class _Chunk:
    vkey: int
    capacity: int
    size: int
    region: Region  # the heap's mapping the chunk lies in
    views: list[weakref.ref] = field(default_factory=list)  # roots from Region.subarray

    def live_views(self) -> int:
        self.views = [r for r in self.views if r() is not None]
        return len(self.views)


@dataclass
class _VkeyHeap:
    free: dict[int, list[tuple[int, Region]]] = field(default_factory=dict)  # capacity -> (address, region)
    slab: Region | None = None  # the slab small chunks are bumped from
    bump: int = 0
    mapped: int = 0


def _int(value: object, what: str) -> int:
    """``value`` as a Python int: numpy integers count (sizes and pointers are
    often computed in numpy), bools and floats do not."""
    if not isinstance(value, bool):
        try:
            return operator.index(value)
        except TypeError:
            pass
    raise ArgumentError(f"{what} must be an int, not {type(value).__name__}")


def _class_of(size: int) -> int:
    for c in CLASSES:
        if size <= c:
            return c
    return page_round(size)


class Heap:
    def __init__(self, sb) -> None:  # sb: sandbox.api-like module (mmap, domain, regions)
        self._sb = sb
        self._lock = threading.RLock()
        self._heaps: dict[int, _VkeyHeap] = {}
        self._chunks: dict[int, _Chunk] = {}
        self._freed: set[int] = set()

    # --- bookkeeping ----------------------------------------------------------

    def _heap(self, vkey: int) -> _VkeyHeap:
        h = self._heaps.get(vkey)
        if h is None:
            self._sb.protection(vkey)  # VkeyError if the vkey has no page group
            h = self._heaps[vkey] = _VkeyHeap()
        return h

    def _map(self, vkey: int, h: _VkeyHeap, length: int) -> Region:
        """Add pages to the group, with its protection of this moment: read and
        used under the guard (``grow``), or an mprotect in between -- the native
        one takes no Python lock -- would make mmap refuse the stale protection."""
        r = self._sb._sb().grow(vkey, length)
        h.mapped += r.length
        return r

    def _carve(self, vkey: int, h: _VkeyHeap, capacity: int) -> tuple[int, Region]:
        pool = h.free.get(capacity)
        if pool:
            return pool.pop()
        if capacity > CLASSES[-1]:
            r = self._map(vkey, h, capacity)
            return r.address, r
        if h.slab is None or h.bump + capacity > h.slab.address + h.slab.length:
            h.slab = self._map(vkey, h, SLAB)
            h.bump = h.slab.address
        addr = h.bump
        h.bump += capacity
        return addr, h.slab

    def _lookup(self, ptr: object, what: str) -> _Chunk:
        ptr = _int(ptr, f"{what}: pointer")
        c = self._chunks.get(ptr)
        if c is None:
            why = "already freed (double free?)" if ptr in self._freed else "not allocated by the sandbox heap"
            raise HeapError(f"{what}({ptr:#x}): {why}")
        return c

    @staticmethod
    def _check_no_views(ptr: int, c: _Chunk, what: str) -> None:
        n = c.live_views()
        if n:
            raise BusyError(f"{what}({ptr:#x}): the chunk still has {n} live view(s); drop them (del) first")

    # --- API ----------------------------------------------------------------

    def malloc(self, vkey: int, size: int) -> int:
        size = _int(size, "malloc size")
        if size <= 0:
            raise ArgumentError(f"malloc size must be > 0, got {size}")
        if size > MAX_CHUNK:
            raise ArgumentError(f"malloc size {size} exceeds {MAX_CHUNK}")
        with self._lock:
            h = self._heap(vkey)
            capacity = _class_of(size)
            addr, region = self._carve(vkey, h, capacity)
            self._chunks[addr] = _Chunk(vkey, capacity, size, region)
            self._freed.discard(addr)
            return addr

    def calloc(self, vkey: int, count: int, size: int) -> int:
        count, size = _int(count, "calloc count"), _int(size, "calloc size")
        if count <= 0 or size <= 0:
            raise ArgumentError(f"calloc({count}, {size}): both must be > 0")
        return self.malloc(vkey, count * size)  # chunks are always handed out zeroed

    def free(self, ptr: int) -> None:
        ptr = _int(ptr, "free: pointer")
        with self._lock:
            c = self._lookup(ptr, "free")
            self._check_no_views(ptr, c, "free")  # the chunk is reused next
            with self._sb.domain(c.vkey, PROT_READ | PROT_WRITE):
                ctypes.memset(ptr, 0, c.capacity)
            del self._chunks[ptr]
            self._freed.add(ptr)
            self._heaps[c.vkey].free.setdefault(c.capacity, []).append((ptr, c.region))

    def realloc(self, ptr: int, size: int) -> int:
        ptr, size = _int(ptr, "realloc: pointer"), _int(size, "realloc size")
        with self._lock:
            c = self._lookup(ptr, "realloc")
            if size <= 0:
                raise ArgumentError(f"realloc size must be > 0, got {size}")
            self._check_no_views(ptr, c, "realloc")  # it may move (and free the old chunk)
            if size <= c.capacity:
                if size < c.size:
                    with self._sb.domain(c.vkey, PROT_READ | PROT_WRITE):
                        ctypes.memset(ptr + size, 0, c.size - size)
                c.size = size
                return ptr
            new = self.malloc(c.vkey, size)
            with self._sb.domain(c.vkey, PROT_READ | PROT_WRITE):
                ctypes.memmove(new, ptr, c.size)
            self.free(ptr)
            return new

    def size_of(self, ptr: int) -> int:
        with self._lock:
            return self._lookup(ptr, "size_of").size

    def view(self, ptr: int) -> MemoryArray:
        """The chunk's bytes as a uint8 array that also takes ``bytes`` (access is
        checked by the hardware)."""
        ptr = _int(ptr, "chunk: pointer")
        with self._lock:  # free/realloc check the views under it too
            c = self._lookup(ptr, "chunk")
            root = c.region.subarray(ptr - c.region.address, c.size)
            c.views.append(weakref.ref(root))
            c.live_views()  # drop the dead ones
            return root

    def vkey_of(self, ptr: int) -> int:
        with self._lock:
            return self._lookup(ptr, "vkey_of").vkey

    def munmap(self, vkey: int, unmap: Callable[[int], None]) -> None:
        """Unmap the vkey's group with ``unmap`` (which refuses while a chunk
        view is alive) and forget its chunks, as one step: no malloc carves
        from the group, nor chunk view is made, in between."""
        with self._lock:
            unmap(vkey)
            self._heaps.pop(vkey, None)
            for addr in [a for a, c in self._chunks.items() if c.vkey == vkey]:
                del self._chunks[addr]

    def stats(self) -> dict:
        with self._lock:
            return {
                "chunks": len(self._chunks),
                "bytes_in_use": sum(c.size for c in self._chunks.values()),
                "bytes_mapped": sum(h.mapped for h in self._heaps.values()),
            }
