"""A mapping owned by a vkey, and safe views of it.

Views are numpy arrays (:class:`MemoryArray`, which also takes ``bytes``) and
memoryviews of them over the raw pages.  Unmapping pages under a live view
would turn its next access into a crash (or, once the range is reused, into
access to someone else's data), so no view may outlive its memory -- the
rule ``mmap.mmap.close`` applies to exported buffers; see :data:`VIEWS`.
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
import weakref

import numpy as np
import numpy.typing as npt

from .errors import ArgumentError, BusyError, VkeyError

BytesLike = bytes | bytearray | memoryview


class MemoryArray(np.ndarray):
    """A numpy array over sandbox memory that also takes bytes-like values.

    Plain numpy reads ``a[:5] = b"hello"`` as one string to parse as a number
    and raises ValueError; for memory the natural meaning is bytearray's, so a
    ``bytes``/``bytearray``/``memoryview`` value is copied in as raw bytes: it
    must fill the selected elements exactly (``itemsize`` bytes each).  Every
    other value assigns as in numpy, and numba takes it like any ndarray.
    """

    def __setitem__(self, key: object, value: object) -> None:
        if isinstance(value, BytesLike):
            value = self._raw(key, value)
        super().__setitem__(key, value)

    def _raw(self, key: object, value: BytesLike) -> np.ndarray:
        data = memoryview(value)
        if not data.c_contiguous:
            data = memoryview(data.tobytes())
        # The selection's shape, found on a zero-stride stand-in so the
        # protected memory itself is not read (fancy indexing would copy it).
        shape = np.broadcast_to(False, self.shape)[key].shape
        want = math.prod(shape) * self.itemsize
        if data.nbytes != want:
            raise ArgumentError(
                f"{data.nbytes} bytes assigned to {math.prod(shape)} element(s) of {self.dtype} "
                f"({want} bytes): a bytes value must fill the selection exactly"
            )
        return np.frombuffer(data, dtype=self.dtype).reshape(shape)


def as_memory_array(address: int, length: int) -> MemoryArray:
    """``length`` bytes at ``address`` as a uint8 :class:`MemoryArray` (no copy).

    Untracked: views handed to callers come from :meth:`Region.subarray`.
    The array's base is the ctypes buffer, not another array, so numpy's
    base collapsing (a view's ``base`` skips plain intermediate arrays) never
    skips it: every array or memoryview derived from it keeps it alive.
    """
    buffer = (ctypes.c_ubyte * length).from_address(address)
    return MemoryArray(shape=(length,), dtype=np.uint8, buffer=buffer)


class _ViewsLock:
    """The lock of the invariant below (re-made in a forked child, where the
    thread that held it may not exist)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        os.register_at_fork(after_in_child=self._renew)

    def _renew(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


# The invariant: no view outlives its memory.
#
# - Every view of a region's pages -- Region.view/asarray and the heap's chunk
#   views -- is, or derives from, a *root* array made by Region.subarray, which
#   the region remembers weakly.  Whatever numpy derives from a view (slices,
#   .view(dtype), np.asarray, memoryview, np.frombuffer of that) holds its base
#   chain, so the root lives exactly as long as any view of it.
# - munmap refuses (BusyError) while a region of the group has a live root, and
#   makes that check and the unmap holding VIEWS; subarray makes a root holding
#   VIEWS, only while the region is mapped.  So a view is either made before
#   the check (munmap refuses) or after the unmap (VkeyError), never between.
# - The heap keeps the same rule per chunk: free/realloc refuse while a root of
#   that chunk is alive, and chunk views are made under the heap's lock.
VIEWS = _ViewsLock()


class Reservation:
    """Address space set aside (PROT_NONE) for a caller's own mappings.

    ``sandbox.mmap(..., within=r)`` places page groups inside it, so related
    mappings stay close -- a JIT needs code within +-2 GiB of its data -- and
    unmapping returns the pages to the reservation instead of the system.
    """

    __slots__ = ("address", "length", "_free")

    def __init__(self, address: int, length: int) -> None:
        self.address = address
        self.length = length
        self._free: list[tuple[int, int]] = [(address, length)]  # (start, length), address order

    def __repr__(self) -> str:
        return f"<Reservation {self.address:#x}+{self.length:#x}, {self.free_bytes} free>"

    @property
    def free_bytes(self) -> int:
        return sum(n for _, n in self._free)

    def take(self, length: int) -> int:
        """First fit; the address, or raise MemoryError."""
        for i, (start, n) in enumerate(self._free):
            if n >= length:
                if n == length:
                    del self._free[i]
                else:
                    self._free[i] = (start + length, n - length)
                return start
        raise MemoryError(f"reservation {self.address:#x} has no {length} contiguous free bytes")

    def give(self, address: int, length: int) -> None:
        """Return a range (coalescing with its neighbours)."""
        self._free.append((address, length))
        self._free.sort()
        merged: list[tuple[int, int]] = []
        for start, n in self._free:
            if merged and merged[-1][0] + merged[-1][1] == start:
                merged[-1] = (merged[-1][0], merged[-1][1] + n)
            else:
                merged.append((start, n))
        self._free = merged

    def contains(self, address: int, length: int) -> bool:
        return self.address <= address and address + length <= self.address + self.length


class Region:
    """``length`` bytes at ``address`` (page aligned, whole pages) of ``vkey``'s group."""

    __slots__ = ("vkey", "address", "length", "_roots", "_prune_at", "_mapped", "_within", "__weakref__")

    def __init__(self, vkey: int, address: int, length: int) -> None:
        self.vkey = vkey
        self.address = address
        self.length = length
        self._roots: list[weakref.ref] = []  # every view root handed out (see VIEWS)
        self._prune_at = 16
        self._mapped = True
        self._within: Reservation | None = None

    def __repr__(self) -> str:
        state = "" if self._mapped else " unmapped"
        return f"<Region vkey={self.vkey} address={self.address:#x} length={self.length}{state}>"

    @property
    def mapped(self) -> bool:
        return self._mapped

    def subarray(self, offset: int, length: int) -> MemoryArray:
        """``length`` bytes at ``offset`` as a uint8 view: a new root,
        remembered so that munmap refuses while it (or anything derived from
        it) is alive.  VkeyError once the region is unmapped."""
        if offset < 0 or length <= 0 or offset + length > self.length:
            raise ArgumentError(f"subarray({offset}, {length}) is outside the region's {self.length} bytes")
        with VIEWS:
            if not self._mapped:
                raise VkeyError(self.vkey, f"region {self.address:#x} was unmapped")
            root = as_memory_array(self.address + offset, length)
            if len(self._roots) >= self._prune_at:  # amortised: dead roots do not pile up
                self._roots = [r for r in self._roots if r() is not None]
                self._prune_at = max(16, 2 * len(self._roots))
            self._roots.append(weakref.ref(root))
            return root

    def view(self) -> memoryview:
        """A writable memoryview of the pages (format "B": one item per byte, so
        ``r.view()[:5] = b"hello"`` works); access is checked by the hardware."""
        return memoryview(self.subarray(0, self.length))

    def asarray(self, dtype: npt.DTypeLike = np.uint8) -> MemoryArray:
        """A numpy view of the pages as ``dtype`` (no copy).

        The default, ``np.uint8``, is one element per byte.  Any numpy dtype
        whose size divides the region's length works -- but in numpy's
        spelling: ``"u8"`` is uint64 (8 bytes); bytes are ``"u1"``/``"B"``.
        Object dtypes are refused (raw pages hold no Python references).
        Bytes-like values assign as raw bytes (see :class:`MemoryArray`).
        """
        if dtype is None:  # np.dtype(None) would be float64
            dtype = np.uint8
        try:
            dt = np.dtype(dtype)
        except Exception as e:  # numpy raises TypeError, ValueError, even SyntaxError ("i4,,")
            raise ArgumentError(f"asarray: {dtype!r} is not a numpy dtype ({e})") from None
        if dt.hasobject:
            raise ArgumentError(f"asarray: dtype {dt} holds Python objects; raw pages cannot")
        if dt.itemsize == 0 or self.length % dt.itemsize:
            raise ArgumentError(
                f"asarray: dtype {dt} ({dt.itemsize} bytes) does not divide the region's {self.length} bytes"
            )
        return self.subarray(0, self.length).view(dt)  # numpy keeps the root as its base

    def live_views(self) -> int:
        """How many view roots (region or chunk views) are alive."""
        with VIEWS:
            return sum(1 for r in self._roots if r() is not None)

    def _check_releasable(self) -> None:
        """BusyError while a view is alive; call holding VIEWS until the unmap."""
        n = self.live_views()
        if n:
            raise BusyError(
                f"vkey {self.vkey}: region {self.address:#x} still has {n} live view(s); drop them (del) before munmap"
            )

    def _mark_unmapped(self) -> None:
        self._mapped = False
