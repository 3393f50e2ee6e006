"""Audit executable code for PKRU-changing gadgets: ELF files and live processes.

Every byte offset of every executable section (or PF_X segment where a file
has no section headers) / every executable mapping is scanned; each hit is
attributed to its section or mapping and symbol (pyelftools), explained with
capstone, and -- in this very process -- checked against the sandbox's
registered gates.  Anything not a registered gate is *stray*.
"""

from __future__ import annotations

import mmap
import os
import struct
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from elftools.elf.elffile import ELFFile

from . import scanner
from .objfile import MALFORMED


class AuditError(Exception):
    """A target could not be audited (unreadable, not ELF, no such process)."""


@dataclass
class AuditHit:
    address: int
    file_offset: int | None
    kind: str
    aligned: bool
    allowlisted: bool
    where: str
    insn: str
    field: str = ""  # instruction / immediate / displacement / opcode / spans


@dataclass
class TargetReport:
    target: str
    hits: list[AuditHit] = field(default_factory=list)
    scanned_bytes: int = 0
    regions: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def stray(self) -> int:
        return sum(1 for h in self.hits if not h.allowlisted)


Progress = Callable[[int, int], None]


# --- symbols -----------------------------------------------------------------


_SYM = np.dtype([("name", "<u4"), ("info", "u1"), ("other", "u1"), ("shndx", "<u2"), ("value", "<u8"), ("size", "<u8")])


class _Symbols:
    """Function symbols of one ELF file, for address -> name+offset.

    Symbol tables of big libraries hold 100k+ entries; they are read as one
    numpy record array (names resolved only for the symbols asked about),
    straight from the file's bytes within the file's bounds: a table whose
    header lies about its size or offset is skipped, never allocated.
    """

    def __init__(self, sections: list[_Section], image: bytes | mmap.mmap) -> None:
        values, sizes, names, tables = [], [], [], []
        self._strtabs: list[bytes] = []
        for kind in (_SHT_SYMTAB, _SHT_DYNSYM):
            sec = next((c for c in sections if c.type == kind), None)
            if sec is None or sec.entsize != _SYM.itemsize or not 0 <= sec.link < len(sections):
                continue
            raw = _file_slice(image, sec.offset, sec.size)
            strtab = _file_slice(image, sections[sec.link].offset, sections[sec.link].size)
            if raw is None or strtab is None:
                continue
            syms = np.frombuffer(raw, dtype=_SYM, count=len(raw) // _SYM.itemsize)
            kind = syms["info"] & 0xF
            keep = ((kind == 2) | (kind == 10)) & (syms["shndx"] != 0) & (syms["name"] != 0)
            keep &= syms["name"] < len(strtab)
            values.append(syms["value"][keep])
            sizes.append(syms["size"][keep])
            names.append(syms["name"][keep])
            tables.append(np.full(int(keep.sum()), len(tables), dtype=np.int8))
            self._strtabs.append(strtab)
        if not values:
            self.values = np.zeros(0, np.uint64)
            return
        v = np.concatenate(values)
        order = np.argsort(v, kind="stable")
        self.values = v[order]
        self.sizes = np.concatenate(sizes)[order]
        self.names = np.concatenate(names)[order]
        self.tables = np.concatenate(tables)[order]

    def lookup(self, vaddr: int) -> tuple[str, int] | None:
        """(name, start) of the function containing ``vaddr``."""
        i = int(np.searchsorted(self.values, np.uint64(vaddr), side="right")) - 1
        if i < 0:
            return None
        start, size = int(self.values[i]), int(self.sizes[i])
        if size and vaddr >= start + size:
            return None
        strtab = self._strtabs[int(self.tables[i])]
        off = int(self.names[i])
        end = strtab.find(b"\0", off)
        return strtab[off : end if end >= 0 else len(strtab)].decode(errors="replace"), start


def _file_slice(image: bytes | mmap.mmap, offset: int, size: int) -> bytes | None:
    """``size`` bytes at ``offset`` of the file, or None if they are not all in it."""
    if offset < 0 or size < 0 or offset + size > len(image):
        return None
    return bytes(image[offset : offset + size])


@lru_cache(maxsize=64)
def _elf_info(path: str) -> tuple[_Symbols, list[tuple[int, int, int]]] | None:
    """Symbols and (p_offset, p_vaddr, p_filesz) of PT_LOAD segments, or None."""
    try:
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as image:
            elf = ELFFile(f)
            _check_tables(path, elf, len(image))
            syms = _Symbols(_section_headers(elf, image), image)
            loads = [(h["p_offset"], h["p_vaddr"], h["p_filesz"]) for h in _program_headers(elf, image)]
            return syms, loads
    except (OSError, AuditError, *MALFORMED):
        return None


def _describe(code: bytes, base: int, off: int, start: int) -> scanner.Explanation:
    return scanner.explain(code, base, off, start=max(start, 0))


# --- ELF files -----------------------------------------------------------------

_PF_X = 1


@dataclass
class _Region:
    """Bytes the loader would map executable (or, in a relocatable object, an
    executable section), at their virtual address and file offset."""

    name: str
    vaddr: int
    pieces: list[tuple[int, int]]  # (offset in data, file offset): segments joined in memory
    data: bytes

    def file_offset(self, at: int) -> int:
        start, offset = next(p for p in reversed(self.pieces) if p[0] <= at)
        return offset + at - start


def audit_elf(path: str, progress: Progress | None = None) -> TargetReport:
    """Scan what the loader maps executable.  ET_EXEC/ET_DYN: every PF_X
    PT_LOAD segment whole -- program headers decide, section headers only
    name hits and are reported where they disagree.  Relocatable objects
    (and files without program headers): executable sections.  A file that
    cannot be parsed is an AuditError (the CLI's exit 2), with memory
    bounded by the file's size whatever its headers claim."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise AuditError(f"{path}: cannot read ({e.strerror})") from None
    with f:
        try:
            image = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            raise AuditError(f"{path}: not an ELF file (empty or not a regular file)") from None
        with image:
            if image[:4] != b"\x7fELF":
                raise AuditError(f"{path}: not an ELF file")
            try:
                elf = ELFFile(f)
                return _audit_image(path, elf, image, progress)
            except MALFORMED as e:
                raise AuditError(f"{path}: malformed ELF ({e or type(e).__name__})") from None


@dataclass
class _Section:
    name: str
    type: int
    flags: int
    addr: int
    offset: int
    size: int
    link: int
    entsize: int


_SHT_PROGBITS, _SHT_SYMTAB, _SHT_NOBITS, _SHT_DYNSYM = 1, 2, 8, 11
_SHF_ALLOC, _SHF_EXECINSTR = 2, 4


def _section_headers(elf: ELFFile, image: bytes | mmap.mmap) -> list[_Section]:
    """Section headers read with struct, names from the header string table
    when it is in the file: pyelftools' section objects parse what some
    sections hold (hash tables, notes) and fail on bytes the loader ignores."""
    order = "<" if elf.little_endian else ">"
    fmt = "IIQQQQIIQQ" if elf.elfclass == 64 else "IIIIIIIIII"
    raw = [
        struct.unpack_from(order + fmt, image, elf["e_shoff"] + i * elf["e_shentsize"]) for i in range(elf["e_shnum"])
    ]
    names = b""
    if 0 < elf["e_shstrndx"] < len(raw):
        _n, _t, _f, _a, off, size, *_ = raw[elf["e_shstrndx"]]
        names = _file_slice(image, off, size) or b""
    out = []
    for name, kind, flags, addr, offset, size, link, _info, _align, entsize in raw:
        end = names.find(b"\0", name)
        text = names[name : end if end >= 0 else len(names)].decode(errors="replace") if name < len(names) else ""
        out.append(_Section(text, kind, flags, addr, offset, size, link, entsize))
    return out


def _sections(elf: ELFFile, image: bytes | mmap.mmap, report: TargetReport) -> list[_Section]:
    out = _section_headers(elf, image)
    for sec in out:
        if sec.type not in (_SHT_NOBITS, 0) and sec.offset + sec.size > len(image):
            report.notes.append(f"section {sec.name or '?'} lies past the end of the file")
    return out


def _segments(loads: list, image: mmap.mmap, report: TargetReport) -> list[_Region]:
    """Every PF_X PT_LOAD segment's file bytes; segments adjacent in memory
    are joined (a gadget may straddle them), and a segment reaching past the
    end of the file is scanned as far as the file goes, with a note."""
    size = len(image)
    regions: list[_Region] = []
    ends: list[int] = []  # each region's end in memory, if it is all file bytes (else -1)
    for h in sorted((h for h in loads if h["p_flags"] & _PF_X), key=lambda h: h["p_vaddr"]):
        off, filesz, memsz, va = h["p_offset"], h["p_filesz"], h["p_memsz"], h["p_vaddr"]
        if off + filesz > size or filesz > memsz:
            raise AuditError(f"{report.target}: malformed ELF (executable segment at {va:#x} is not all in the file)")
        data = bytes(image[off : min(off + filesz, size)]) if off < size else b""
        if regions and ends[-1] == va:
            r = regions[-1]
            r.pieces.append((len(r.data), off))
            r.data += data
        else:
            regions.append(_Region(f"PF_X segment {va:#x}", va, [(0, off)], data))
            ends.append(-1)
        ends[-1] = va + memsz if filesz == memsz and len(data) == filesz else -1
    return regions


def _disagreements(loads: list, sections: list, report: TargetReport) -> None:
    """Section headers that tell another story than the program headers."""
    xs = [(h["p_vaddr"], h["p_vaddr"] + h["p_memsz"]) for h in loads if h["p_flags"] & _PF_X]
    segs = [(h["p_vaddr"], h["p_vaddr"] + h["p_memsz"], h["p_offset"]) for h in loads]
    for sec in sections:
        if not sec.flags & _SHF_ALLOC or not sec.size:
            continue
        mapped_x = any(lo < sec.addr + sec.size and sec.addr < hi for lo, hi in xs)
        if sec.flags & _SHF_EXECINSTR and not mapped_x:
            report.notes.append(f"section {sec.name} is marked executable but no executable segment maps it")
        elif not sec.flags & _SHF_EXECINSTR and mapped_x:
            report.notes.append(f"section {sec.name} is not marked executable but an executable segment maps it")
        seg = next((s for s in segs if s[0] <= sec.addr < s[1]), None)
        if seg is not None and sec.type != _SHT_NOBITS and sec.offset - seg[2] != sec.addr - seg[0]:
            report.notes.append(f"section {sec.name}: its file offset is not where its segment maps it from")


def _program_headers(elf: ELFFile, image: bytes | mmap.mmap) -> list[dict]:
    """PT_LOAD headers, read with struct: pyelftools' segment objects parse
    what some segments hold (notes, the dynamic table) and fail on bytes
    that the loader never looks at."""
    order = "<" if elf.little_endian else ">"
    if elf.elfclass == 64:
        fmt, names = "IIQQQQQQ", ("p_type", "p_flags", "p_offset", "p_vaddr", "p_paddr", "p_filesz", "p_memsz")
    else:
        fmt, names = "IIIIIIII", ("p_type", "p_offset", "p_vaddr", "p_paddr", "p_filesz", "p_memsz", "p_flags")
    out = []
    for i in range(elf["e_phnum"]):
        h = dict(
            zip(names, struct.unpack_from(order + fmt, image, elf["e_phoff"] + i * elf["e_phentsize"]), strict=False)
        )
        if h["p_type"] == 1:  # PT_LOAD
            out.append(h)
    return out


def _check_tables(path: str, elf: ELFFile, size: int) -> None:
    """The header tables' entry sizes are the format's and the tables lie in
    the file: otherwise every count and offset read from them is garbage."""
    ph, sh = (56, 64) if elf.elfclass == 64 else (32, 40)
    for what, off, num, ent, want in (
        ("program", elf["e_phoff"], elf["e_phnum"], elf["e_phentsize"], ph),
        ("section", elf["e_shoff"], elf["e_shnum"], elf["e_shentsize"], sh),
    ):
        if num and (ent != want or off + num * ent > size):
            raise AuditError(f"{path}: malformed ELF ({what} header table: {num} entries of {ent} bytes at {off})")


def _audit_image(path: str, elf: ELFFile, image: mmap.mmap, progress: Progress | None) -> TargetReport:
    report = TargetReport(path)
    size = len(image)
    _check_tables(path, elf, size)
    sections = _sections(elf, image, report)
    loads = _program_headers(elf, image)
    regions: list[_Region] = []
    if elf["e_type"] in ("ET_EXEC", "ET_DYN") and loads:
        regions = _segments(loads, image, report)
        _disagreements(loads, sections, report)
    else:
        for sec in sections:
            if sec.flags & _SHF_EXECINSTR and sec.type == _SHT_PROGBITS:
                if sec.offset + sec.size > size:
                    raise AuditError(f"{path}: malformed ELF (section {sec.name} is not all in the file)")
                data = bytes(image[sec.offset : sec.offset + sec.size])
                regions.append(_Region(sec.name, sec.addr, [(0, sec.offset)], data))
        if not regions and loads:
            regions = _segments(loads, image, report)
            report.notes.append("no executable sections: scanned executable segments")
    syms = _Symbols(sections, image)
    named = [(c.name, c.addr, c.addr + c.size) for c in sections if c.flags & _SHF_ALLOC and c.size and c.name]
    total = sum(len(r.data) for r in regions)
    done = 0
    for r in regions:
        report.regions += 1
        for h in scanner.scan(r.data):
            va = r.vaddr + h.offset
            sym = syms.lookup(va)
            start = sym[1] - r.vaddr if sym else h.offset - 64
            e = _describe(r.data, r.vaddr, h.offset, start)
            name = next((n for n, lo, hi in named if lo <= va < hi), r.name)
            where = f"{name} {sym[0]}+{va - sym[1]:#x}" if sym else name
            hit = AuditHit(va, r.file_offset(h.offset), h.kind, e.aligned, False, where, e.insn, e.where)
            report.hits.append(hit)
        done += len(r.data)
        if progress:
            progress(done, total)
    report.scanned_bytes = total
    return report


# --- live processes ------------------------------------------------------------------


@dataclass
class _Map:
    start: int
    end: int
    perms: str
    offset: int
    path: str


def _maps(pid: str) -> list[_Map]:
    try:
        with open(f"/proc/{pid}/maps") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        raise AuditError(f"no such process: {pid}") from None
    except PermissionError:
        raise AuditError(f"process {pid}: permission denied reading its maps") from None
    out = []
    for line in lines:
        parts = line.split(None, 5)
        lo, hi = (int(x, 16) for x in parts[0].split("-"))
        out.append(_Map(lo, hi, parts[1], int(parts[2], 16), parts[5] if len(parts) > 5 else ""))
    return out


def audit_process(
    pid: int | str = "self",
    progress: Progress | None = None,
    labels: Iterable[tuple[int, int, str]] = (),
    gates: Callable[[int, bytes], object] | None = None,
) -> TargetReport:
    """Scan every executable mapping of ``pid``.

    ``labels``: (start, end, name) ranges to name anonymous code (JIT caches).
    ``gates(address, code from 4 bytes before the hit)``: truthy if the hit is
    a registered gate (only meaningful for this process).
    """
    pid = str(pid)
    report = TargetReport(f"pid {os.getpid() if pid == 'self' else pid}" + (" (self)" if pid == "self" else ""))
    maps = [m for m in _maps(pid) if "x" in m.perms]
    labels = list(labels)
    total = sum(m.end - m.start for m in maps)
    done = 0
    try:
        mem = open(f"/proc/{pid}/mem", "rb", buffering=0)
    except PermissionError:
        raise AuditError(f"process {pid}: permission denied reading its memory (ptrace rules)") from None
    with mem:
        for run in _runs(maps):
            lo, hi = run[0].start, run[-1].end
            done += hi - lo
            try:
                mem.seek(lo)
                data = mem.read(hi - lo)
            except (OSError, OverflowError):  # [vsyscall] sits above 2**63
                report.notes.append(f"unreadable: {lo:#x}-{hi:#x} {run[0].path}")
                continue
            report.regions += len(run)
            report.scanned_bytes += len(data)
            for h in scanner.scan(data):
                m = next(m for m in run if m.start <= lo + h.offset < m.end)
                report.hits.append(_process_hit(m, lo, data, h, labels, gates))
            if progress:
                progress(done, total)
    return report


def _runs(maps: list[_Map]) -> list[list[_Map]]:
    """Executable mappings grouped into runs adjacent in memory: scanned as
    one range, since a gadget may straddle two of them."""
    runs: list[list[_Map]] = []
    for m in maps:
        if runs and runs[-1][-1].end == m.start:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _process_hit(m: _Map, base: int, data: bytes, h: scanner.Hit, labels, gates) -> AuditHit:
    """A hit at ``data[h.offset]`` (``data`` read from ``base``), in mapping ``m``."""
    addr = base + h.offset
    file_offset = m.offset + addr - m.start if m.path.startswith("/") else None
    where = m.path or "[anonymous]"
    start = max(h.offset - 64, 0)
    for lo, hi, name in labels:
        if lo <= addr < hi:
            where = name
    if file_offset is not None:
        info = _elf_info(m.path)
        if info:
            syms, loads = info
            for p_off, p_vaddr, p_filesz in loads:
                if p_off <= file_offset < p_off + p_filesz:
                    sym = syms.lookup(p_vaddr + file_offset - p_off)
                    if sym:
                        where = f"{m.path} {sym[0]}+{p_vaddr + file_offset - p_off - sym[1]:#x}"
                        start = max(h.offset - (p_vaddr + file_offset - p_off - sym[1]), 0)
                    break
    allowlisted = False
    if gates is not None and h.offset >= 4 and h.kind == scanner.WRPKRU:
        gate = gates(addr, data[h.offset - 4 : h.offset + 64])
        if gate:
            allowlisted = True
            where = f"libmpk gate: {getattr(gate, 'name', gate)}"
            start = max(h.offset - (addr - getattr(gate, "start", addr)), 0)
    e = _describe(data, base, h.offset, start)
    return AuditHit(addr, file_offset, h.kind, e.aligned, allowlisted, where, e.insn, e.where)


# --- output ---------------------------------------------------------------------


def to_json(reports: list[TargetReport]) -> dict:
    return {
        "targets": [
            {
                "target": r.target,
                "hits": [asdict(h) for h in r.hits],
                "scanned_bytes": r.scanned_bytes,
                "regions": r.regions,
                "stray": r.stray,
                "notes": r.notes,
            }
            for r in reports
        ],
        "stray": sum(r.stray for r in reports),
    }


def render(reports: list[TargetReport]) -> str:
    lines = []
    for r in reports:
        lines.append(
            f"{r.target}: {r.regions} executable regions, {r.scanned_bytes / 2**20:.1f} MiB, "
            f"{len(r.hits)} hits, {r.stray} stray"
        )
        for h in r.hits:
            tag = "gate " if h.allowlisted else "STRAY"
            off = f"file+{h.file_offset:#x}" if h.file_offset is not None else "anon"
            align = "aligned" if h.aligned else f"in {h.field}"
            lines.append(f"  {tag} {h.address:#014x} {off:>14} {h.kind:<6} {align:<17} {h.where}: {h.insn}")
        lines += [f"  note: {n}" for n in r.notes]
    total = sum(r.stray for r in reports)
    lines.append(f"{total} stray gadget(s)" if total else "clean: no stray gadget")
    return "\n".join(lines)


def progress_printer(label: str, stream=sys.stderr) -> Progress:
    def show(done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        end = "\n" if done >= total else ""
        stream.write(f"\r  scanning {label}: {pct:3d}% of {total / 2**20:.1f} MiB{end}")
        stream.flush()

    return show
