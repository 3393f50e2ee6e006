"""A mapping owned by a vkey, and safe views of it.

Views are numpy arrays (and memoryviews of them) over the raw pages.  Because
unmapping pages under a live view would turn the next access into a crash, the
region remembers every view root it handed out (weakly) and ``munmap`` refuses
with :class:`BusyError` while one is alive -- the rule ``mmap.mmap.close``
applies to exported buffers.
"""

from __future__ import annotations

import ctypes
import weakref

import numpy as np
import numpy.typing as npt

from .errors import BusyError, VkeyError


class Region:
    """``length`` bytes at ``address`` (page aligned, whole pages) of ``vkey``'s group."""

    __slots__ = ("vkey", "address", "length", "_roots", "_mapped", "__weakref__")

    def __init__(self, vkey: int, address: int, length: int) -> None:
        self.vkey = vkey
        self.address = address
        self.length = length
        self._roots: list[weakref.ref] = []
        self._mapped = True

    def __repr__(self) -> str:
        state = "" if self._mapped else " unmapped"
        return f"<Region vkey={self.vkey} address={self.address:#x} length={self.length}{state}>"

    @property
    def mapped(self) -> bool:
        return self._mapped

    def _root(self) -> np.ndarray:
        if not self._mapped:
            raise VkeyError(self.vkey, f"region {self.address:#x} was unmapped")
        self._roots = [r for r in self._roots if r() is not None]
        for r in self._roots:
            root = r()
            if root is not None:
                return root
        buf = (ctypes.c_ubyte * self.length).from_address(self.address)
        root = np.ctypeslib.as_array(buf)
        self._roots.append(weakref.ref(root))
        return root

    def view(self) -> memoryview:
        """A writable memoryview of the pages; access is checked by the hardware."""
        return memoryview(self._root())

    def asarray(self, dtype: npt.DTypeLike = np.uint8) -> np.ndarray:
        """A numpy view of the pages as ``dtype``."""
        return self._root().view(dtype)

    def live_views(self) -> int:
        return sum(1 for r in self._roots if r() is not None)

    def _check_releasable(self) -> None:
        n = self.live_views()
        if n:
            raise BusyError(
                f"vkey {self.vkey}: region {self.address:#x} still has {n} live view(s); drop them (del) before munmap"
            )

    def _mark_unmapped(self) -> None:
        self._mapped = False
