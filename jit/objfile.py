"""A relocatable ELF object (what llvmlite's emit_object returns), read with
pyelftools into just what the loader needs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection

from .errors import RelocationError

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


def parse(blob: bytes) -> ObjectFile:
    elf = ELFFile(io.BytesIO(blob))
    if elf["e_type"] != "ET_REL" or elf["e_machine"] != "EM_X86_64":
        raise RelocationError(f"not an x86-64 relocatable object ({elf['e_type']}, {elf['e_machine']})")
    out = ObjectFile()
    for i, sec in enumerate(elf.iter_sections()):
        flags = sec["sh_flags"]
        if not flags & SH_FLAGS.SHF_ALLOC or sec["sh_type"] not in ("SHT_PROGBITS", "SHT_NOBITS"):
            continue
        if sec.name.startswith(".eh_frame"):
            continue  # unwind tables: not loaded
        kind = CODE if flags & SH_FLAGS.SHF_EXECINSTR else DATA if flags & SH_FLAGS.SHF_WRITE else RODATA
        data = bytes(sec["sh_size"]) if sec["sh_type"] == "SHT_NOBITS" else sec.data()
        out.sections[i] = Section(i, sec.name, kind, data, max(sec["sh_addralign"], 1))
    # Symbol and relocation tables are read as numpy records: pyelftools'
    # per-entry parsing costs milliseconds per module, and the JIT loads many.
    symtab = elf.get_section_by_name(".symtab")
    if symtab is not None:
        strtab = elf.get_section(symtab["sh_link"]).data()
        for rec in np.frombuffer(symtab.data(), dtype=_SYM).tolist():
            name_off, info, _other, shndx, value, size = rec
            name = strtab[name_off : strtab.index(b"\0", name_off)].decode() if name_off else ""
            section = None if shndx == 0 else (shndx if shndx < 0xFF00 else -1)
            out.symbols.append(Symbol(name, section, value, size, info & 0xF == 2, (info >> 4) in (1, 2)))
    for sec in elf.iter_sections():
        if not isinstance(sec, RelocationSection):
            continue
        target = sec["sh_info"]
        if target not in out.sections:
            continue
        if not sec.is_RELA():
            raise RelocationError(f"{sec.name}: REL relocations are not supported (x86-64 uses RELA)")
        for offset, rinfo, addend in np.frombuffer(sec.data(), dtype=_RELA).tolist():
            out.relocs.append(Reloc(target, offset, rinfo & 0xFFFFFFFF, rinfo >> 32, addend))
    return out


_SYM = np.dtype([("name", "<u4"), ("info", "u1"), ("other", "u1"), ("shndx", "<u2"), ("value", "<u8"), ("size", "<u8")])
_RELA = np.dtype([("offset", "<u8"), ("info", "<u8"), ("addend", "<i8")])
