"""Load relocatable objects into the code cache ourselves.

MCJIT and ORC place code where they like; a protected cache needs it in its
own pages.  So: llvmlite compiles IR to an ELF object (reloc=pic,
codemodel=small -- the model whose relocations are all PC-relative or via the
GOT, so nothing absolute lands in code), pyelftools reads it, and this module
lays it out, relocates it into private buffers at the final addresses, has the
cache scan it in place, and commits it in one write window.

Supported relocations: R_X86_64_PC32, PLT32, GOTPCREL, GOTPCRELX,
REX_GOTPCRELX (in code and in rodata, e.g. jump tables).  Calls to external
symbols go through 8-byte stubs (``jmp *GOT(sym)(%rip)``) whose GOT slots sit
in the read-only data pages; executable pages never hold an absolute address.
"""

from __future__ import annotations

import ctypes
import operator
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from . import objfile, scanner
from .codecache import CodeCache, Placement
from .errors import GadgetError, JitError, RelocationError

R_X86_64_PC32 = 2
R_X86_64_PLT32 = 4
R_X86_64_GOTPCREL = 9
R_X86_64_GOTPCRELX = 41
R_X86_64_REX_GOTPCRELX = 42
_NAMES = {
    0: "R_X86_64_NONE",
    1: "R_X86_64_64",
    2: "R_X86_64_PC32",
    3: "R_X86_64_GOT32",
    4: "R_X86_64_PLT32",
    9: "R_X86_64_GOTPCREL",
    10: "R_X86_64_32",
    11: "R_X86_64_32S",
    24: "R_X86_64_PC64",
    25: "R_X86_64_GOTOFF64",
    26: "R_X86_64_GOTPC32",
    41: "R_X86_64_GOTPCRELX",
    42: "R_X86_64_REX_GOTPCRELX",
}
_PCREL = (R_X86_64_PC32, R_X86_64_PLT32)
_GOTREL = (R_X86_64_GOTPCREL, R_X86_64_GOTPCRELX, R_X86_64_REX_GOTPCRELX)
STUB_SIZE = 8
_MAX_REPLACE = 16


def reloc_name(t: int) -> str:
    return _NAMES.get(t, f"relocation type {t}")


_LIBS: list[ctypes.CDLL] = []


def _check_externals(externals: object) -> dict:
    if externals is None:
        return {}
    if not isinstance(externals, dict):
        raise RelocationError(f"externals must be a dict of symbol name -> address, not {type(externals).__name__}")
    return dict(externals)


def _address_of(name: str, value: object) -> int:
    """An external's address: an int, or a ctypes function/pointer (a callback, say)."""
    if isinstance(value, (ctypes._CFuncPtr, ctypes._Pointer, ctypes.c_void_p)):  # type: ignore[attr-defined]
        value = ctypes.cast(value, ctypes.c_void_p).value or 0
    try:
        if isinstance(value, bool):
            raise TypeError
        addr = operator.index(value)
    except TypeError:
        raise RelocationError(
            f"external {name!r}: expected an address (int) or a ctypes function or pointer, not {type(value).__name__}"
        ) from None
    if not 0 < addr < 1 << 64:
        raise RelocationError(f"external {name!r}: {addr:#x} is not an address")
    return addr


def process_symbol(name: str) -> int | None:
    """Address of ``name`` in the process (libc, libm), or None."""
    if not _LIBS:
        _LIBS.append(ctypes.CDLL(None))
        for lib in ("libm.so.6",):
            try:
                _LIBS.append(ctypes.CDLL(lib))
            except OSError:
                pass
    for lib in _LIBS:
        try:
            return ctypes.cast(getattr(lib, name), ctypes.c_void_p).value
        except AttributeError:
            continue
    return None


ENTRY_PAD = b"\x0f\x1f\x44\x00"
"""The first four bytes of the 5-byte NOP (``nopl disp8(%rax,%rax,1)``) that
LLVM puts before a function's code for ``"patchable-function-entry"="5"``."""


@dataclass
class Module:
    """Code the cache holds: function addresses, callables, and its handle."""

    cache: CodeCache
    handle: int
    functions: dict[str, int]
    placement: Placement
    _keep: list = field(default_factory=list)

    def address(self, name: str) -> int:
        """Machine-code address of ``name`` (e.g. for numba or a caller's own code)."""
        try:
            return self.functions[name]
        except KeyError:
            raise RelocationError(
                f"no function {name!r} in this module ({', '.join(sorted(self.functions))})"
            ) from None

    def ctypes(self, name: str, restype, *argtypes) -> Callable:
        """A ctypes function for ``name``; also callable from numba @njit code."""
        fn = ctypes.CFUNCTYPE(restype, *argtypes)(self.address(name))
        self._keep.append(fn)
        return fn

    def redirect(self, name: str, target: int) -> None:
        """Send every later call of ``name`` to ``target`` (its replacement:
        a tier-up, a new version), however the caller reached it.  ``name``
        must have been compiled with an entry pad (:func:`.compiler.entry_pads`):
        its 5-byte NOP becomes ``jmp rel32`` through :meth:`CodeCache.patch`
        -- scanned first, written in the cache's window.  Frames already in
        ``name`` run on; a pad holds no call, so no return lands inside it."""
        at = self.address(name)
        if type(target) is not int or not self.cache.contains(target):
            raise JitError(f"redirect: the target of {name!r} must be code in the same cache")
        pad = bytes((ctypes.c_ubyte * 5).from_address(at))
        if pad[:4] != ENTRY_PAD:
            raise JitError(f"redirect: {name!r} has no entry pad (found {pad.hex()}); compile it with entry_pads()")
        rel = target - (at + 5)
        if not -(1 << 31) <= rel < 1 << 31:
            raise JitError(f"redirect: {target:#x} is out of a rel32 jump's reach from {name!r}")
        self.cache.patch(self.handle, at, b"\xe9" + struct.pack("<i", rel))

    def invalidate(self) -> None:
        self.cache.invalidate(self.handle)


@dataclass
class _Layout:
    code: bytearray
    rodata: bytearray
    data: bytearray
    offsets: dict[int, tuple[str, int]]  # section index -> (kind, offset in its image)
    stubs: dict[int, int]  # external symbol index -> stub offset in code
    got: dict[int, int]  # symbol index -> GOT slot offset in rodata


def _align(n: int, a: int) -> int:
    return (n + a - 1) & ~(a - 1)


def _layout(obj: objfile.ObjectFile) -> _Layout:
    images = {objfile.CODE: bytearray(), objfile.RODATA: bytearray(), objfile.DATA: bytearray()}
    offsets = {}
    for sec in obj.sections.values():
        img = images[sec.kind]
        img.extend(
            b"\xcc" * (_align(len(img), sec.align) - len(img))
            if sec.kind == objfile.CODE
            else bytes(_align(len(img), sec.align) - len(img))
        )
        offsets[sec.index] = (sec.kind, len(img))
        img.extend(sec.data)
    code, ro = images[objfile.CODE], images[objfile.RODATA]
    stubs: dict[int, int] = {}
    got: dict[int, int] = {}
    for r in obj.relocs:
        sym = obj.symbols[r.symbol]
        if r.type in _GOTREL:
            got.setdefault(r.symbol, -1)
        elif r.type in _PCREL and sym.section is None and obj.sections[r.section].kind == objfile.CODE:
            stubs.setdefault(r.symbol, -1)
            got.setdefault(r.symbol, -1)
    code.extend(b"\xcc" * (_align(len(code), 8) - len(code)))
    for s in stubs:
        stubs[s] = len(code)
        code.extend(b"\xff\x25\0\0\0\0\xcc\xcc")  # jmp *disp32(%rip); int3 padding
    ro.extend(bytes(_align(len(ro), 8) - len(ro)))
    for s in got:
        got[s] = len(ro)
        ro.extend(bytes(8))
    return _Layout(code, ro, images[objfile.DATA], offsets, stubs, got)


class Loader:
    """Relocate objects into one :class:`CodeCache`."""

    def __init__(self, cache: CodeCache, externals: dict[str, int] | None = None) -> None:
        self.cache = cache
        self.externals = _check_externals(externals)
        objfile.prepare()  # (once per process: the ELF parser's set-up is not the first load's)

    def _resolve_external(self, name: str, extra: dict[str, int]) -> int:
        addr = extra.get(name, self.externals.get(name))
        if addr is None:
            addr = process_symbol(name)
        else:
            addr = _address_of(name, addr)
        if not addr:
            raise RelocationError(f"undefined symbol {name!r}: pass it in externals= or load a library exporting it")
        return addr

    def load_object(self, blob: bytes, externals: dict[str, int] | None = None, _first_at: int | None = None) -> Module:
        """Lay out, relocate, scan and commit an ELF object; the loaded module."""
        obj = objfile.parse(blob)
        for r in obj.relocs:
            if r.type not in _PCREL + _GOTREL:
                sec = obj.sections[r.section].name
                raise RelocationError(f"unsupported relocation {reloc_name(r.type)} in {sec} at +{r.offset:#x}")
        lay = _layout(obj)
        extra = _check_externals(externals)
        ext = {i: self._resolve_external(s.name, extra) for i, s in enumerate(obj.symbols) if s.section is None and i}
        code_relocs = [r for r in obj.relocs if obj.sections[r.section].kind == objfile.CODE]
        skew = 0
        for attempt in range(_MAX_REPLACE):
            p = self.cache.place(len(lay.code), len(lay.rodata), len(lay.data), skew=skew)
            if attempt == 0 and _first_at is not None:  # tests: force a placement
                self.cache.release(p)
                p = self.cache.place_at(_first_at, len(lay.code), len(lay.rodata), len(lay.data))
            try:
                code, ro, data = self._relocate(obj, lay, p, ext)
            except BaseException:
                self.cache.release(p)
                raise
            hits = self.cache.check(p, bytes(code))
            if not hits:
                break
            fixed = _relocated_fields(code_relocs, lay)
            if all(any(lo <= h.offset + k < hi for k in range(3) for lo, hi in fixed) for h in hits):
                self.cache.release(p)  # every hit involves an address: move the code
                self.cache.stats.replaced += 1
                skew = (skew + 16) % 4096 if self.cache.wx == "mprotect" else skew + 16
                continue
            self.cache.release(p)
            self.cache.stats.scan_hits += len(hits)
            self.cache.stats.refused += 1
            raise GadgetError(_explain(hits, bytes(code), p.code, fixed), hits)
        else:
            self.cache.release(p)
            raise GadgetError(f"no placement without a gadget after {_MAX_REPLACE} tries", hits)
        funcs = {}
        for s in obj.functions():
            kind, off = lay.offsets.get(s.section, (None, 0))
            if kind == objfile.CODE:
                funcs[s.name] = p.code + off + s.value
        handle = self.cache.commit(p, bytes(code), bytes(ro), bytes(data), functions=max(len(funcs), 1))
        return Module(self.cache, handle, funcs, p)

    def _relocate(
        self, obj: objfile.ObjectFile, lay: _Layout, p: Placement, ext: dict[int, int]
    ) -> tuple[bytearray, bytearray, bytearray]:
        code, ro, data = bytearray(lay.code), bytearray(lay.rodata), bytearray(lay.data)
        bases = {objfile.CODE: p.code, objfile.RODATA: p.rodata, objfile.DATA: p.data}
        images = {objfile.CODE: code, objfile.RODATA: ro, objfile.DATA: data}

        def sym_addr(i: int) -> int:
            s = obj.symbols[i]
            if s.section is None:
                return ext[i]
            if s.section not in lay.offsets:
                raise RelocationError(f"symbol {s.name!r} is in a section that is not loaded")
            kind, off = lay.offsets[s.section]
            return bases[kind] + off + s.value

        for i, slot in lay.got.items():
            struct.pack_into("<Q", ro, slot, sym_addr(i))
        for i, stub in lay.stubs.items():
            disp = (p.rodata + lay.got[i]) - (p.code + stub + 6)
            struct.pack_into("<i", code, stub + 2, _fit(disp, "stub", obj.symbols[i].name))
        for r in obj.relocs:
            kind, off = lay.offsets[r.section]
            place = bases[kind] + off + r.offset
            sym = obj.symbols[r.symbol]
            if r.type in _GOTREL:
                target = p.rodata + lay.got[r.symbol]
            elif sym.section is None:
                if kind != objfile.CODE:
                    raise RelocationError(f"{reloc_name(r.type)} to external {sym.name!r} from data is not supported")
                target = p.code + lay.stubs[r.symbol]
            else:
                target = sym_addr(r.symbol)
            struct.pack_into(
                "<i", images[kind], off + r.offset, _fit(target + r.addend - place, reloc_name(r.type), sym.name)
            )
        return code, ro, data


def _fit(value: int, what: str, name: str) -> int:
    if not -(1 << 31) <= value < (1 << 31):
        raise RelocationError(f"{what} to {name!r} does not fit in 32 bits ({value:#x}): code and data too far apart")
    return value


def _relocated_fields(relocs: list, lay: _Layout) -> list[tuple[int, int]]:
    """Byte ranges of the code image whose value depends on placement."""
    fields = []
    for r in relocs:
        _, off = lay.offsets[r.section]
        fields.append((off + r.offset, off + r.offset + 4))
    for stub in lay.stubs.values():
        fields.append((stub + 2, stub + 6))
    return fields


def _explain(hits: list, code: bytes, base: int, fixed: list[tuple[int, int]]) -> str:
    parts = []
    for h in hits[:5]:
        e = scanner.explain(code, base, h.offset)
        advice = " -- blind the constant (jit.blinding)" if e.where == "immediate" else ""
        parts.append(f"{h.kind} at +{h.offset:#x}: {e.where} of '{e.insn}'{advice}")
    return "refusing to load: " + "; ".join(parts)
