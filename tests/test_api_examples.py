"""The documented calls with their natural argument types: bytes into a heap
chunk or a region view, numpy dtypes for ``Region.asarray``, llvmlite modules
for ``compile_ir`` -- and a typed error (never a bare numpy/llvmlite one) when
the argument is wrong."""

from __future__ import annotations

import ctypes

import llvmlite.binding as llvm
import numpy as np
import pytest
from llvmlite import ir

from libmpk import sandbox
from libmpk.jit import CodeCache, JitError, RelocationError, compile_ir, emit_object
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE

RW = PROT_READ | PROT_WRITE
PAGE = 4096


# --- the protected heap: sandbox.chunk ---------------------------------------------


def test_readme_heap_example(sb):
    sb.mmap(7, 4096, PROT_NONE)  # the vkey must exist
    p = sb.malloc(7, 100)
    with sb.domain(7, RW):
        sb.chunk(p)[:5] = b"hello"
    p = sb.realloc(p, 5000)
    with sb.domain(7, PROT_READ):
        assert bytes(sb.chunk(p)[:6]) == b"hello\0"
    sb.free(p)


def test_chunk_takes_every_bytes_like_value(sb):
    sb.mmap(70, 4096, RW)
    p = sb.malloc(70, 16)
    c = sb.chunk(p)
    c[:5] = b"hello"
    c[5:10] = bytearray(b"world")
    c[10:13] = memoryview(b"abc")
    c[13:15] = memoryview(b"x_y_")[::2]  # not contiguous
    c[15] = b"!"  # one element, one byte
    assert bytes(c) == b"helloworldabcxy!"


def test_chunk_is_still_a_numpy_uint8_view(sb):
    sb.mmap(71, 4096, RW)
    p = sb.malloc(71, 32)
    c = sb.chunk(p)
    assert isinstance(c, np.ndarray) and isinstance(c, sandbox.MemoryArray)
    assert c.dtype == np.uint8 and c.shape == (32,) and not c.any()
    c[:] = 9
    c[1:3] = np.frombuffer(b"\x01\x02", np.uint8)
    c[3] = 200
    assert list(sb.chunk(p)[:4]) == [9, 1, 2, 200]  # a second view sees the same memory


def test_bytes_of_the_wrong_length_is_a_typed_error(sb):
    sb.mmap(72, 4096, RW)
    c = sb.chunk(sb.malloc(72, 8))
    for key, value in ((slice(0, 5), b"hi"), (slice(0, 2), b"hello"), (0, b"ab"), (slice(None), b"")):
        with pytest.raises(sandbox.ArgumentError, match="fill the selection exactly"):
            c[key] = value
    assert not c.any(), "a refused assignment writes nothing"


def test_heap_sizes_and_pointers_may_be_numpy_integers(sb):
    sb.mmap(73, 4096, RW)
    p = sb.malloc(73, np.int64(24))
    assert sb.chunk(np.uint64(p)).shape == (24,)
    q = sb.calloc(73, np.int32(3), np.int64(8))
    p = sb.realloc(np.int64(p), np.int64(40))
    assert sb.chunk(p).shape == (40,)
    sb.free(np.int64(p))
    sb.free(q)
    for bad in (True, 2.0, "16", None):
        with pytest.raises(sandbox.ArgumentError):
            sb.malloc(73, bad)
        with pytest.raises(sandbox.ArgumentError):
            sb.chunk(bad)


# --- regions: Region.view / Region.asarray ---------------------------------------------


def test_region_views_take_bytes(sb):
    r = sb.mmap(74, 2 * PAGE, RW)
    r.view()[:5] = b"hello"
    a = r.asarray()
    a[5:11] = b" world"
    assert bytes(r.view()[:11]) == b"hello world"
    words = r.asarray(np.int32)
    words[4] = (7).to_bytes(4, "little")  # raw bytes: one int32
    assert words[4] == 7
    with pytest.raises(sandbox.ArgumentError):
        words[4] = b"\x07"  # not a whole int32
    del a, words


def test_asarray_default_is_one_element_per_byte(sb):
    r = sb.mmap(75, 4 * PAGE, RW)
    a = r.asarray()
    assert (a.dtype, a.shape) == (np.uint8, (4 * PAGE,))
    assert r.asarray(np.uint8).shape == r.asarray("u1").shape == r.asarray("B").shape == (4 * PAGE,)
    assert r.asarray(None).dtype == np.uint8
    # numpy's spelling: "u8" is an 8-byte unsigned integer, not bytes
    assert (r.asarray("u8").dtype, r.asarray("u8").shape) == (np.uint64, (4 * PAGE // 8,))
    f = r.asarray(np.float64)
    f[0] = 1.5
    assert a[:8].tobytes() == np.float64(1.5).tobytes()  # views share the pages
    del a, f


def test_asarray_bad_dtypes_are_typed_errors(sb):
    r = sb.mmap(76, PAGE, RW)
    for bad in ("bogus", 5, "i4,,", object, np.dtype("O"), [("a", "i4"), ("b", "O")], "V3", "S0"):
        with pytest.raises(sandbox.ArgumentError):
            r.asarray(bad)


def test_views_still_block_munmap(sb):
    r = sb.mmap(77, PAGE, RW)
    a = r.asarray(np.int64)
    with pytest.raises(sandbox.BusyError):
        sb.munmap(77)
    del a
    sb.munmap(77)


# --- the JIT: compile_ir / emit_object ----------------------------------------------------

ADD = "define i64 @add(i64 %a, i64 %b) {\n  %r = add i64 %a, %b\n  ret i64 %r\n}\n"


def _builder_module(name: str = "twice") -> ir.Module:
    m = ir.Module()
    i64 = ir.IntType(64)
    fn = ir.Function(m, ir.FunctionType(i64, [i64]), name)
    b = ir.IRBuilder(fn.append_basic_block())
    b.ret(b.add(fn.args[0], fn.args[0]))
    return m


@pytest.fixture
def cache(sb):
    c = CodeCache(sb.backend_name())
    yield c
    c.close()


def test_compile_ir_takes_an_llvmlite_ir_module(cache):
    mod = compile_ir(cache, _builder_module())
    assert mod.ctypes("twice", ctypes.c_int64, ctypes.c_int64)(21) == 42


def test_compile_ir_takes_a_module_ref_and_leaves_it_alone(cache):
    ref = llvm.parse_assembly(ADD)
    before = str(ref)
    mod = compile_ir(cache, ref)
    assert mod.ctypes("add", ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(2, 3) == 5
    assert not ref.closed and str(ref) == before  # neither optimised nor consumed
    compile_ir(cache, [ref])  # so it can be used again


def test_compile_ir_links_a_mix(cache):
    mod = compile_ir(cache, (part for part in (ADD, _builder_module(), llvm.parse_assembly(str(_builder_module("x"))))))
    assert mod.ctypes("twice", ctypes.c_int64, ctypes.c_int64)(4) == 8
    assert mod.ctypes("x", ctypes.c_int64, ctypes.c_int64)(5) == 10
    assert mod.ctypes("add", ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(1, 1) == 2


def test_bad_ir_is_a_jit_error(cache):
    closed = llvm.parse_assembly(ADD)
    closed.close()
    cases = {
        None: "NoneType",
        5: "int",
        b"define": "bytes",
        ADD.encode(): "decode",
        (ADD, None): "NoneType",
        (): "no IR",
        "not IR": "invalid LLVM IR",
        closed: "closed",
    }
    for bad, message in cases.items():
        with pytest.raises(JitError, match=message):
            compile_ir(cache, bad)


def test_bad_opt_level_is_a_jit_error():
    for bad in (-1, 4, 2.0, "2", None, True):
        with pytest.raises(JitError, match="opt"):
            emit_object(ADD, opt=bad)
    assert emit_object(ADD, opt=np.int64(0))[:4] == b"\x7fELF"


CALLS_CB = """declare double @cb(double)
define double @f(double %x) {
  %r = call double @cb(double %x)
  ret double %r
}
"""


def test_externals_take_ctypes_callbacks(cache):
    cb = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double)(lambda x: x * 3)
    mod = compile_ir(cache, CALLS_CB, externals={"cb": cb})
    assert mod.ctypes("f", ctypes.c_double, ctypes.c_double)(2.0) == 6.0
    addr = ctypes.cast(cb, ctypes.c_void_p)
    mod = compile_ir(cache, CALLS_CB, externals={"cb": addr})  # a c_void_p too
    assert mod.ctypes("f", ctypes.c_double, ctypes.c_double)(1.5) == 4.5


def test_bad_externals_are_relocation_errors(cache):
    for bad, message in (({"cb": "x"}, "str"), ({"cb": True}, "bool"), ({"cb": 0}, "not an address"), (["cb"], "dict")):
        with pytest.raises(RelocationError, match=message):
            compile_ir(cache, CALLS_CB, externals=bad)


def test_argument_errors_are_typed(sb):
    """bool is not an int here (True would be vkey 1 / PROT_READ); non-ints
    name their type; numpy integers are ints everywhere."""
    sb.mmap(3, 4096, sb.PROT_READ)
    for call in (
        lambda: sb.begin(True, sb.PROT_READ),
        lambda: sb.begin(3, True),
        lambda: sb.mmap(True, 4096, sb.PROT_READ),
        lambda: sb.access("x"),
        lambda: sb.access(None),
        lambda: sb.access(-1),
        lambda: sb.access_many(None),
        lambda: sb.access_many([1, "x"]),
    ):
        with pytest.raises(sb.SandboxError):
            call()
    assert sb.mmap(4, np.int64(4096), sb.PROT_READ).length == 4096
    assert sb.access(np.uint64(sb.regions(4)[0].address)) == sb.PROT_READ


def test_init_checks_sync_timeout(backend):
    from libmpk import sandbox

    for bad in ("5", None, True, 0, -1.0, float("nan"), float("inf")):
        sandbox.shutdown()
        with pytest.raises(sandbox.ArgumentError, match="sync_timeout"):
            sandbox.init(backend=backend, sync_timeout=bad)
    sandbox.init(backend=backend, sync_timeout=0.5)
    sandbox.shutdown()


def test_shutdown_with_a_code_cache_alive(backend):
    """A pku code cache pins its vkeys; shutdown still unmaps everything."""
    from libmpk.jit import default_mode

    sandbox.shutdown()
    sandbox.init(backend=backend)
    c = CodeCache(default_mode(), code_size=1 << 20, rodata_size=1 << 16, data_size=1 << 16)
    assert compile_ir(c, ADD).ctypes("add", ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(2, 3) == 5
    sandbox.shutdown()
    sandbox.init(backend=backend)
    assert sandbox.stats()["vkeys"] == 0 and sandbox.stats()["pinned_keys"] == 0
