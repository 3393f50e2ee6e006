"""The protected heap: malloc/free inside a vkey's page group.

Chunks are carved from slabs the heap maps into the vkey's group (so they
carry the vkey's protection and follow its domains), in power-of-two size
classes up to 2 KiB; larger requests get whole pages of their own.  All
bookkeeping -- free lists, which chunk belongs to whom -- lives outside the
protected pages, so allocating needs no write right on the data.  Freed
chunks are zeroed (inside a short write domain on their vkey), so a chunk
is always handed out zeroed and a freed secret does not linger.
"""

from __future__ import annotations

import ctypes
import operator
import threading
from dataclasses import dataclass, field

from .errors import ArgumentError, SandboxError
from .hw.syscalls import page_round
from .prot import PROT_READ, PROT_WRITE
from .region import MemoryArray, as_memory_array

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


@dataclass
class _VkeyHeap:
    free: dict[int, list[int]] = field(default_factory=dict)  # capacity -> addresses
    bump: int = 0
    bump_end: int = 0
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

    def _carve(self, vkey: int, h: _VkeyHeap, capacity: int) -> int:
        pool = h.free.get(capacity)
        if pool:
            return pool.pop()
        prot = self._sb.protection(vkey)  # the group's current one
        if capacity > CLASSES[-1]:
            r = self._sb.mmap(vkey, capacity, prot)
            h.mapped += r.length
            return r.address
        if h.bump + capacity > h.bump_end:
            r = self._sb.mmap(vkey, SLAB, prot)
            h.mapped += r.length
            h.bump, h.bump_end = r.address, r.address + r.length
        addr = h.bump
        h.bump += capacity
        return addr

    def _lookup(self, ptr: object, what: str) -> _Chunk:
        ptr = _int(ptr, f"{what}: pointer")
        c = self._chunks.get(ptr)
        if c is None:
            why = "already freed (double free?)" if ptr in self._freed else "not allocated by the sandbox heap"
            raise HeapError(f"{what}({ptr:#x}): {why}")
        return c

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
            addr = self._carve(vkey, h, capacity)
            self._chunks[addr] = _Chunk(vkey, capacity, size)
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
            with self._sb.domain(c.vkey, PROT_READ | PROT_WRITE):
                ctypes.memset(ptr, 0, c.capacity)
            del self._chunks[ptr]
            self._freed.add(ptr)
            self._heaps[c.vkey].free.setdefault(c.capacity, []).append(ptr)

    def realloc(self, ptr: int, size: int) -> int:
        ptr, size = _int(ptr, "realloc: pointer"), _int(size, "realloc size")
        with self._lock:
            c = self._lookup(ptr, "realloc")
            if size <= 0:
                raise ArgumentError(f"realloc size must be > 0, got {size}")
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
        with self._lock:
            c = self._lookup(ptr, "chunk")
        return as_memory_array(ptr, c.size)

    def vkey_of(self, ptr: int) -> int:
        with self._lock:
            return self._lookup(ptr, "vkey_of").vkey

    def forget(self, vkey: int) -> None:
        """The vkey's group was unmapped: its chunks are gone."""
        with self._lock:
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
