"""The library's WRPKRU gates cannot be reused (issue 13, class 6).

Before, every gate was ``xor ecx,ecx; xor edx,edx; wrpkru`` with nothing
after it: code that jumped there with its own EAX set any PKRU -- the tables'
key open included -- and carried on.  Now each WRPKRU is followed by an
ERIM-style check that reads the tables' key from the write-protected tables
after the write and aborts (UD2, SIGILL) on a value the gate may not write:
a close gate (and the hand-written hit path's short form of it) must leave
the tables write-disabled, the open gate must write its one fixed value.
The attack jumps into real compiled gates with EAX = 0
(every key open) from a trampoline, in a child; the audit's allowlist takes
only gates of the checked shape.  PKU only: without hardware keys no gate
runs.
"""

from __future__ import annotations

import ctypes
import faulthandler
import signal

import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, gates
from libmpk.sandbox.arena import ARENA
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import syscalls
from libmpk.sandbox.hw.intrinsics import GATE_BYTES, gate_checks

RW = PROT_READ | PROT_WRITE


def _gates() -> dict[str, list[int]]:
    """Addresses of the library's compiled gates' first byte (``xor ecx``),
    by kind, after one switch of each kind has compiled them."""
    sandbox.mmap(1, 4096, PROT_READ)
    with sandbox.domain(1, RW):
        pass
    shapes = dict(zip(("close", "open", "short"), gate_checks(ARENA.address), strict=True))
    found: dict[str, list[int]] = {kind: [] for kind in shapes}
    for r in gates.ranges():
        code = ctypes.string_at(r.start, r.end - r.start)
        i = code.find(GATE_BYTES)
        while i >= 0:
            tail = code[i + len(GATE_BYTES) :]
            kind = next((k for k, check in shapes.items() if tail.startswith(check)), "unchecked")
            found.setdefault(kind, []).append(r.start + i)
            i = code.find(GATE_BYTES, i + 1)
    return found


def _jump_into(address: int, eax: int) -> None:
    """mov eax, imm32; movabs r11, address; jmp r11 -- from fresh code."""
    code = b"\xb8" + eax.to_bytes(4, "little") + b"\x49\xbb" + address.to_bytes(8, "little") + b"\x41\xff\xe3"
    page = syscalls.mmap_anon(syscalls.PAGE_SIZE, 3)
    ctypes.memmove(page, code, len(code))
    syscalls.mprotect(page, syscalls.PAGE_SIZE, 5)
    ctypes.CFUNCTYPE(None)(page)()


def _reuse(kind: str) -> None:
    faulthandler.disable()  # the abort is the expected outcome: no dump in the log
    sandbox.shutdown()
    sandbox.init(backend="pku")
    target = _gates()[kind][0]
    _jump_into(target, 0)  # PKRU 0: every key, the tables' too, read-write


@pytest.mark.pku
@pytest.mark.parametrize("kind", ["close", "open", "short"])
def test_a_gate_reused_with_a_forged_value_aborts(pku, kind):
    out = run_in_child(_reuse, kind, timeout=120)
    assert out.signal == signal.SIGILL, out


@pytest.mark.pku
def test_every_gate_the_library_compiled_is_checked_and_allowlisted(pku):
    found = _gates()
    # short: the four hand-written sections (hw.sections), each one WRPKRU
    assert found["close"] and found["open"] and len(found["short"]) == 4, found
    assert not found.get("unchecked"), f"WRPKRU without its check at {found['unchecked']}"
    for address in found["close"] + found["open"] + found["short"]:
        assert gates.gate_at(address + 4), hex(address)


@pytest.mark.pku
def test_an_unchecked_gate_is_not_allowlisted(pku):
    """The old shape -- the prefix and WRPKRU, then anything -- inside the
    library's own code ranges is stray to the audit."""
    address = _gates()["close"][0] + 4
    assert gates.gate_at(address, GATE_BYTES + b"\xc3" * 48) is None
    assert gates.gate_at(address, GATE_BYTES + gate_checks(ARENA.address + 4096)[0]) is None  # other tables
