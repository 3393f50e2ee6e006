"""A relocatable ELF object (what llvmlite's emit_object returns), read with
pyelftools into just what the loader needs."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field

import numpy as np
from elftools.common.exceptions import ELFError, ELFParseError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection
from elftools.elf.structs import ELFStructs

from .errors import JitError, RelocationError

CODE, RODATA, DATA = "code", "rodata", "data"


@dataclass
class Section:
    index: int
    name: str
    kind: str  # code | rodata | data
    data: bytes  # zeros for NOBITS
    align: int


@dataclass
class Symbol:
    name: str
    section: int | None  # None: undefined (external)
    value: int
    size: int
    is_function: bool
    is_global: bool


@dataclass
class Reloc:
    section: int  # the section being patched
    offset: int
    type: int
    symbol: int  # index into ObjectFile.symbols
    addend: int


@dataclass
class ObjectFile:
    sections: dict[int, Section] = field(default_factory=dict)
    symbols: list[Symbol] = field(default_factory=list)
    relocs: list[Reloc] = field(default_factory=list)

    def functions(self) -> list[Symbol]:
        return [s for s in self.symbols if s.is_function and s.section is not None and s.is_global]


_MAX_OBJECT = 1 << 30  # bytes: an object the JIT emits is far smaller
# what pyelftools and reads of its tables raise on malformed input (the audit's too)
MALFORMED = (
    ELFError,
    ELFParseError,
    struct.error,
    ValueError,
    IndexError,
    KeyError,
    OverflowError,
    MemoryError,
    zlib.error,
    AssertionError,
)


def parse(blob: bytes) -> ObjectFile:
    """An x86-64 relocatable object's loadable sections, symbols and
    relocations.  Anything else -- not bytes, not ELF, truncated, lying sizes
    or offsets -- is a JitError naming why, never pyelftools' own error."""
    if not isinstance(blob, (bytes, bytearray, memoryview)):
        raise JitError(f"an object file must be bytes, got {type(blob).__name__}")
    blob = bytes(blob)
    if len(blob) > _MAX_OBJECT:
        raise JitError(f"object file of {len(blob)} bytes: larger than {_MAX_OBJECT}")
    try:
        return _parse(blob)
    except JitError:
        raise
    except MALFORMED as e:
        raise JitError(f"not a well-formed ELF object: {e or type(e).__name__}") from None


class _ObjectELF(ELFFile):
    """pyelftools' ELFFile with its struct parsers built once per kind of
    file: ELFFile builds them (construct objects, ~1 ms) for every file it
    opens, the JIT opens one per module, and they depend only on the header's
    class, byte order, type, machine and ABI.  Only the basic kinds (4) and
    the JIT's are kept, so forged headers cannot grow the cache."""

    _kept: dict[tuple, ELFStructs] = {}

    def __init__(self, stream: io.BytesIO) -> None:
        self.stream = stream
        self.stream_len = len(stream.getbuffer())
        self.stream_loader = None
        self._identify_file()
        self.structs = _structs(self.little_endian, self.elfclass)
        self.header = self._parse_elf_header()
        self.structs = _structs(
            self.little_endian, self.elfclass, self["e_type"], self["e_machine"], self["e_ident"]["EI_OSABI"]
        )
        self.e_ident_raw = bytes(stream.getbuffer()[:16])


_JIT_KIND = (True, 64, "ET_REL", "EM_X86_64", "ELFOSABI_SYSV")  # what LLVM emits for this host


def _structs(*key: object) -> ELFStructs:
    """The struct parsers for ``key`` (byte order, class[, type, machine, ABI])."""
    structs = _ObjectELF._kept.get(key)
    if structs is None:
        structs = ELFStructs(little_endian=key[0], elfclass=key[1])
        structs.create_basic_structs()
        if len(key) > 2:
            structs.create_advanced_structs(*key[2:])
        if len(key) == 2 or key[2:4] == _JIT_KIND[2:4]:
            _ObjectELF._kept[key] = structs
    return structs


def prepare() -> None:
    """Build the parsers for the JIT's objects now (a loader's construction),
    not in its first load."""
    _structs(*_JIT_KIND[:2])
    _structs(*_JIT_KIND)


def _parse(blob: bytes) -> ObjectFile:
    elf = _ObjectELF(io.BytesIO(blob))
    if elf["e_type"] != "ET_REL" or elf["e_machine"] != "EM_X86_64":
        raise RelocationError(f"not an x86-64 relocatable object ({elf['e_type']}, {elf['e_machine']})")
    out = ObjectFile()
    sections = list(elf.iter_sections())  # each walk re-parses every header: walk once
    for i, sec in enumerate(sections):
        flags = sec["sh_flags"]
        if not flags & SH_FLAGS.SHF_ALLOC or sec["sh_type"] not in ("SHT_PROGBITS", "SHT_NOBITS"):
            continue
        if sec.name.startswith(".eh_frame"):
            continue  # unwind tables: not loaded
        if sec.name == "__patchable_function_entries":
            continue  # a tracer's list of the entry pads (absolute addresses): the JIT finds its pads by symbol
        kind = CODE if flags & SH_FLAGS.SHF_EXECINSTR else DATA if flags & SH_FLAGS.SHF_WRITE else RODATA
        if sec["sh_size"] > len(blob) and sec["sh_type"] == "SHT_PROGBITS" or sec["sh_size"] > _MAX_OBJECT:
            raise JitError(f"section {sec.name}: size {sec['sh_size']} past the end of the object")
        data = bytes(sec["sh_size"]) if sec["sh_type"] == "SHT_NOBITS" else sec.data()
        out.sections[i] = Section(i, sec.name, kind, data, max(sec["sh_addralign"], 1))
    # Symbol and relocation tables are read as numpy records: pyelftools'
    # per-entry parsing costs milliseconds per module, and the JIT loads many.
    symtab = next((sec for sec in sections if sec.name == ".symtab"), None)
    if symtab is not None:
        strtab = sections[symtab["sh_link"]].data()
        for rec in np.frombuffer(symtab.data(), dtype=_SYM).tolist():
            name_off, info, _other, shndx, value, size = rec
            name = strtab[name_off : strtab.index(b"\0", name_off)].decode() if name_off else ""
            section = None if shndx == 0 else (shndx if shndx < 0xFF00 else -1)
            out.symbols.append(Symbol(name, section, value, size, info & 0xF == 2, (info >> 4) in (1, 2)))
    for sec in sections:
        if not isinstance(sec, RelocationSection):
            continue
        target = sec["sh_info"]
        if target not in out.sections:
            continue
        if not sec.is_RELA():
            raise RelocationError(f"{sec.name}: REL relocations are not supported (x86-64 uses RELA)")
        for offset, rinfo, addend in np.frombuffer(sec.data(), dtype=_RELA).tolist():
            out.relocs.append(Reloc(target, offset, rinfo & 0xFFFFFFFF, rinfo >> 32, addend))
    _check_references(out)
    return out


def _check_references(obj: ObjectFile) -> None:
    """Every relocation patches 4 bytes inside its section and names a symbol
    that exists, defined in a section that exists (or nowhere: external)."""
    for r in obj.relocs:
        n = len(obj.sections[r.section].data)
        if not 0 <= r.offset <= n - 4:
            raise JitError(f"relocation at +{r.offset:#x} outside {obj.sections[r.section].name} ({n} bytes)")
        if not 0 <= r.symbol < len(obj.symbols):
            raise JitError(f"relocation at +{r.offset:#x} names symbol {r.symbol} of {len(obj.symbols)}")
        sym = obj.symbols[r.symbol]
        if sym.section is not None and sym.section not in obj.sections and sym.section >= 0:
            raise JitError(f"symbol {sym.name!r} is defined in section {sym.section}, which is not loaded")


_SYM = np.dtype([("name", "<u4"), ("info", "u1"), ("other", "u1"), ("shndx", "<u2"), ("value", "<u8"), ("size", "<u8")])
_RELA = np.dtype([("offset", "<u8"), ("info", "<u8"), ("addend", "<i8")])
