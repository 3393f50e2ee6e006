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
- live code changes only through ``patch`` (an inline cache's immediate):
  a patch that would form a PKRU gadget -- alone or with its neighbours --
  is refused and writes nothing; a forged handle, an address outside the
  commit, or a retired commit is refused; a patched page is executable and
  not writable again afterwards, and the patch never opens it for another
  thread (pku: the window is this thread's);
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

from ..handshake import expect, join

WRPKRU = b"\x0f\x01\xef"
RET7 = b"\xb8\x07\x00\x00\x00\xc3"  # mov eax, 7; ret
MOVABS = b"\x48\xb8"  # movabs rax, imm64 (then ret): what an inline cache entry is


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
            expect(b_open, "B's window")
        a_closed.set()

    def b() -> None:
        with cache.writable():
            expect(a_open, "A's window")
            b_open.set()
            expect(a_closed, "A's window to close")
            ctypes.c_int64.from_address(p.rodata).value = 42  # A closed; B's window is still open
            got.append(ctypes.c_int64.from_address(p.rodata).value)

    ts = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in ts:
        t.start()
    for t in ts:
        join(t, "a window's thread")
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


def _movabs(value: int) -> bytes:
    return MOVABS + value.to_bytes(8, "little") + b"\xc3"


def _committed_movabs(cache: CodeCache, value: int = 7) -> tuple[int, int, ctypes._CFuncPtr]:
    code = _movabs(value)
    p = cache.place(len(code))
    handle = cache.commit(p, code)
    return handle, p.code, ctypes.CFUNCTYPE(ctypes.c_int64)(p.code)


def test_a_patch_rewrites_live_code_in_place(sb, cache):
    handle, code, fn = _committed_movabs(cache)
    assert fn() == 7
    for v in (42, 1 << 40, 3):
        cache.patch(handle, code + 2, v.to_bytes(8, "little"))
        assert fn() == v
    assert cache.stats.patches == 3
    if cache.wx == "mprotect":  # published again: executable, not writable
        assert sandbox.access(code) == sandbox.PROT_READ | sandbox.PROT_EXEC


@pytest.mark.parametrize(
    "where, data",
    [
        ("alone", WRPKRU + b"\x00" * 5),  # the gadget is the patch
        ("with the opcode before", b"\x01\xef" + b"\x00" * 6),  # 0F 01 EF across its start (0F planted first)
        ("xrstor", b"\x0f\xae\x28" + b"\x00" * 5),  # xrstor [rax]
    ],
)
def test_a_patch_forming_a_gadget_is_refused_and_writes_nothing(sb, cache, where, data):
    from libmpk.jit import GadgetError

    handle, code, fn = _committed_movabs(cache)
    addr = code + 2
    if where == "with the opcode before":
        cache.patch(handle, code + 2, b"\x0f" + bytes(7))  # harmless alone: a 0F as the last byte before
        addr = code + 3
    before = ctypes.string_at(code, 11)
    with pytest.raises(GadgetError):
        cache.patch(handle, addr, data)
    assert ctypes.string_at(code, 11) == before
    assert fn() == int.from_bytes(before[2:10], "little")


def _patch_forged(cache: CodeCache, how: str) -> str:
    handle, code, _ = _committed_movabs(cache)
    args = {
        "unknown handle": (handle + 99, code + 2, b"\x01"),
        "bool handle": (True, code + 2, b"\x01"),
        "before the commit": (handle, code - 1, b"\x01"),
        "past the commit": (handle, code + 10, b"\x01\x02"),
        "another commit's code": (_committed_movabs(cache)[0], code + 2, b"\x01"),
        "empty": (handle, code + 2, b""),
        "too long": (handle, code, b"\x90" * 65),
        "not bytes": (handle, code + 2, "ab"),
    }
    if how == "retired":
        cache.invalidate(handle)
        a = (handle, code + 2, b"\x01")
    else:
        a = args[how]
    try:
        cache.patch(*a)
        return "patched"
    except JitError as e:
        return f"refused: {e}"


@pytest.mark.parametrize(
    "how",
    ["unknown handle", "bool handle", "before the commit", "past the commit", "another commit's code", "empty",
     "too long", "not bytes", "retired"],
)  # fmt: skip
def test_a_forged_patch_is_refused(sb, cache, how):
    out = run_in_child(_patch_forged, cache, how)
    assert out.ok and out.value.startswith("refused"), out


def _patch_then_write(cache: CodeCache) -> None:
    handle, code, fn = _committed_movabs(cache)
    cache.patch(handle, code + 2, (9).to_bytes(8, "little"))
    assert fn() == 9
    ctypes.memmove(code + 2, WRPKRU, 3)  # after the patch: the page is closed again


def test_patched_code_is_not_writable_after_the_patch(sb, cache):
    out = run_in_child(_patch_then_write, cache)
    assert out.segv and out.fault.code == _fault_code(sb), out


def _write_while_another_thread_patches(cache: CodeCache) -> dict:
    """Strike from a second thread while the first is inside the patch's
    window (its write held back until the strike is done): a WRPKRU into
    the commit's trap fill, away from the patched bytes."""
    from libmpk.jit import GadgetError
    from libmpk.jit import codecache as cc

    handle, code, fn = _committed_movabs(cache)
    inside, struck = threading.Event(), threading.Event()

    class HeldMemmove:  # the cache's ctypes, whose memmove waits for the strike
        def __getattr__(self, name):
            return getattr(ctypes, name)

        @staticmethod
        def memmove(dst, src, n):
            inside.set()
            expect(struck, "the strike")
            return ctypes.memmove(dst, src, n)

    out: dict = {}

    def patcher():
        try:
            cache.patch(handle, code + 2, (5).to_bytes(8, "little"))
            out["patch"] = "done"
        except GadgetError:
            out["patch"] = "refused"

    cc.ctypes = HeldMemmove()
    t = threading.Thread(target=patcher)
    t.start()
    expect(inside, "the window")
    try:
        ctypes.memmove(code + 16, WRPKRU, 3)  # pku: faults here
        out["strike"] = "written"
    finally:
        struck.set()
        t.join()
        cc.ctypes = ctypes
    out["gadget"] = WRPKRU in ctypes.string_at(code - 16, 64)
    out["runs"] = fn()
    return out


def test_a_patch_opens_nothing_for_another_thread(sb, cache):
    """pku: the window is the patching thread's, so the strike faults.
    mprotect: the pages are RW for everyone while the patch is written (the
    documented cost of this fallback), so the strike lands -- and the
    patch is undone and the published image restored, gadget-free."""
    out = run_in_child(_write_while_another_thread_patches, cache)
    if cache.wx == "pku":
        assert out.segv and out.fault.code == SEGV_PKUERR, out
    else:
        assert out.ok and out.value == {"strike": "written", "patch": "refused", "gadget": False, "runs": 7}, out


# --- entry redirects (a tier-up: baseline -> optimised build) --------------------------

_PADDED = """
define i64 @"f"(i64 %x) {
  %y = add i64 %x, 1
  ret i64 %y
}
define i64 @"call_f"(i64 %x) {
  %y = call i64 @"f"(i64 %x)
  ret i64 %y
}
"""


def _two_builds(cache: CodeCache):
    from libmpk.jit import BASELINE, emit_object, entry_pads

    loader = Loader(cache)
    base = loader.load_object(emit_object(entry_pads(_PADDED, ["f"]), BASELINE))
    better = loader.load_object(emit_object(_PADDED.replace("add i64 %x, 1", "add i64 %x, 100")))
    return base, better


def test_a_redirect_sends_every_caller_to_the_replacement(sb, cache):
    base, better = _two_builds(cache)
    call_f = base.ctypes("call_f", ctypes.c_int64, ctypes.c_int64)
    f = base.ctypes("f", ctypes.c_int64, ctypes.c_int64)
    assert call_f(1) == 2 and f(1) == 2
    base.redirect("f", better.address("f"))
    assert call_f(1) == 101 and f(1) == 101  # a compiled caller, and a direct entry
    assert cache.stats.patches == 1


def _write_pad_after_redirect(cache: CodeCache) -> None:
    base, better = _two_builds(cache)
    base.redirect("f", better.address("f"))
    ctypes.memmove(base.address("f"), b"\xc3", 1)  # must fault: the pad is code again


def test_a_redirected_pad_is_not_writable_afterwards(sb, cache):
    out = run_in_child(_write_pad_after_redirect, cache)
    assert out.segv, str(out)


@pytest.mark.parametrize("how", ["no pad", "outside the cache", "not an int", "unknown name"])
def test_a_forged_redirect_is_refused_and_writes_nothing(sb, cache, how):
    base, better = _two_builds(cache)
    name, target = "f", better.address("f")
    if how == "no pad":
        name = "call_f"  # real code at its entry, not a NOP
    elif how == "outside the cache":
        target = ctypes.cast(ctypes.pythonapi.Py_Initialize, ctypes.c_void_p).value
    elif how == "not an int":
        target = float(target)
    else:
        name = "nothing"
    before = {n: bytes((ctypes.c_ubyte * 16).from_address(a)) for n, a in base.functions.items()}
    with pytest.raises(JitError):
        base.redirect(name, target)
    assert {n: bytes((ctypes.c_ubyte * 16).from_address(a)) for n, a in base.functions.items()} == before
    assert base.ctypes("call_f", ctypes.c_int64, ctypes.c_int64)(1) == 2
    assert cache.stats.patches == 0
