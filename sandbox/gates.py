"""The library's own PKRU gates: where they are and what they look like.

Every WRPKRU the library executes is emitted by one of two intrinsics with a
fixed shape (``xor ecx,ecx; xor edx,edx; wrpkru`` and then a check of the
value written against the tables, see hw.intrinsics) inside the
numba-compiled switch functions, or is one of the four hand-written hit
sections (hw.sections: the same prefix, a shorter check).  Their machine code is found from
each compiled function's entry point, following direct calls (the helpers
they link in), with capstone deciding where each function ends.  An auditor
accepts a WRPKRU only if it lies in these ranges *and* has a checked gate's
shape; anything else -- an unchecked WRPKRU included -- is stray.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import lru_cache

from .arena import ARENA
from .hw.intrinsics import GATE_BYTES, gate_checks

_MAX_FUNCTION = 1 << 16
_LONGEST_CHECK = max(map(len, gate_checks(0)))


@dataclass(frozen=True)
class GateRange:
    start: int
    end: int
    name: str


def _dispatchers():
    from . import store, switch, threads
    from .hw import sections, sync

    jitted = [switch.fast_begin, switch.fast_end, switch.begin_locked, switch.end_locked, switch.reset_rights]
    jitted += [switch.write_pkru, switch.register_thread, switch.push_page_domain, switch.pop_page_domain]
    jitted += [switch.set_key_rights, threads.release_entries]
    jitted += [store.put, store.word_add, store.word_cas, sync.apply_here]
    raw = [("switch.c_fast_begin", switch.c_fast_begin.address), ("switch.c_fast_end", switch.c_fast_end.address)]
    raw += sections.functions()
    return jitted, raw + [("sync._handler", sync._handler.address), ("threads._on_exit", threads._on_exit.address)]


def _extent(entry: int, limit: int) -> tuple[int, list[int]]:
    """End of the function at ``entry`` and the direct calls it makes.

    Reads only ``[entry, limit)``, the rest of the readable mapping that
    holds ``entry``: the page after a small mapping may be anything (a
    file-backed mapping past its file's end raises SIGBUS when read).
    """
    import capstone

    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
    md.detail = True
    code = ctypes.string_at(entry, min(limit, entry + _MAX_FUNCTION) - entry)
    furthest = entry
    calls = []
    end = entry
    loaded: dict[int, int] = {}  # register -> 64-bit constant (movabs reg, imm; call reg)
    for insn in md.disasm(code, entry):
        end = insn.address + insn.size
        target = None
        ops = insn.operands
        if ops and ops[0].type == capstone.x86.X86_OP_IMM:
            target = ops[0].imm
        elif ops and ops[0].type == capstone.x86.X86_OP_REG and insn.group(capstone.CS_GRP_CALL):
            target = loaded.get(ops[0].reg)
        if insn.mnemonic == "movabs" and len(ops) == 2 and ops[1].type == capstone.x86.X86_OP_IMM:
            loaded[ops[0].reg] = ops[1].imm
        if insn.group(capstone.CS_GRP_CALL) and target is not None:
            calls.append(target)
        elif insn.group(capstone.CS_GRP_JUMP) and target is not None:
            if entry <= target < entry + len(code):
                furthest = max(furthest, target)
            if insn.mnemonic == "jmp" and target >= entry + len(code):
                calls.append(target)  # tail call
        terminal = insn.group(capstone.CS_GRP_RET) or insn.mnemonic in ("jmp", "ud2", "hlt")
        if terminal and end > furthest:
            return end, calls
    return -1, []  # no end found: not a function we understand


def _jit_memory() -> list[tuple[int, int]]:
    """Readable anonymous executable mappings: where numba puts compiled code
    (adjacent ones joined: a function may run across their boundary)."""
    from .hw.maps import mappings

    spans: list[tuple[int, int]] = []
    for m in mappings():
        if m.prot & 5 == 5 and not m.path.startswith("/"):
            if spans and spans[-1][1] == m.start:
                spans[-1] = (spans[-1][0], m.end)
            else:
                spans.append((m.start, m.end))
    return spans


@lru_cache(maxsize=1)
def _ranges_cached(entries: tuple[tuple[str, int], ...]) -> tuple[GateRange, ...]:
    """Each entry's function and the compiled helpers it calls directly (calls
    into libraries -- file-backed code -- are not followed)."""
    jit_memory = _jit_memory()
    out: list[GateRange] = []
    seen: set[int] = set()
    todo = list(entries)
    while todo:
        name, entry = todo.pop()
        limit = next((hi for lo, hi in jit_memory if lo <= entry < hi), None)
        if entry in seen or limit is None:
            continue
        seen.add(entry)
        end, calls = _extent(entry, limit)
        if end < 0:
            continue
        out.append(GateRange(entry, end, name))
        todo.extend((f"{name} -> helper", c) for c in calls)
    return tuple(sorted(out, key=lambda r: r.start))


def ranges() -> tuple[GateRange, ...]:
    """Code ranges of the compiled switch functions (those compiled so far)."""
    jitted, raw = _dispatchers()
    entries = list(raw)
    for disp in jitted:
        for sig, ov in disp.overloads.items():
            addr = ov.library.get_pointer_to_function(ov.fndesc.llvm_func_name)
            entries.append((f"{disp.py_func.__module__}.{disp.__name__}{sig}", addr))
    return _ranges_cached(tuple(sorted(entries, key=lambda e: e[1])))


def gate_at(address: int, code: bytes | None = None) -> GateRange | None:
    """The gate range holding a WRPKRU at ``address`` if it has a checked
    gate's shape: ``code`` (read from memory if not given) starts 4 bytes
    before the WRPKRU and must hold the gate's prefix and, right after the
    WRPKRU, one of the two checks against this process's tables."""
    for r in ranges():
        if r.start <= address < r.end:
            start = address - len(GATE_BYTES) + 3
            if code is None:
                if start < r.start:
                    return None  # the gate's shape would reach outside its function
                code = ctypes.string_at(start, min(r.end - start, len(GATE_BYTES) + _LONGEST_CHECK))
            if not code.startswith(GATE_BYTES):
                return None
            tail = code[len(GATE_BYTES) :]
            checks = gate_checks(ARENA.address)
            fits = any(tail.startswith(c) and start + len(GATE_BYTES) + len(c) <= r.end for c in checks)
            return r if fits else None
    return None
