"""The protected code cache: pages of machine code that are written only
inside a write window and never hold a PKRU-changing gadget.

Layout: one reservation (so every displacement between code and its data
fits in 32 bits) holding three page groups of the sandbox core:

- code: executable pages.  W^X modes:
  * ``pku``: mapped R+W+X once and tagged with the code vkey's hardware key,
    pinned in the key cache; every thread's PKRU write-disables it, and the
    write window is a domain for the emitting thread only -- other threads
    keep executing the same pages, even mid-window, but cannot write them.
  * ``mprotect``: each commit gets fresh pages (a vkey of its own), readable
    but not writable until the commit itself writes them: trap fill (int3)
    everywhere, the code at its place, then read-only -- frozen, so no
    thread can change a byte after it was scanned -- scanned whole, and only
    then R+X.  A page that holds published code is never made writable
    again, so no thread can be running on a page being flipped.
  * ``none``: R+W+X, no window; only for baselines, and only when asked for
    by name.
  Live code changes only through :meth:`CodeCache.patch` (an inline cache's
  immediates): scanned in place first, written in this thread's window
  (``pku``: no system call) or, under ``mprotect``, by flipping that
  commit's own pages RW, frozen, rescanned, then RX again -- the one time a
  published page is writable, and no thread may run that commit meanwhile.
- rodata: constants, jump tables and the GOT -- never executable, written by
  the commit, read-only otherwise.  ``pku``: one area, written in the
  commit's window (and, by its own thread, in a public window).
  ``mprotect``: each commit's rodata gets pages of its own, like its code,
  made writable only while the commit writes them: no public window is
  needed -- or has any effect -- and none costs a system call.
- data: mutable globals of the loaded code (plain read-write).

Every commit is scanned (sandbox-independent bytes, final addresses, plus the
neighbouring bytes already in the cache) before anything becomes
executable; a hit is refused with :class:`GadgetError`.

The invariants, each kept here and attacked in tests/attacks/test_codecache.py:
a byte becomes executable only if the cache itself wrote it -- scanned code
or its own trap fill -- and scanned it where it runs; a window (and each
domain it opens) closes on every exit path, and windows of several threads
compose; a :class:`Placement` is a capability -- only the object the cache
handed out, unchanged and not yet committed, is accepted back.
"""

from __future__ import annotations

import ctypes
import operator
import threading
from dataclasses import astuple, dataclass, field

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


@dataclass(frozen=True, eq=False)
class Placement:
    """Space handed out for one commit (not yet written): a capability --
    the cache accepts back only the object it handed out, unchanged."""

    code: int
    code_size: int
    rodata: int
    rodata_size: int
    data: int
    data_size: int
    segment: int = -1  # mprotect mode: the vkey of the commit's own pages
    ro_segment: int = -1  # mprotect mode: the vkey of its own rodata pages


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
    patches: int = 0
    patched_bytes: int = 0


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
        if not isinstance(wx, str) or wx not in MODES:
            raise JitError(f"unknown W^X mode {wx!r}; choose one of {', '.join(MODES)}")
        code_size = _size("code_size", code_size, minimum=1)
        rodata_size = _size("rodata_size", rodata_size, minimum=1)
        data_size = _size("data_size", data_size, minimum=1)
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
        if wx == "mprotect":
            self._rodata = _Area(0, 0)  # rodata comes per commit (see place)
        else:
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
        self._issued: dict[int, tuple] = {}  # id(placement) -> its fields, until committed or released

    def warm_up(self) -> None:
        """Take once, on nothing that matters, the paths a commit takes: numba
        loads each native sandbox function from its cache at its first call
        (~5 ms for the page-table mprotect alone), which would otherwise be
        charged to the first commit.  Every step is a no-op: the data pages
        are given the protection they have, and a write window is opened and
        closed."""
        sandbox.mprotect(self.data_vkey, RW)
        with self.writable():
            pass

    def __repr__(self) -> str:
        return f"<CodeCache wx={self.wx} code={self._code.start:#x}+{self._code.end - self._code.start:#x}>"

    @property
    def code_range(self) -> tuple[int, int]:
        return self._code.start, self._code.end

    def contains(self, address: int) -> bool:
        return self._code.start <= address < self._code.end

    # --- the write window -----------------------------------------------------

    def writable(self) -> _Window:
        """Write rodata pages: ``with cache.writable():``.

        Nestable per thread.  Under ``pku`` only the calling thread gains the
        right to write.  Under ``mprotect`` a commit's rodata is written by
        the commit alone, in pages of its own, so the window opens nothing
        (and costs no system call).  Code pages are not opened here: only
        :meth:`commit` (and :meth:`collect`'s trap fill) write them, in
        their own window, so no byte the cache did not scan becomes
        executable.
        """
        return _Window(self, code=False)

    def _open(self, code: bool) -> None:
        """Open this thread's window (rodata; the code too if ``code``); on
        any failure nothing stays open."""
        tls = self._tls
        ro, co = getattr(tls, "ro", 0), getattr(tls, "code", 0)
        if self.wx == "pku":
            if code and not co:
                sandbox.begin(self.code_vkey, RWX)
            if not ro:
                try:
                    sandbox.begin(self.rodata_vkey, RW)
                except BaseException:
                    if code and not co:
                        sandbox.end(self.code_vkey)
                    raise
        if not ro:
            self.stats.windows += 1
        tls.ro, tls.code = ro + 1, co + int(code)

    def _close(self, code: bool) -> None:
        tls = self._tls
        ro, co = getattr(tls, "ro", 0), getattr(tls, "code", 0)
        if ro <= 0 or (code and co <= 0):
            raise JitError("no write window of this thread is open")
        tls.ro, tls.code = ro - 1, co - int(code)
        try:
            if ro == 1 and self.wx == "pku":
                sandbox.end(self.rodata_vkey)
        finally:
            if code and co == 1 and self.wx == "pku":
                sandbox.end(self.code_vkey)

    def in_window(self) -> bool:
        return getattr(self._tls, "ro", 0) > 0

    # --- placement and commit -----------------------------------------------

    def place(self, code_size: int, rodata_size: int = 0, data_size: int = 0, skew: int = 0) -> Placement:
        """Reserve space for one commit.  ``skew`` shifts the code start (the
        loader re-places code whose displacements formed a gadget).  Nothing
        placed is writable: only :meth:`commit` writes it."""
        code_size = _size("code_size", code_size)
        rodata_size = _size("rodata_size", rodata_size)
        data_size = _size("data_size", data_size)
        skew = _size("skew", skew)
        with self._lock:
            ro_vkey = -1
            if self.wx == "mprotect":
                vkey, code = self._segment(code_size + skew + 1)
                code += skew
                if rodata_size:
                    ro_vkey, ro = self._segment(rodata_size)
            else:
                vkey = -1
                code = self._code.take(max(code_size, 1), skew=skew)
            if ro_vkey < 0:
                ro = self._rodata.take(max(rodata_size, 1)) if rodata_size else 0
            rw = self._data.take(max(data_size, 1)) if data_size else 0
            return self._issue(Placement(code, code_size, ro, rodata_size, rw, data_size, vkey, ro_vkey))

    def _segment(self, size: int) -> tuple[int, int]:
        """mprotect mode: fresh read-only pages, a vkey of their own."""
        vkey = sandbox.new_vkey()
        region = sandbox.mmap(vkey, page_round(size), PROT_READ, within=self.reservation)
        self._segments[vkey] = (region.address, region.length)
        return vkey, region.address

    def _issue(self, p: Placement) -> Placement:
        self._issued[id(p)] = astuple(p)
        return p

    def _redeem(self, p: object) -> Placement:
        """``p`` if it is a placement this cache handed out, unchanged and not
        yet committed or released; else JitError (the caller holds the lock)."""
        if not isinstance(p, Placement) or self._issued.get(id(p)) != astuple(p):
            raise JitError(f"{p!r} is not a live placement of this cache (placements come from place())")
        return p

    def place_at(self, address: int, code_size: int, rodata_size: int = 0, data_size: int = 0) -> Placement:
        """Place code at an exact free address (tests use it to force a layout)."""
        if self.wx == "mprotect":
            raise JitError("place_at is not available in mprotect mode")
        address = _size("address", address)
        code_size = _size("code_size", code_size)
        rodata_size = _size("rodata_size", rodata_size)
        data_size = _size("data_size", data_size)
        with self._lock:
            area = self._code
            if not (area.top <= address and address + code_size <= area.end):
                raise JitError(f"place_at({address:#x}): not in the free part of the code area")
            if address > area.top:
                area.give(area.top, address - area.top)
            area.top = address + code_size
            ro = self._rodata.take(max(rodata_size, 1)) if rodata_size else 0
            rw = self._data.take(max(data_size, 1)) if data_size else 0
            return self._issue(Placement(address, code_size, ro, rodata_size, rw, data_size))

    def release(self, p: Placement) -> None:
        """Give back space of a placement that was never committed."""
        with self._lock:
            self._redeem(p)
            del self._issued[id(p)]
            self._free(p)

    def _free(self, p: Placement) -> None:
        if p.segment >= 0:
            sandbox.munmap(p.segment)
            del self._segments[p.segment]
        elif p.code_size:
            self._code.give(p.code, p.code_size)
        if p.ro_segment >= 0:
            sandbox.munmap(p.ro_segment)
            del self._segments[p.ro_segment]
        elif p.rodata_size:
            self._rodata.give(p.rodata, p.rodata_size)
        if p.data_size:
            self._data.give(p.data, p.data_size)

    def check(self, p: Placement, code: bytes) -> list[scanner.Hit]:
        """Scan ``code`` as it would sit at ``p.code``, with its neighbours'
        bytes on both sides (a pattern may straddle the boundary)."""
        with self._lock:
            self._redeem(p)
        code = _bytes("code", code)
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
        code, rodata, data = _bytes("code", code), _bytes("rodata", rodata), _bytes("data", data)
        functions = _size("functions", functions)
        with self._lock:
            self._redeem(p)
            if len(code) > p.code_size or len(rodata) > p.rodata_size or len(data) > p.data_size:
                raise JitError("commit: bytes larger than their placement")
            hits = self.check(p, code)
            if hits:
                self.stats.scan_hits += len(hits)
                self.stats.refused += 1
                raise GadgetError(_describe(hits, code, p.code), hits)
            del self._issued[id(p)]  # spent, whatever happens next
            if p.ro_segment >= 0 and rodata:
                self._write_segment(p.ro_segment, p.rodata, rodata)
            if p.segment >= 0:
                self._publish_segment(p, code)
            else:
                with _Window(self, code=True):
                    if rodata:
                        ctypes.memmove(p.rodata, rodata, len(rodata))
                    ctypes.memmove(p.code, code, len(code))
            if data:
                ctypes.memmove(p.data, data, len(data))
            handle = self._next_handle
            self._next_handle += 1
            self._live[handle] = (p, functions)
            s = self.stats
            s.commits += 1
            s.functions += functions
            s.code_bytes += len(code)
            s.rodata_bytes += len(rodata)
            return handle

    @staticmethod
    def _write_segment(vkey: int, address: int, data: bytes) -> None:
        """mprotect mode: write a commit's own pages (its rodata, or a patch of
        its code), then freeze them read-only."""
        sandbox.mprotect(vkey, RW)
        try:
            ctypes.memmove(address, data, len(data))
        finally:
            sandbox.mprotect(vkey, PROT_READ)

    def _publish_segment(self, p: Placement, code: bytes) -> None:
        """mprotect mode: write a commit's own pages whole -- trap fill, the
        code at its place -- freeze them read-only, scan every byte as it now
        sits there, and only then make them executable (never writable again)."""
        start, size = self._segments[p.segment]
        image = bytearray(b"\xcc" * size)
        image[p.code - start : p.code - start + len(code)] = code
        sandbox.mprotect(p.segment, RW)
        try:
            ctypes.memmove(start, bytes(image), size)
        finally:
            sandbox.mprotect(p.segment, PROT_READ)  # frozen: what is scanned next is what runs
        placed = ctypes.string_at(start, size)
        hits = scanner.scan(placed)
        self.stats.scans += 1
        self.stats.scanned_bytes += size
        if hits or placed != bytes(image):
            self._free(p)
            self.stats.scan_hits += len(hits)
            self.stats.refused += 1
            raise GadgetError(
                _describe([scanner.Hit(h.offset - (p.code - start), h.kind) for h in hits], code, p.code)
                if hits
                else "the commit's pages changed while it wrote them",
                hits,
            )
        sandbox.mprotect(p.segment, RX)  # publish

    # --- patching live code ---------------------------------------------------

    def patch(self, handle: int, address: int, data: bytes) -> None:
        """Rewrite ``data`` at ``address`` inside live commit ``handle``'s code
        (a JIT's inline-cache immediates), as V8 patches its ICs.

        The bytes as they would sit there, with two neighbours on each side,
        are scanned first: a PKRU-changing pattern raises GadgetError and
        nothing is written.  ``pku``: this thread's code window, no system
        call.  ``mprotect``: the commit's own pages go RW (not executable),
        are written, frozen read-only, checked and rescanned, then RX again
        -- three system calls, during which no thread may run that commit
        (the embedder's to ensure; a JS engine's one thread is in the miss
        handler).  ``none``: a plain store.
        """
        if type(handle) is not int or type(address) is not int:
            raise JitError("patch: handle and address must be ints")
        data = _bytes("data", data)
        if not 0 < len(data) <= 64:
            raise JitError(f"patch: {len(data)} bytes (1..64 may be patched at once)")
        with self._lock:
            entry = self._live.get(handle)
            if entry is None:
                raise JitError(f"patch: no live commit {handle}")
            p = entry[0]
            if not (p.code <= address and address + len(data) <= p.code + p.code_size):
                raise JitError(f"patch: {address:#x}+{len(data)} is not inside commit {handle}'s code")
            before = self._neighbour(address - 2, 2)
            after = self._neighbour(address + len(data), 2)
            hits = scanner.scan(before + data + after)
            self.stats.scans += 1
            self.stats.scanned_bytes += len(data) + 4
            if hits:
                self.stats.scan_hits += len(hits)
                self.stats.refused += 1
                raise GadgetError(
                    _describe([scanner.Hit(h.offset - len(before), h.kind) for h in hits], data, address), hits
                )
            if p.segment >= 0:
                self._patch_segment(p, address, data)
            elif self.wx == "pku":
                with _Window(self, code=True):
                    ctypes.memmove(address, data, len(data))
            else:
                ctypes.memmove(address, data, len(data))
            self.stats.patches += 1
            self.stats.patched_bytes += len(data)

    def _patch_segment(self, p: Placement, address: int, data: bytes) -> None:
        """mprotect mode: flip the commit's pages RW, write, freeze them, and
        publish them again only if every byte is what was scanned -- the
        pages are writable by any thread while they are RW, so a stray write
        anywhere in them (not only beside the patch) undoes the patch: the
        last published image goes back, or, if even that is contested, the
        pages stay read-only and never execute."""
        start, size = self._segments[p.segment]
        old = ctypes.string_at(start, size)
        new = bytearray(old)
        new[address - start : address - start + len(data)] = data
        new = bytes(new)
        self._write_segment(p.segment, address, data)
        self.stats.windows += 1
        if ctypes.string_at(start, size) == new:
            sandbox.mprotect(p.segment, RX)
            return
        self._write_segment(p.segment, start, old)
        if ctypes.string_at(start, size) == old:
            sandbox.mprotect(p.segment, RX)
        self.stats.refused += 1
        raise GadgetError("the commit's pages changed while the patch was written: patch undone", [])

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
                    with _Window(self, code=True):
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

    __slots__ = ("cache", "code")

    def __init__(self, cache: CodeCache, code: bool) -> None:
        self.cache, self.code = cache, code

    def __enter__(self) -> CodeCache:
        self.cache._open(self.code)
        return self.cache

    def __exit__(self, *exc: object) -> None:
        self.cache._close(self.code)


def _size(what: str, value: object, minimum: int = 0) -> int:
    """A non-negative int argument (sizes, offsets, counts), else JitError."""
    if not isinstance(value, bool):
        try:
            n = operator.index(value)
        except TypeError:
            n = None
        if n is not None and minimum <= n < 1 << 47:
            return n
    raise JitError(f"{what} must be an int in [{minimum}, 2**47), got {value!r}")


def _bytes(what: str, value: object) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise JitError(f"{what} must be bytes, got {type(value).__name__}")


def _describe(hits: list[scanner.Hit], code: bytes, base: int) -> str:
    parts = []
    for h in hits[:5]:
        e = scanner.explain(code, base, h.offset) if 0 <= h.offset < len(code) else None
        how = f"{e.where} of '{e.insn}'" if e else "across the commit's boundary"
        parts.append(f"{h.kind} at +{h.offset:#x} ({base + h.offset:#x}): {how}")
    more = f" (+{len(hits) - 5} more)" if len(hits) > 5 else ""
    return "refusing to make code executable: " + "; ".join(parts) + more


__all__ = ["CodeCache", "Placement", "MODES", "PAGE_SIZE", "field"]
