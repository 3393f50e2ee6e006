"""The code cache's invariants under attack (jit/codecache.py), on both
backends: W^X mode ``pku`` on protection keys, ``mprotect`` on the fallback.

- a byte becomes executable only if the cache wrote and scanned it: placed
  space is not writable before its commit (a WRPKRU planted beside the code
  faults and never runs), the public window does not open code pages, and a
  commit's own pages hold nothing but its code and trap fill;
- a window closes on every exit path: a commit that fails half-way through
  opening its window (the domain stack full) leaves nothing open;
- windows of two threads compose: one thread closing does not pull write
  access from under the other;
- a Placement is a capability: hand-built, altered, reused or foreign ones
  are refused with JitError before anything is written;
- bad arguments are typed JitErrors.
"""

from __future__ import annotations

import ctypes
import dataclasses
import threading

import pytest

from libmpk import sandbox
from libmpk.jit import CodeCache, JitError, Loader, compile_ir
from libmpk.jit.codecache import Placement
from libmpk.sandbox.arena import MAX_DEPTH
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

WRPKRU = b"\x0f\x01\xef"
RET7 = b"\xb8\x07\x00\x00\x00\xc3"  # mov eax, 7; ret


def _mode(sb) -> str:
    return "pku" if sb.backend_name() == "pku" else "mprotect"


def _fault_code(sb) -> int:
    return SEGV_PKUERR if sb.backend_name() == "pku" else SEGV_ACCERR


@pytest.fixture
def cache(sb):
    c = CodeCache(_mode(sb), code_size=1 << 20, rodata_size=1 << 16, data_size=1 << 16)
    yield c
    c.close()


def _plant_beside(cache: CodeCache) -> None:
    p = cache.place(len(RET7))
    ctypes.memmove(p.code + 64, WRPKRU, len(WRPKRU))  # must fault: nothing placed is writable


def test_placed_space_is_not_writable_before_its_commit(sb, cache):
    out = run_in_child(_plant_beside, cache)
    assert out.segv and out.fault.code == _fault_code(sb), out


def _plant_in_public_window(cache: CodeCache) -> None:
    p = cache.place(len(RET7))
    with cache.writable():  # rodata only: code pages stay closed
        ctypes.memmove(p.code, WRPKRU, len(WRPKRU))


def test_the_public_window_does_not_open_code_pages(sb, cache):
    out = run_in_child(_plant_in_public_window, cache)
    assert out.segv and out.fault.code == _fault_code(sb), out


def test_a_commit_publishes_only_its_code_and_trap_fill(sb, cache):
    p = cache.place(len(RET7), skew=32)
    cache.commit(p, RET7)
    fn = ctypes.CFUNCTYPE(ctypes.c_int64)(p.code)
    assert fn() == 7
    if cache.wx == "mprotect":
        start, size = cache._segments[p.segment]
        page = ctypes.string_at(start, size)
        assert page == b"\xcc" * 32 + RET7 + b"\xcc" * (size - 32 - len(RET7))
        assert sandbox.access(start) == sandbox.PROT_READ | sandbox.PROT_EXEC


def _commit_with_full_stack(cache: CodeCache) -> dict:
    v = sandbox.new_vkey()
    sandbox.mmap(v, 4096, sandbox.PROT_READ)
    # pku: a full domain stack (domains whose bits are the default are
    # recorded there), and a domain of our own on the rodata vkey, so the
    # window's rodata domain nests in it and needs the stack: the code
    # domain opens (in PKRU alone), the rodata one cannot.
    pku = cache.wx == "pku"
    fill = MAX_DEPTH if pku else MAX_DEPTH - 1
    for _ in range(fill):
        sandbox.begin(v, sandbox.PROT_READ)
    if pku:
        sandbox.begin(cache.rodata_vkey, sandbox.PROT_NONE)
    p = cache.place(len(RET7), rodata_size=8)
    out: dict = {}
    try:
        cache.commit(p, RET7, b"\x01" * 8)
        out["commit"] = "done"
    except sandbox.SandboxError as e:
        out["commit"] = type(e).__name__
    out["in_window"] = cache.in_window()
    if pku:
        sandbox.end(cache.rodata_vkey)
    for _ in range(fill):
        sandbox.end(v)
    out["after"] = cache.commit(cache.place(len(RET7)), RET7) > 0
    probe = run_in_child(ctypes.memmove, p.code, WRPKRU, len(WRPKRU))  # nothing was left open: faults
    out["probe"] = (probe.segv, probe.fault.code if probe.fault else None)
    return out


def test_a_window_that_fails_to_open_leaves_nothing_open(sb, cache):
    out = run_in_child(_commit_with_full_stack, cache)
    assert out.ok, out
    v = out.value
    # pku: the code domain opened, the rodata one could not -- refused, and the code domain closed again
    assert v["commit"] == ("DomainError" if cache.wx == "pku" else "done"), v
    assert v["in_window"] is False and v["after"], v
    assert v["probe"] == (True, _fault_code(sb)), v


def _two_windows(cache: CodeCache) -> list[int]:
    p = cache.place(0, rodata_size=16)
    a_open, b_open, a_closed = threading.Event(), threading.Event(), threading.Event()
    got: list[int] = []

    def a() -> None:
        with cache.writable():
            a_open.set()
            b_open.wait(30)
        a_closed.set()

    def b() -> None:
        with cache.writable():
            a_open.wait(30)
            b_open.set()
            a_closed.wait(30)
            ctypes.c_int64.from_address(p.rodata).value = 42  # A closed; B's window is still open
            got.append(ctypes.c_int64.from_address(p.rodata).value)

    ts = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    return got


def test_windows_of_two_threads_compose(sb, cache):
    out = run_in_child(_two_windows, cache)
    if cache.wx == "pku":
        assert out.ok and out.value == [42], out
    else:  # mprotect: a commit's rodata is written by the commit alone; a window opens nothing
        assert out.segv and out.fault.code == SEGV_ACCERR, out


def _commit_then_read(cache: CodeCache) -> tuple[int, int]:
    p = cache.place(len(RET7), rodata_size=16)
    cache.commit(p, RET7, (1234).to_bytes(8, "little") + bytes(8))
    value = ctypes.c_int64.from_address(p.rodata).value
    with cache.writable():
        ctypes.c_int64.from_address(p.rodata).value = 5  # pku: this thread's window; mprotect: faults
    return value, ctypes.c_int64.from_address(p.rodata).value


def test_committed_rodata_is_read_only_outside_windows(sb, cache):
    out = run_in_child(_commit_then_read, cache)
    if cache.wx == "pku":
        assert out.ok and out.value == (1234, 5), out
    else:
        assert out.segv and out.fault.code == SEGV_ACCERR, out


def _forged(cache: CodeCache, how: str) -> str:
    p = cache.place(len(RET7), rodata_size=16)
    if how == "hand-built":
        q = Placement(p.code, p.code_size, cache.code_range[0], 16, 0, 0, p.segment)
    elif how == "altered copy":
        q = dataclasses.replace(p, rodata=cache.code_range[0] + 4096)
    elif how == "tampered":
        object.__setattr__(p, "rodata", p.code)  # its rodata aimed at its own code
        q = p
    elif how == "reused":
        cache.commit(p, RET7)
        q = p
    else:  # another cache's
        other = CodeCache(cache.wx, code_size=1 << 16, rodata_size=1 << 16, data_size=1 << 16)
        q = other.place(len(RET7), rodata_size=16)
    try:
        cache.commit(q, RET7, WRPKRU + b"\x00" * 13)
        return "committed"
    except JitError as e:
        return str(e)


@pytest.mark.parametrize("how", ["hand-built", "altered copy", "tampered", "reused", "foreign"])
def test_a_forged_placement_is_refused(sb, cache, how):
    out = run_in_child(_forged, cache, how)
    assert out.ok and "not a live placement" in out.value, out


@pytest.mark.parametrize(
    "call",
    [
        lambda c: CodeCache(c.wx, code_size=0),
        lambda c: CodeCache(c.wx, code_size=-4096),
        lambda c: CodeCache(c.wx, code_size="64"),
        lambda c: CodeCache("rwx"),
        lambda c: c.place("x"),
        lambda c: c.place(16, skew=-1),
        lambda c: c.place(True),
        lambda c: c.commit(c.place(16), "not bytes"),
        lambda c: c.commit(None, RET7),
        lambda c: c.release(object()),
        lambda c: Loader(c).load_object(b"garbage"),
        lambda c: Loader(c).load_object(None),
        lambda c: Loader(c).load_object(b"\x7fELF" + bytes(60)),
        lambda c: compile_ir(c, None),
    ],
)
def test_bad_arguments_are_jit_errors(sb, cache, call):
    with pytest.raises(JitError):
        call(cache)
