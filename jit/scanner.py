"""Find PKRU-changing byte patterns at every offset, and explain them.

Two instructions can change PKRU from user space: WRPKRU (0F 01 EF) and
XRSTOR/XRSTOR64 with a memory operand (0F AE /5, ModRM.mod != 3; with
mod == 3 the same opcode bytes are fences such as LFENCE, 0F AE E8).  An
attacker who can jump into the middle of an instruction can use such bytes
wherever they occur, so the authoritative check is a byte scan at every
offset -- done with numpy over the raw bytes (a few hundred MiB/s).  Capstone is only asked afterwards, to explain each
hit: the instruction(s) it overlaps and whether it sits in an immediate, a
displacement, or across two instructions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

WRPKRU = "wrpkru"
XRSTOR = "xrstor"
PATTERN_LEN = 3


@dataclass(frozen=True)
class Hit:
    offset: int  # from the start of the scanned bytes
    kind: str  # "wrpkru" | "xrstor"

    def address(self, base: int) -> int:
        return base + self.offset


def scan(data: bytes | bytearray | memoryview | np.ndarray) -> list[Hit]:
    """Every offset where a PKRU-changing pattern starts.

    Vectorised: find every 0x0F, then test the two bytes after each at once
    (XRSTOR's ModRM has reg field 5 and mod != 3).
    """
    a = np.frombuffer(data, dtype=np.uint8) if not isinstance(data, np.ndarray) else data.view(np.uint8)
    if a.size < PATTERN_LEN:
        return []
    idx = np.flatnonzero(a[:-2] == 0x0F)
    b1, b2 = a[idx + 1], a[idx + 2]
    wr = (b1 == 0x01) & (b2 == 0xEF)
    xr = (b1 == 0xAE) & (((b2 >> 3) & 7) == 5) & ((b2 >> 6) != 3)
    hits = [Hit(int(i), WRPKRU) for i in idx[wr]] + [Hit(int(i), XRSTOR) for i in idx[xr]]
    hits.sort(key=lambda h: h.offset)
    return hits


def brute_force(data: bytes) -> list[Hit]:
    """The same answer, one offset at a time (the scanner's test oracle)."""
    out = []
    for i in range(len(data) - 2):
        if data[i] != 0x0F:
            continue
        if data[i + 1] == 0x01 and data[i + 2] == 0xEF:
            out.append(Hit(i, WRPKRU))
        elif data[i + 1] == 0xAE and (data[i + 2] >> 3) & 7 == 5 and data[i + 2] >> 6 != 3:
            out.append(Hit(i, XRSTOR))
    return out


# --- explanations ------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    aligned: bool  # the pattern is the start of a real WRPKRU/XRSTOR instruction
    where: str  # "instruction" | "immediate" | "displacement" | "opcode" | "spans" | "undecodable"
    insn: str  # the overlapping instruction(s), as capstone prints them
    insn_address: int  # address of the first overlapping instruction


@lru_cache(maxsize=1)
def _disassembler():
    import capstone

    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
    md.detail = True
    md.skipdata = True
    return md


def _field(insn, start: int, end: int) -> str:
    """Which part of ``insn`` the byte range [start, end) (insn-relative) covers."""
    enc = getattr(insn, "encoding", None) if hasattr(insn, "encoding") else None
    disp_off = getattr(insn, "disp_offset", 0) if enc is None else enc.disp_offset
    disp_size = getattr(insn, "disp_size", 0) if enc is None else enc.disp_size
    imm_off = getattr(insn, "imm_offset", 0) if enc is None else enc.imm_offset
    imm_size = getattr(insn, "imm_size", 0) if enc is None else enc.imm_size
    if imm_size and start < imm_off + imm_size and end > imm_off:
        return "immediate"
    if disp_size and start < disp_off + disp_size and end > disp_off:
        return "displacement"
    return "opcode"


def explain(code: bytes, base: int, offset: int, start: int = 0) -> Explanation:
    """Explain the hit at ``offset`` of ``code`` (mapped at ``base``), decoding
    linearly from ``start`` -- a known instruction boundary (function or
    section start)."""
    md = _disassembler()
    hit_lo, hit_hi = offset, offset + PATTERN_LEN
    covering = []
    for insn in md.disasm(code[start : min(len(code), hit_hi + 16)], base + start):
        lo = insn.address - base
        hi = lo + insn.size
        if hi <= hit_lo:
            continue
        if lo >= hit_hi:
            break
        covering.append(insn)
    if not covering:
        return Explanation(False, "undecodable", "(no instruction decodes here)", base + offset)
    text = "; ".join(f"{i.mnemonic} {i.op_str}".strip() for i in covering)
    first = covering[0]
    if first.address - base == offset and first.mnemonic in ("wrpkru", "xrstor", "xrstor64"):
        return Explanation(True, "instruction", text, first.address)
    if len(covering) > 1:
        return Explanation(False, "spans", text, first.address)
    rel = offset - (first.address - base)
    if first.id == 0:  # skipdata: bytes capstone could not decode
        return Explanation(False, "undecodable", text, first.address)
    return Explanation(False, _field(first, rel, rel + PATTERN_LEN), text, first.address)
