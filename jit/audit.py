"""Audit executable code for PKRU-changing gadgets: ELF files and live processes.

Every byte offset of every executable section (or PF_X segment where a file
has no section headers) / every executable mapping is scanned; each hit is
attributed to its section or mapping and symbol (pyelftools), explained with
capstone, and -- in this very process -- checked against the sandbox's
registered gates.  Anything not a registered gate is *stray*.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from . import scanner


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
    numpy record array (names resolved only for the symbols asked about).
    """

    def __init__(self, elf: ELFFile) -> None:
        values, sizes, names, tables = [], [], [], []
        for which in (".symtab", ".dynsym"):
            sec = elf.get_section_by_name(which)
            if sec is None or sec["sh_entsize"] != _SYM.itemsize:
                continue
            syms = np.frombuffer(sec.data(), dtype=_SYM)
            kind = syms["info"] & 0xF
            keep = ((kind == 2) | (kind == 10)) & (syms["shndx"] != 0) & (syms["name"] != 0)
            values.append(syms["value"][keep])
            sizes.append(syms["size"][keep])
            names.append(syms["name"][keep])
            tables.append(np.full(int(keep.sum()), len(tables), dtype=np.int8))
            self._strtabs = getattr(self, "_strtabs", []) + [elf.get_section(sec["sh_link"]).data()]
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
        return strtab[off : strtab.index(b"\0", off)].decode(errors="replace"), start


@lru_cache(maxsize=64)
def _elf_info(path: str) -> tuple[_Symbols, list[tuple[int, int, int]]] | None:
    """Symbols and (p_offset, p_vaddr, p_filesz) of PT_LOAD segments, or None."""
    try:
        with open(path, "rb") as f:
            elf = ELFFile(f)
            syms = _Symbols(elf)
            loads = [
                (seg["p_offset"], seg["p_vaddr"], seg["p_filesz"])
                for seg in elf.iter_segments()
                if seg["p_type"] == "PT_LOAD"
            ]
            return syms, loads
    except (OSError, ELFError):
        return None


def _describe(code: bytes, base: int, off: int, start: int) -> scanner.Explanation:
    return scanner.explain(code, base, off, start=max(start, 0))


# --- ELF files -----------------------------------------------------------------


def audit_elf(path: str, progress: Progress | None = None) -> TargetReport:
    try:
        f = open(path, "rb")
    except OSError as e:
        raise AuditError(f"{path}: cannot read ({e.strerror})") from None
    with f:
        try:
            elf = ELFFile(f)
        except ELFError:
            raise AuditError(f"{path}: not an ELF file") from None
        report = TargetReport(path)
        syms = _Symbols(elf)
        regions = []  # (name, vaddr, file offset, bytes)
        for sec in elf.iter_sections():
            if sec["sh_flags"] & SH_FLAGS.SHF_EXECINSTR and sec["sh_type"] == "SHT_PROGBITS":
                regions.append((sec.name, sec["sh_addr"], sec["sh_offset"], sec.data()))
        if not regions:  # no section headers: executable segments
            for seg in elf.iter_segments():
                if seg["p_type"] == "PT_LOAD" and seg["p_flags"] & 1:
                    regions.append(("PF_X segment", seg["p_vaddr"], seg["p_offset"], seg.data()))
                    report.notes.append("no section headers: scanned executable segments")
        total = sum(len(r[3]) for r in regions)
        done = 0
        for name, vaddr, offset, data in regions:
            report.regions += 1
            for h in scanner.scan(data):
                va = vaddr + h.offset
                sym = syms.lookup(va)
                start = sym[1] - vaddr if sym else h.offset - 64
                e = _describe(data, vaddr, h.offset, start)
                where = f"{name} {sym[0]}+{va - sym[1]:#x}" if sym else name
                report.hits.append(AuditHit(va, offset + h.offset, h.kind, e.aligned, False, where, e.insn, e.where))
            done += len(data)
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
        for m in maps:
            done += m.end - m.start
            try:
                mem.seek(m.start)
                data = mem.read(m.end - m.start)
            except (OSError, OverflowError):  # [vsyscall] sits above 2**63
                report.notes.append(f"unreadable: {m.start:#x}-{m.end:#x} {m.path}")
                continue
            report.regions += 1
            report.scanned_bytes += len(data)
            for h in scanner.scan(data):
                report.hits.append(_process_hit(m, data, h, labels, gates))
            if progress:
                progress(done, total)
    return report


def _process_hit(m: _Map, data: bytes, h: scanner.Hit, labels, gates) -> AuditHit:
    addr = m.start + h.offset
    file_offset = m.offset + h.offset if m.path.startswith("/") else None
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
    e = _describe(data, m.start, h.offset, start)
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
