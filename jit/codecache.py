"""The protected code cache: pages of machine code that are written only
inside a write window and never hold a PKRU-changing gadget.

Layout: one reservation (so every displacement between code and its data
fits in 32 bits) holding three page groups of the sandbox core:

- code: executable pages.  W^X modes:
  * ``pku``: mapped R+W+X once and tagged with the code vkey's hardware key,
    pinned in the key cache; every thread's PKRU write-disables it, and the
    write window is a domain for the emitting thread only -- other threads
    keep executing the same pages, even mid-window, but cannot write them.
  * ``mprotect``: each commit gets fresh pages (a vkey of its own) that are
    RW while written and flipped to R+X process-wide when published; a page
    that holds published code is never made writable again, so no thread can
    be running on a page being flipped.
  * ``none``: R+W+X, no window; only for baselines, and only when asked for
    by name.
- rodata: constants, jump tables and the GOT -- never executable, written in
  the same window, read-only otherwise.
- data: mutable globals of the loaded code (plain read-write).

Every commit is scanned (sandbox-independent bytes, final addresses, plus the
neighbouring bytes already in the cache) before anything becomes
executable; a hit is refused with :class:`GadgetError`.
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass, field

from libmpk import sandbox
from libmpk.sandbox import PROT_EXEC, PROT_READ, PROT_WRITE
from libmpk.sandbox.hw.syscalls import PAGE_SIZE, page_round

from . import scanner
from .errors import GadgetError, JitError

MODES = ("pku", "mprotect", "none")
RW = PROT_READ | PROT_WRITE
RX = PROT_READ | PROT_EXEC
RWX = RW | PROT_EXEC
_ALIGN = 16


@dataclass
class Placement:
    """Space handed out for one commit (not yet written)."""

    code: int
    code_size: int
    rodata: int
    rodata_size: int
    data: int
    data_size: int
    segment: int = -1  # mprotect mode: the vkey of the commit's own pages


@dataclass
class Stats:
    code_bytes: int = 0
    rodata_bytes: int = 0
    commits: int = 0
    functions: int = 0
    windows: int = 0
    scans: int = 0
    scanned_bytes: int = 0
    scan_hits: int = 0
    refused: int = 0
    replaced: int = 0
    invalidated: int = 0
    reclaimed_bytes: int = 0


class _Area:
    """Bump allocation with a free list inside one mapped region."""

    def __init__(self, start: int, length: int) -> None:
        self.start, self.end = start, start + length
        self.top = start
        self.free: list[tuple[int, int]] = []

    def take(self, size: int, align: int = _ALIGN, skew: int = 0) -> int:
        size = (size + align - 1) & ~(align - 1)
        for i, (a, n) in enumerate(self.free):
            if n >= size + skew:
                self.free[i] = (a + size + skew, n - size - skew)
                return a + skew
        addr = ((self.top + align - 1) & ~(align - 1)) + skew
        if addr + size > self.end:
            raise JitError(f"code cache area full ({self.end - self.start} bytes)")
        self.top = addr + size
        return addr

    def give(self, addr: int, size: int) -> None:
        self.free.append((addr, (size + _ALIGN - 1) & ~(_ALIGN - 1)))


class CodeCache:
    """Protected executable memory for a JIT.  See the module docstring."""

    def __init__(
        self,
        wx: str = "pku",
        code_size: int = 64 << 20,
        rodata_size: int = 16 << 20,
        data_size: int = 16 << 20,
    ) -> None:
        if wx not in MODES:
            raise JitError(f"unknown W^X mode {wx!r}; choose one of {', '.join(MODES)}")
        info = sandbox.info()
        if wx == "pku" and info["backend"] != "pku":
            raise JitError(f"W^X mode 'pku' needs protection keys; this process has none ({info['pku_reason']})")
        self.wx = wx
        self.stats = Stats()
        self._lock = threading.RLock()
        self._tls = threading.local()
        code_size, rodata_size, data_size = (page_round(x) for x in (code_size, rodata_size, data_size))
        self.reservation = sandbox.reserve(code_size + rodata_size + data_size)
        self.code_vkey = sandbox.new_vkey()
        self.rodata_vkey = sandbox.new_vkey()
        self.data_vkey = sandbox.new_vkey()
        self._segments: dict[int, tuple[int, int]] = {}  # mprotect: vkey -> (addr, size)
        ro_prot = RW if wx == "none" else PROT_READ  # "none" protects nothing
        ro = sandbox.mmap(self.rodata_vkey, rodata_size, ro_prot, within=self.reservation)
        self._rodata = _Area(ro.address, ro.length)
        rw = sandbox.mmap(self.data_vkey, data_size, RW, within=self.reservation)
        self._data = _Area(rw.address, rw.length)
        if wx == "mprotect":
            # code pages come per commit (see place); what is left of the
            # reservation is the code range
            start = self.reservation.take(code_size)
            self.reservation.give(start, code_size)
            self._code = _Area(start, code_size)
        else:
            region = sandbox.mmap(self.code_vkey, code_size, RX if wx == "pku" else RWX, within=self.reservation)
            self._code = _Area(region.address, region.length)
        if wx == "pku" and not (sandbox.pin(self.code_vkey) and sandbox.pin(self.rodata_vkey)):
            raise JitError("could not pin the code cache's vkeys to hardware keys")
        self._live: dict[int, tuple[Placement, int]] = {}  # handle -> (placement, n functions)
        self._dead: list[Placement] = []
        self._next_handle = 1

    def __repr__(self) -> str:
        return f"<CodeCache wx={self.wx} code={self._code.start:#x}+{self._code.end - self._code.start:#x}>"

    @property
    def code_range(self) -> tuple[int, int]:
        return self._code.start, self._code.end

    def contains(self, address: int) -> bool:
        return self._code.start <= address < self._code.end

    # --- the write window -----------------------------------------------------

    def writable(self) -> _Window:
        """The one way to write code and rodata pages: ``with cache.writable():``.

        Nestable per thread.  Under ``pku`` only the calling thread gains the
        right to write; under ``mprotect`` the rodata pages become writable
        process-wide (code pages are written while unpublished).
        """
        return _Window(self)

    def _open(self) -> None:
        depth = getattr(self._tls, "depth", 0)
        self._tls.depth = depth + 1
        if depth:
            return
        self.stats.windows += 1
        if self.wx == "pku":
            sandbox.begin(self.code_vkey, RWX)
            sandbox.begin(self.rodata_vkey, RW)
        elif self.wx == "mprotect":
            sandbox.mprotect(self.rodata_vkey, RW)

    def _close(self) -> None:
        self._tls.depth -= 1
        if self._tls.depth:
            return
        if self.wx == "pku":
            sandbox.end(self.rodata_vkey)
            sandbox.end(self.code_vkey)
        elif self.wx == "mprotect":
            sandbox.mprotect(self.rodata_vkey, PROT_READ)

    def in_window(self) -> bool:
        return getattr(self._tls, "depth", 0) > 0

    # --- placement and commit -----------------------------------------------

    def place(self, code_size: int, rodata_size: int = 0, data_size: int = 0, skew: int = 0) -> Placement:
        """Reserve space for one commit.  ``skew`` shifts the code start (the
        loader re-places code whose displacements formed a gadget)."""
        with self._lock:
            if self.wx == "mprotect":
                size = page_round(code_size + skew + 1)
                vkey = sandbox.new_vkey()
                region = sandbox.mmap(vkey, size, RW, within=self.reservation)
                code = region.address + skew
                self._segments[vkey] = (region.address, region.length)
            else:
                vkey = -1
                code = self._code.take(max(code_size, 1), skew=skew)
            ro = self._rodata.take(max(rodata_size, 1)) if rodata_size else 0
            rw = self._data.take(max(data_size, 1)) if data_size else 0
            return Placement(code, code_size, ro, rodata_size, rw, data_size, vkey)

    def place_at(self, address: int, code_size: int, rodata_size: int = 0, data_size: int = 0) -> Placement:
        """Place code at an exact free address (tests use it to force a layout)."""
        if self.wx == "mprotect":
            raise JitError("place_at is not available in mprotect mode")
        with self._lock:
            area = self._code
            if not (area.top <= address and address + code_size <= area.end):
                raise JitError(f"place_at({address:#x}): not in the free part of the code area")
            if address > area.top:
                area.give(area.top, address - area.top)
            area.top = address + code_size
            ro = self._rodata.take(max(rodata_size, 1)) if rodata_size else 0
            rw = self._data.take(max(data_size, 1)) if data_size else 0
            return Placement(address, code_size, ro, rodata_size, rw, data_size)

    def release(self, p: Placement) -> None:
        """Give back space of a placement that was never committed."""
        with self._lock:
            self._free(p)

    def _free(self, p: Placement) -> None:
        if p.segment >= 0:
            sandbox.munmap(p.segment)
            del self._segments[p.segment]
        elif p.code_size:
            self._code.give(p.code, p.code_size)
        if p.rodata_size:
            self._rodata.give(p.rodata, p.rodata_size)
        if p.data_size:
            self._data.give(p.data, p.data_size)

    def check(self, p: Placement, code: bytes) -> list[scanner.Hit]:
        """Scan ``code`` as it would sit at ``p.code``, with its neighbours'
        bytes on both sides (a pattern may straddle the boundary)."""
        before = self._neighbour(p.code - 2, 2)
        after = self._neighbour(p.code + len(code), 2)
        hits = scanner.scan(before + code + after)
        self.stats.scans += 1
        self.stats.scanned_bytes += len(code) + 4
        return [scanner.Hit(h.offset - len(before), h.kind) for h in hits]

    def _neighbour(self, addr: int, n: int) -> bytes:
        lo, hi = self._code.start, self._code.end
        if self.wx == "mprotect":
            for start, size in self._segments.values():
                if start <= addr < start + size:
                    lo, hi = start, start + size
                    break
            else:
                return b""
        a, b = max(addr, lo), min(addr + n, hi)
        return ctypes.string_at(a, b - a) if b > a else b""

    def commit(self, p: Placement, code: bytes, rodata: bytes = b"", data: bytes = b"", functions: int = 1) -> int:
        """Write a placement's bytes and make the code executable; a handle.

        Raises :class:`GadgetError` (and writes nothing) if the code, in
        place, contains a PKRU-changing pattern.
        """
        if len(code) > p.code_size or len(rodata) > p.rodata_size or len(data) > p.data_size:
            raise JitError("commit: bytes larger than their placement")
        with self._lock:
            hits = self.check(p, code)
            if hits:
                self.stats.scan_hits += len(hits)
                self.stats.refused += 1
                raise GadgetError(_describe(hits, code, p.code), hits)
            with self.writable():
                if rodata:
                    ctypes.memmove(p.rodata, rodata, len(rodata))
                ctypes.memmove(p.code, code, len(code))
            if data:
                ctypes.memmove(p.data, data, len(data))
            if p.segment >= 0:
                sandbox.mprotect(p.segment, RX)  # publish: never writable again
            handle = self._next_handle
            self._next_handle += 1
            self._live[handle] = (p, functions)
            s = self.stats
            s.commits += 1
            s.functions += functions
            s.code_bytes += len(code)
            s.rodata_bytes += len(rodata)
            return handle

    # --- invalidation and reuse ---------------------------------------------

    def invalidate(self, handle: int) -> None:
        """Retire a commit.  Its space is reused after :meth:`collect`, which
        the embedder calls when no thread can still be running that code."""
        with self._lock:
            entry = self._live.pop(handle, None)
            if entry is None:
                raise JitError(f"invalidate: no live commit {handle}")
            p, n = entry
            self._dead.append(p)
            self.stats.invalidated += n
            self.stats.functions -= n

    def collect(self) -> int:
        """Reclaim invalidated commits' space (trap-filled first); bytes reclaimed."""
        with self._lock:
            total = 0
            dead, self._dead = self._dead, []
            for p in dead:
                if p.segment < 0 and p.code_size:
                    with self.writable():
                        ctypes.memset(p.code, 0xCC, p.code_size)  # int3: a stale call traps
                total += p.code_size
                self._free(p)
            self.stats.reclaimed_bytes += total
            return total

    def close(self) -> None:
        """Unmap everything (no thread may be running its code)."""
        with self._lock:
            if self.wx == "pku":
                sandbox.unpin(self.code_vkey)
                sandbox.unpin(self.rodata_vkey)
            for vkey in list(self._segments):
                sandbox.munmap(vkey)
            self._segments.clear()
            for vkey in (self.code_vkey, self.rodata_vkey, self.data_vkey):
                try:
                    sandbox.munmap(vkey)
                except sandbox.VkeyError:
                    pass

    def snapshot(self) -> dict:
        d = dict(self.stats.__dict__)
        d["wx"] = self.wx
        return d


class _Window:
    """``with cache.writable():`` (V8's RwxMemoryWriteScope, in spirit)."""

    __slots__ = ("cache",)

    def __init__(self, cache: CodeCache) -> None:
        self.cache = cache

    def __enter__(self) -> CodeCache:
        self.cache._open()
        return self.cache

    def __exit__(self, *exc: object) -> None:
        self.cache._close()


def _describe(hits: list[scanner.Hit], code: bytes, base: int) -> str:
    parts = []
    for h in hits[:5]:
        e = scanner.explain(code, base, h.offset) if 0 <= h.offset < len(code) else None
        how = f"{e.where} of '{e.insn}'" if e else "across the commit's boundary"
        parts.append(f"{h.kind} at +{h.offset:#x} ({base + h.offset:#x}): {how}")
    more = f" (+{len(hits) - 5} more)" if len(hits) > 5 else ""
    return "refusing to make code executable: " + "; ".join(parts) + more


__all__ = ["CodeCache", "Placement", "MODES", "PAGE_SIZE", "field"]
