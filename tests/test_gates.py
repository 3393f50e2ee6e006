"""The gate finder reads only memory it knows is there.

``mpk audit --self`` follows the compiled switch functions through their
anonymous executable mappings.  Reading a fixed span past a function ran into
whatever came next -- a file mapping past its file's end raises SIGBUS -- so
whether the audit crashed depended on the address-space layout.  Here the
layout is built on purpose: a function with no end fills its mapping and a
file mapping beyond the end of its (empty) file follows at once.
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import tempfile

from libmpk.sandbox import gates
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import syscalls

PAGE = syscalls.PAGE_SIZE
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]


def _endless_code_before_a_sigbus_page() -> int:
    """One page of NOPs (no return, so no function end), RX and anonymous, and
    right after it one page of an empty file: touching that page is SIGBUS."""
    base = syscalls.mmap_anon(2 * PAGE, 3)
    ctypes.memset(base, 0x90, PAGE)
    syscalls.mprotect(base, PAGE, 5)
    fd, path = tempfile.mkstemp()
    os.unlink(path)
    got = _libc.mmap(base + PAGE, PAGE, 1, syscalls.MAP_PRIVATE | syscalls.MAP_FIXED, fd, 0)
    os.close(fd)
    assert got == base + PAGE
    return base


def _find_gates_in(entry: int) -> list:
    gates._ranges_cached.cache_clear()
    return list(gates._ranges_cached((("planted", entry),)))


def test_the_planted_layout_does_raise_sigbus():
    """The layout is real: reading one byte past the code page kills."""

    def touch():
        faulthandler.disable()  # the SIGBUS is the expected outcome: no dump in the log
        base = _endless_code_before_a_sigbus_page()
        return ctypes.string_at(base + PAGE, 1)

    out = run_in_child(touch)
    assert out.signal == 7, out  # SIGBUS


def test_gate_ranges_stop_at_the_end_of_the_mapping():
    def scan():
        base = _endless_code_before_a_sigbus_page()
        return _find_gates_in(base)

    out = run_in_child(scan)
    assert out.ok, out
    assert out.value == []  # no function end inside the mapping: not a function we understand


def test_gate_shape_check_never_reads_before_its_function():
    """A WRPKRU at the very start of a range cannot have the gate's prefix."""
    r = gates.GateRange(0x1000, 0x1010, "fake")
    orig = gates.ranges
    gates.ranges = lambda: (r,)
    try:
        assert gates.gate_at(0x1000) is None  # would read 0xffc..0x1003: unmapped
    finally:
        gates.ranges = orig
