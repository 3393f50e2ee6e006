"""jit/: the scanner against a brute-force oracle, the loader's relocations,
gadget policy (re-place, blind, refuse), W^X with real faults, invalidation."""

from __future__ import annotations

import ctypes
import math
import os
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from llvmlite import ir
from numba import njit

from libmpk import sandbox
from libmpk.jit import (
    CodeCache,
    GadgetError,
    JitError,
    Loader,
    RelocationError,
    brute_force,
    compile_ir,
    emit_object,
    explain,
    scan,
)
from libmpk.jit.blinding import blind_module, needs_blinding
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

from .conftest import _reset
from .handshake import expect

WRPKRU = b"\x0f\x01\xef"
XRSTORS = [bytes([0x0F, 0xAE, m]) for m in (0x28, 0x2D, 0x6E, 0xAF)]
NOT_XRSTOR = [b"\x0f\xae\xe8", b"\x0f\xae\xf0", b"\x0f\xae\x18"]  # lfence, mfence, fstp-like /3


# --- scanner -------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    noise=st.binary(min_size=0, max_size=600),
    plants=st.lists(st.tuples(st.integers(0, 600), st.sampled_from([WRPKRU, *XRSTORS, *NOT_XRSTOR])), max_size=8),
)
def test_scanner_equals_brute_force(noise, plants):
    data = bytearray(noise)
    for pos, pat in sorted(((min(p, len(noise)), pat) for p, pat in plants), reverse=True):
        data[pos:pos] = pat  # descending positions: an insert never splits an earlier one
    data = bytes(data)
    assert scan(data) == brute_force(data)
    for _, pat in plants:  # planted real patterns are found
        if pat == WRPKRU or pat in XRSTORS:
            assert any(data[h.offset : h.offset + 3] == pat for h in scan(data))


def test_scanner_ignores_fences_and_finds_boundaries():
    assert scan(b"\x0f\xae\xe8\x0f\xae\xf8") == []  # lfence, sfence: mod == 3
    assert [h.offset for h in scan(WRPKRU)] == [0]
    assert [h.offset for h in scan(b"\x90" * 5 + WRPKRU)] == [5]
    assert scan(b"\x0f\x01") == []


def test_explanations_classify_each_hit_kind():
    base = 0x1000
    imm = bytes.fromhex("b80f01ef00c3")  # mov eax, 0xef010f
    e = explain(imm, base, 1)
    assert (e.aligned, e.where) == (False, "immediate") and "mov" in e.insn
    disp = bytes.fromhex("488b050f01ef00c3")  # mov rax, [rip + 0xef010f]
    assert explain(disp, base, 3).where == "displacement"
    real = bytes.fromhex("31c931d20f01efc3")
    e = explain(real, base, 4)
    assert e.aligned and e.where == "instruction" and e.insn == "wrpkru"
    span = bytes.fromhex("b80000000f01efc3")  # mov eax, 0x0f000000 ; add edi, ebp
    e = explain(span, base, 4)
    assert e.where == "spans" and "add" in e.insn
    xr = bytes.fromhex("0fae28c3")
    assert explain(xr, base, 0).insn.startswith("xrstor")


# --- the code cache and loader --------------------------------------------------------

IR = r"""
declare double @cos(double)
declare i64 @callback(i64)
@table = internal constant [4 x double] [double 1.5, double 2.5, double 3.5, double 4.25]
@counter = global i64 7

define double @lookup(double %x, i64 %i) {
  %c = call double @cos(double %x)
  %p = getelementptr [4 x double], [4 x double]* @table, i64 0, i64 %i
  %v = load double, double* %p
  %r = fadd double %c, %v
  ret double %r
}

define i64 @dispatch(i64 %x) {
  switch i64 %x, label %other [ i64 0, label %a
                                i64 1, label %b
                                i64 2, label %c
                                i64 3, label %d
                                i64 4, label %e ]
a: ret i64 11
b: ret i64 22
c: ret i64 33
d: ret i64 44
e: ret i64 55
other:
  %old = load i64, i64* @counter
  %new = add i64 %old, 1
  store i64 %new, i64* @counter
  ret i64 %old
}

define i64 @both(i64 %x) {
  %r = call i64 @callback(i64 %x)
  %s = call i64 @dispatch(i64 %x)
  %t = add i64 %r, %s
  ret i64 %t
}

define double @scaled(double %x) {
  %r = fmul double %x, 0x400921FB54442D18
  ret double %r
}
"""

MODES = ["mprotect", "none", pytest.param("pku", marks=pytest.mark.pku)]
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64)(lambda x: x * 100)


@pytest.fixture(params=MODES)
def cache(request):
    _reset()
    sandbox.init(backend="pku" if request.param == "pku" else None)
    c = CodeCache(request.param)
    yield c
    c.close()
    _reset()


def load(cache):
    return compile_ir(cache, IR, externals={"callback": ctypes.cast(_CALLBACK, ctypes.c_void_p).value})


def test_relocations_all_kinds(cache):
    m = load(cache)
    lookup = m.ctypes("lookup", ctypes.c_double, ctypes.c_double, ctypes.c_int64)
    dispatch = m.ctypes("dispatch", ctypes.c_int64, ctypes.c_int64)
    both = m.ctypes("both", ctypes.c_int64, ctypes.c_int64)
    scaled = m.ctypes("scaled", ctypes.c_double, ctypes.c_double)
    assert lookup(0.5, 2) == math.cos(0.5) + 3.5  # libm through a stub + GOT, a rodata table
    assert [dispatch(i) for i in range(5)] == [11, 22, 33, 44, 55]  # jump table (.rela.rodata)
    assert dispatch(9) == 7 and dispatch(9) == 8  # mutable global via the GOT
    assert both(3) == 300 + 44  # a Python callback + an intra-module call
    assert scaled(2.0) == 2.0 * math.pi  # float constant pool
    code = ctypes.string_at(cache.code_range[0], m.placement.code_size + 64)
    assert scan(code) == []  # what became executable is clean
    s = cache.snapshot()
    windows = 1 if cache.wx == "pku" else 0  # mprotect: the commit writes pages of its own, no window
    assert s["commits"] == 1 and s["functions"] == 4 and s["windows"] >= windows and s["refused"] == 0


def test_numba_calls_jitted_code_directly(cache):
    m = load(cache)
    dispatch = m.ctypes("dispatch", ctypes.c_int64, ctypes.c_int64)

    @njit
    def total(n):
        s = 0
        for i in range(n):
            s += dispatch(i % 5)
        return s

    assert total(10) == 2 * (11 + 22 + 33 + 44 + 55)


def _magic_module(blind: bool) -> str:
    mod = ir.Module("magic")
    i64 = ir.IntType(64)
    fn = ir.Function(mod, ir.FunctionType(i64, [i64]), "magic")
    b = ir.IRBuilder(fn.append_basic_block())
    b.ret(b.add(fn.args[0], ir.Constant(i64, 0x1122EF010F334455)))
    if blind:
        assert blind_module(mod) == 1
    return str(mod)


def test_immediate_gadget_is_refused_then_blinded(cache):
    with pytest.raises(GadgetError, match="immediate.*blind") as ei:
        compile_ir(cache, _magic_module(False))
    assert ei.value.hits and cache.snapshot()["refused"] == 1
    assert needs_blinding(0x1122EF010F334455, 64) and not needs_blinding(0x1122334455667788, 64)
    m = compile_ir(cache, _magic_module(True))
    assert m.ctypes("magic", ctypes.c_int64, ctypes.c_int64)(1) == 0x1122EF010F334456
    assert scan(ctypes.string_at(m.address("magic"), m.placement.code_size)) == []


def test_displacement_gadget_is_replaced():
    """Force the first placement so that a RIP-relative displacement reads
    0F 01 EF: the loader must move the code, not refuse it."""
    from libmpk.jit import objfile

    _reset()
    sandbox.init()
    cache = CodeCache("none")
    try:
        obj = emit_object(
            "@k = internal constant [2 x i64] [i64 5, i64 6]\n"
            "define i64 @get(i64 %i) {\n  %p = getelementptr [2 x i64], [2 x i64]* @k, i64 0, i64 %i\n"
            "  %v = load i64, i64* %p\n  ret i64 %v\n}\n"
        )
        (reloc,) = [r for r in objfile.parse(obj).relocs if r.type == 2]  # the PC32 to @k
        s_next = (cache._rodata.top + 15) & ~15  # where @k will be placed
        disp = 0xFDEF010F - (1 << 32)  # little-endian bytes 0F 01 EF FD
        at = s_next + reloc.addend - reloc.offset - disp  # disp = S + A - (code + offset)
        assert cache._code.top <= at < cache._code.end
        m = Loader(cache).load_object(obj, _first_at=at)
        assert m.address("get") != at  # moved
        assert cache.snapshot()["replaced"] >= 1 and cache.snapshot()["refused"] == 0
        get = m.ctypes("get", ctypes.c_int64, ctypes.c_int64)
        assert (get(0), get(1)) == (5, 6)
        assert scan(ctypes.string_at(m.address("get"), m.placement.code_size)) == []
    finally:
        cache.close()
        _reset()


def test_gadget_spanning_two_instructions_is_refused(cache):
    code = bytes.fromhex("b80000000f01efc3")  # mov eax, 0x0f000000; add edi, ebp; ret
    p = cache.place(len(code))
    with pytest.raises(GadgetError, match="spans"):
        cache.commit(p, code)
    cache.release(p)


def test_unsupported_and_unresolved_relocations(cache):
    import llvmlite.binding as llvm

    tm = llvm.Target.from_default_triple().create_target_machine(reloc="static", codemodel="large")
    mod = llvm.parse_assembly("@g = global i64 1\ndefine i64* @addr() {\n  ret i64* @g\n}\n")
    with pytest.raises(RelocationError, match="R_X86_64_64"):
        Loader(cache).load_object(tm.emit_object(mod))
    with pytest.raises(RelocationError, match="undefined symbol 'no_such_function_xyz'"):
        compile_ir(
            cache,
            "declare i64 @no_such_function_xyz()\n"
            "define i64 @f() {\n %r = call i64 @no_such_function_xyz()\n ret i64 %r\n}\n",
        )


def test_invalidate_and_collect_reuse_space(cache):
    src = "define i64 @one() {\n  ret i64 1\n}\n"
    m1 = compile_ir(cache, src)
    first = m1.address("one")
    m1.invalidate()
    assert cache.collect() > 0
    m2 = compile_ir(cache, src)
    if cache.wx != "mprotect":
        assert m2.address("one") == first  # the same bytes of the cache again
    assert m2.ctypes("one", ctypes.c_int64)() == 1
    assert cache.snapshot()["invalidated"] == 1


def test_writing_code_outside_the_window_faults(cache):
    m = load(cache)
    addr = m.address("dispatch")

    def stray_write():
        ctypes.memset(addr, 0xC3, 1)

    out = run_in_child(stray_write)
    if cache.wx == "none":
        assert out.ok, out  # the baseline protects nothing
    else:
        assert out.segv and out.fault.address == addr, out
        assert out.fault.code == (SEGV_PKUERR if cache.wx == "pku" else SEGV_ACCERR)


@pytest.mark.pku
def test_second_thread_cannot_write_during_a_window():
    _reset()
    sandbox.init(backend="pku")
    cache = CodeCache("pku")
    try:
        m = compile_ir(cache, "define i64 @seven() {\n  ret i64 7\n}\n")
        addr = m.address("seven")
        seven = m.ctypes("seven", ctypes.c_int64)

        def scenario():
            opened, done = threading.Event(), threading.Event()
            results = []

            def emitter():
                with cache.writable():
                    opened.set()
                    expect(done, "the main thread's probe")

            t = threading.Thread(target=emitter)
            t.start()
            expect(opened, "the emitter's window")
            results.append(seven())  # other threads still execute the cache mid-window
            assert results == [7]
            ctypes.memset(addr, 0xC3, 1)  # ... but cannot write it: must fault

        out = run_in_child(scenario)
        assert out.segv and out.fault.code == SEGV_PKUERR, out
    finally:
        cache.close()
        _reset()


def test_wx_mode_none_only_by_name_and_pku_needs_keys():
    _reset()
    sandbox.init(backend="mprotect")
    with pytest.raises(sandbox.SandboxError, match="unknown W\\^X mode"):
        CodeCache("rwx")
    with pytest.raises(sandbox.SandboxError, match="protection keys"):
        CodeCache("pku")
    _reset()


def test_tiny_third_party_jit_example():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("tiny_jit", Path(__file__).parent.parent / "examples" / "tiny_jit.py")
    tiny = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiny)
    _reset()
    sandbox.init()
    cache = CodeCache("mprotect")
    f = tiny.compile_postfix(cache, "x x * 3 x * + 1 -")
    assert f(2.5) == 2.5 * 2.5 + 3 * 2.5 - 1
    g = tiny.compile_postfix(cache, "x sqrt x sin +", "g")
    assert g(4.0) == pytest.approx(2.0 + math.sin(4.0))
    cache.close()
    _reset()


__all__ = ["np"]


PATCHES_MPROTECT = """
import ctypes, os
from libmpk.jit.codecache import CodeCache
cache = CodeCache("mprotect")
code = b"\\x48\\xb8" + bytes(8) + b"\\xc3"  # movabs rax, imm64; ret
p = cache.place(len(code))
h = cache.commit(p, code)
fn = ctypes.CFUNCTYPE(ctypes.c_int64)(p.code)
cache.patch(h, p.code + 2, (1).to_bytes(8, "little"))  # warm
os.write(1, b"<<")
for v in range(20):
    cache.patch(h, p.code + 2, (v + 1000).to_bytes(8, "little"))
os.write(1, b">>")
assert fn() == 1019, fn()
"""


def test_an_inline_cache_patch_under_mprotect_costs_nine_system_calls(fresh):
    """The fallback's price for patching live code, counted (strace): the
    commit's pages RW, read-only, then RX -- three sandbox.mprotect calls per
    patch, each an mprotect and the pwrite that records it in the library's
    write-protected tables, after the lseek that checks the descriptor is
    still theirs (tests/attacks/test_kept_descriptors.py); nothing else
    (pku: none at all, tests/test_sync_cost.py)."""
    from tests.test_sync_cost import traced

    _, calls = traced(fresh, PATCHES_MPROTECT)
    assert calls == ["mprotect", "lseek", "pwrite64"] * 60, calls


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([0x0F, 0x01, 0xEF, 0xAE, 0x28, 0x2F, 0xE8, 0x00, 0x90, 0xFF]), min_size=1, max_size=8))
def test_needs_blinding_fast_path_agrees_with_the_full_check(raw):
    """A constant with none of 0F, EF, AE can hold no pattern or part of one
    (the fast path); with any, the full check decides -- both agree."""
    from libmpk.jit.scanner import scan

    data = bytes(raw)
    bits = 8 * len(data)
    value = int.from_bytes(data, "little")
    full = (
        bool(scan(data))
        or data.endswith((b"\x0f", b"\x0f\x01", b"\x0f\xae"))
        or data.startswith((b"\x01\xef", b"\xef"))
        or (data[0] == 0xAE and len(data) > 1 and (data[1] >> 3) & 7 == 5 and data[1] >> 6 != 3)
    )
    assert needs_blinding(value, bits) == full, data.hex()


# --- tiers: the baseline build, entry pads, the background compiler -------------------

_SUM = """
define i64 @"sum"(i64 %n) {
entry:
  br label %head
head:
  %i = phi i64 [0, %entry], [%j, %head]
  %s = phi i64 [0, %entry], [%t, %head]
  %t = add i64 %s, %i
  %j = add i64 %i, 1
  %c = icmp slt i64 %j, %n
  br i1 %c, label %head, label %done
done:
  ret i64 %t
}
"""


def test_the_baseline_build_computes_what_o2_computes():
    from libmpk.jit import BASELINE

    cache = CodeCache("none")
    try:
        fast = compile_ir(cache, _SUM, opt=BASELINE).ctypes("sum", ctypes.c_int64, ctypes.c_int64)
        good = compile_ir(cache, _SUM).ctypes("sum", ctypes.c_int64, ctypes.c_int64)
        for n in (1, 2, 10, 12345):
            assert fast(n) == good(n) == n * (n - 1) // 2
    finally:
        cache.close()


_CALLS_A_HELPER = """
define internal i64 @"sq"(i64 %x) alwaysinline {
entry:
  %y = mul i64 %x, %x
  ret i64 %y
}
define i64 @"f"(i64 %n) {
entry:
  %a = call i64 @"sq"(i64 %n)
  %b = add i64 %a, 1
  ret i64 %b
}
"""


def test_the_baseline_build_inlines_what_the_front_end_marked_alwaysinline():
    """(apps.js copies small callees into their callers' modules marked so:
    the baseline, which runs no inliner otherwise, must inline them too.)"""
    import io

    from elftools.elf.elffile import ELFFile

    from libmpk.jit import BASELINE

    obj = emit_object(_CALLS_A_HELPER, BASELINE)
    elf = ELFFile(io.BytesIO(obj))
    names = {s.name for s in elf.get_section_by_name(".symtab").iter_symbols()}
    assert "f" in names and "sq" not in names  # (inlined, then dropped: nothing calls it)
    cache = CodeCache("none")
    try:
        f = compile_ir(cache, _CALLS_A_HELPER, opt=BASELINE).ctypes("f", ctypes.c_int64, ctypes.c_int64)
        assert [f(n) for n in (0, 3, -4)] == [1, 10, 17]
    finally:
        cache.close()


def test_the_baseline_keeps_a_loops_values_in_registers():
    """-O0's own register allocator stores and reloads every value that
    crosses a block (a loop's counter and sum: 10 stack accesses per
    iteration of this loop); the baseline uses the optimising one
    (compiler.py), so the loop touches no stack at all."""
    import io

    import capstone
    from elftools.elf.elffile import ELFFile

    from libmpk.jit import BASELINE

    loop = _SUM.replace("@sum", "@loop")
    elf = ELFFile(io.BytesIO(emit_object(loop, BASELINE)))
    code = elf.get_section_by_name(".text").data()
    md = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64)
    insns = list(md.disasm(code, 0))
    assert insns and insns[-1].mnemonic == "ret"
    stack = [f"{i.mnemonic} {i.op_str}" for i in insns if "rsp" in i.op_str or "rbp" in i.op_str]
    assert stack == []


@pytest.mark.parametrize("opt", ["fast", "BASELINE", -1, 4, True, 2.0])
def test_a_bad_optimisation_level_is_a_jit_error(opt):
    from libmpk.jit import JitError

    with pytest.raises(JitError, match="opt must be"):
        emit_object(_SUM, opt)


def test_entry_pads_put_a_nop_before_each_named_function_and_refuse_unknown_names():
    from libmpk.jit import JitError, entry_pads
    from libmpk.jit.loader import ENTRY_PAD

    cache = CodeCache("none")
    try:
        mod = compile_ir(cache, entry_pads(_SUM, ["sum"]))
        assert bytes((ctypes.c_ubyte * 4).from_address(mod.address("sum"))) == ENTRY_PAD
        assert mod.ctypes("sum", ctypes.c_int64, ctypes.c_int64)(4) == 6  # (the pad runs through)
    finally:
        cache.close()
    with pytest.raises(JitError, match="no definition of nope"):
        entry_pads(_SUM, ["sum", "nope"])


def _build_in(bc, ir: str) -> tuple:
    done = threading.Event()
    got: list = []

    def finished(obj, err):
        got.append((obj, err))
        done.set()

    assert bc.submit(ir, finished)
    assert done.wait(120)
    return got[0]


def test_the_background_compiler_builds_in_a_forked_child_and_reports_errors():
    from libmpk.jit.background import BackgroundCompiler, BuildError

    bc = BackgroundCompiler()
    try:
        bc.start()
        assert bc.forked
        obj, err = _build_in(bc, _SUM)
        assert err is None and obj[:4] == b"\x7fELF"
        cache = CodeCache("none")
        try:
            f = Loader(cache).load_object(obj).ctypes("sum", ctypes.c_int64, ctypes.c_int64)
            assert f(100) == 4950
        finally:
            cache.close()
        obj, err = _build_in(bc, "this is not IR")
        assert obj is None and isinstance(err, BuildError) and "invalid LLVM IR" in str(err)
        obj, err = _build_in(bc, _SUM)  # (the child survived the bad job)
        assert err is None
    finally:
        bc.close()
    assert not bc.submit(_SUM, lambda o, e: None)  # closed: nothing queued
    assert not bc.forked


def test_the_background_compiler_outlives_the_thread_that_started_it():
    """The child dies with the thread that forked it (PR_SET_PDEATHSIG
    follows threads): started from a thread that then ends -- as each
    Engine.run_source's program thread does -- it must still build."""
    from libmpk.jit.background import BackgroundCompiler

    bc = BackgroundCompiler()
    try:

        def start_then_linger() -> None:
            bc.start()
            time.sleep(0.3)  # (ends after the child is set up: a death signal tied to it would fire)

        t = threading.Thread(target=start_then_linger)
        t.start()
        t.join()
        assert bc.forked
        time.sleep(0.2)  # (a death signal, if sent, has landed)
        obj, err = _build_in(bc, _SUM)
        assert err is None and obj[:4] == b"\x7fELF", err
    finally:
        bc.close()


def _hang(ir, opt):
    time.sleep(60)


def test_a_hung_build_ends_by_the_childs_alarm(monkeypatch):
    """A child stuck in a build (as on a lock another thread held at the
    fork) ends itself: its alarm's default action.  The build is reported
    failed and the compiler takes no more jobs."""
    from libmpk.jit import background

    monkeypatch.setattr(background, "emit_object", _hang)  # (what the child inherits)
    monkeypatch.setattr(background, "BUILD_LIMIT_S", 1)
    bc = background.BackgroundCompiler()
    try:
        bc.start()
        t0 = time.monotonic()
        obj, err = _build_in(bc, _SUM)
        assert obj is None and isinstance(err, (EOFError, OSError)), err
        assert time.monotonic() - t0 < 30
        assert not bc.submit(_SUM, lambda o, e: None)
    finally:
        bc.close()


def test_close_does_not_wait_out_a_long_build(monkeypatch):
    from libmpk.jit import background

    monkeypatch.setattr(background, "emit_object", _hang)
    bc = background.BackgroundCompiler()
    bc.start()
    pid = bc._pid
    assert bc.submit(_SUM, lambda o, e: None)
    time.sleep(0.2)  # (the job is in hand)
    t0 = time.monotonic()
    bc.close()
    assert time.monotonic() - t0 < background.CLOSE_WAIT_S + 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # (reaped)


def test_close_kills_a_child_still_in_its_warm_up(monkeypatch):
    """A short program exits while the child is still warming up (it reads
    its pipe only after): close kills it rather than wait for it to see the
    pipe's end.  (Before: up to CLOSE_WAIT_S, then a kill.)"""
    from libmpk.jit import background

    monkeypatch.setattr(background, "warm_up", lambda *levels: time.sleep(60))  # (what the child inherits)
    monkeypatch.setattr(background, "CLOSE_WAIT_S", 60.0)
    bc = background.BackgroundCompiler()
    bc.start()
    pid = bc._pid
    assert pid > 0
    t0 = time.monotonic()
    bc.close()
    assert time.monotonic() - t0 < 30  # (not the 60 s a wait for the pipe's end would take)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # (reaped)
    assert bc._to is None and bc._from is None


def test_close_survives_a_child_reaped_elsewhere():
    """With SIGCHLD ignored the kernel reaps the child itself: close's wait
    then finds no child, which is not an error."""
    import signal

    from libmpk.jit.background import BackgroundCompiler

    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        bc = BackgroundCompiler()
        bc.start()
        assert _build_in(bc, _SUM)[1] is None
        bc.close()
        assert not bc.forked
    finally:
        signal.signal(signal.SIGCHLD, old)


def _fork_sees_no_parent_compiler() -> bool:
    from libmpk.jit import background

    return background._shared is None


def test_a_forked_child_does_not_share_the_parents_background_compiler():
    from libmpk.jit import background

    bc = background.shared()
    bc.start()
    out = run_in_child(_fork_sees_no_parent_compiler)
    assert out.ok and out.value is True, str(out)
    obj, err = _build_in(background.shared(), _SUM)  # (and the parent's still works)
    assert err is None


_FUZZ_OBJECT: bytes | None = None


@settings(max_examples=300, deadline=None)
@given(
    cut=st.integers(0, 4096),
    flips=st.lists(st.tuples(st.integers(0, 4095), st.integers(1, 255)), max_size=6),
)
def test_a_mangled_object_parses_or_raises_jit_error(cut, flips):
    """The object parser keeps pyelftools' struct parsers between files (built
    once per kind of header): a truncated or bit-flipped object -- a header
    that names another class, machine or type included -- is parsed, or
    refused with JitError, and never poisons the next, well-formed parse."""
    global _FUZZ_OBJECT
    from libmpk.jit import objfile

    if _FUZZ_OBJECT is None:
        _FUZZ_OBJECT = emit_object("define i64 @f(i64 %x) {\n  %y = mul i64 %x, 3\n  ret i64 %y\n}\n")
    good = objfile.parse(_FUZZ_OBJECT)
    data = bytearray(_FUZZ_OBJECT[: max(cut, 1)])
    for at, xor in flips:
        if at < len(data):
            data[at] ^= xor
    try:
        objfile.parse(bytes(data))
    except JitError:
        pass
    again = objfile.parse(_FUZZ_OBJECT)
    assert [(s.name, s.data) for s in again.sections.values()] == [(s.name, s.data) for s in good.sections.values()]
    assert again.symbols == good.symbols and again.relocs == good.relocs
