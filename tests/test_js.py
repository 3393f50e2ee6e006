"""apps/js: conformance against node, the JIT tier's deopts, errors, mpk run."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libmpk.apps.js.engine import Engine, run_source
from libmpk.apps.js.hotness import LOAD_CALLS, LOAD_LOOPS  # (the real ones: conftest lowers them per test)

from .attacks.jit_programs import compiler_faults
from .handshake import expect

HERE = Path(__file__).parent / "js"
CONFORMANCE = sorted((HERE / "conformance").glob("*.js"))
JIT_CASES = sorted((HERE / "jit").glob("*.js"))
NODE = shutil.which("node")


def expected(path: Path) -> str:
    """node's output: live where node is installed, else the recorded one."""
    if NODE:  # (in UTC: the engine takes the process's time zone to be UTC)
        env = {**os.environ, "TZ": "UTC"}
        return subprocess.run([NODE, str(path)], capture_output=True, text=True, timeout=60, env=env).stdout
    return path.with_suffix(".out").read_text()


def run(path: Path, **kw) -> tuple[str, Engine]:
    out = io.StringIO()
    engine = Engine(out=out, **kw)
    result = engine.run_source(path.read_text(), str(path))
    assert result.error is None, result.error_text
    return out.getvalue(), engine


def run_text(src: str, name: str) -> tuple[str, Engine]:
    """Run a program given as text with the JIT on; its output and engine."""
    out = io.StringIO()
    engine = Engine(out=out)
    assert engine.run_source(src, name).error is None
    return out.getvalue(), engine


def test_conformance_suite_is_big_enough():
    assert len(CONFORMANCE) >= 60


@pytest.mark.parametrize("path", CONFORMANCE, ids=lambda p: p.stem)
def test_conformance_interpreter(path):
    out, _ = run(path, jit=False)
    assert out == expected(path)


@pytest.mark.parametrize("path", CONFORMANCE, ids=lambda p: p.stem)
def test_conformance_jit(path):
    out, engine = run(path, jit=True, hot_loops=1)  # compile every loop as early as possible
    assert out == expected(path)
    assert not compiler_faults(engine.stats())


@pytest.mark.parametrize("path", JIT_CASES, ids=lambda p: p.stem)
def test_jit_cases_match_node(path):
    out, engine = run(path, jit=True)
    assert out == expected(path)
    s = engine.tier.snapshot()
    assert s["functions_compiled"] + s["loops_compiled"] >= 1
    assert s["scan_hits"] == 0 or s["replaced"] > 0
    assert not compiler_faults(engine.stats())


def test_a_closure_over_its_enclosing_functions_variables_compiles():
    """The counter the JIT issue measured at 160x node: its code reads and
    writes the cells of n and step, bound to that one closure."""
    src = (
        "function makeCounter(step) { let n = 0; return function () { n = n + step; return n; }; }\n"
        "const c = makeCounter(2), d = makeCounter(3);\n"
        "let last = 0; for (let i = 0; i < 20000; i++) last = c();\n"
        "console.log(last, d(), d(), c());\n"
    )
    out, engine = run_text(src, "counter.js")
    assert out == "40000 3 6 40002\n"
    s = engine.tier.snapshot()
    assert s["functions_compiled"] >= 1 and s["native_calls"] >= 1
    assert not any("enclosing function" in why for why in engine.tier.reasons.values())


def _matches_node(name: str) -> Engine:
    """Run tests/js/jit/<name>.js with the JIT; its output must be node's."""
    path = HERE / "jit" / f"{name}.js"
    out, engine = run(path, jit=True)
    assert out == expected(path)
    return engine


def _module_texts(monkeypatch) -> list[str]:
    """The IR text of every module the tier builds from now on (baseline
    builds: what the program's thread compiles)."""
    from libmpk.apps.js import tier

    texts: list[str] = []
    emit_object = tier.emit_object

    def capture(ir, *a, **k):
        texts.append(ir)
        return emit_object(ir, *a, **k)

    monkeypatch.setattr(tier, "emit_object", capture)
    return texts


def test_a_copied_leaf_neither_counts_depth_nor_polls(monkeypatch):
    """A small leaf copied into its callers' modules (to be inlined, as
    spectral-norm's ``A(i, j)``) cannot recurse, and its caller polls for the
    optimised build: the copy carries neither the depth count nor the poll
    that every other compiled function starts with -- in the baseline,
    which does not remove them, they were ~10 instructions per inner
    iteration.  The output is node's (the copy still computes the same)."""
    texts = _module_texts(monkeypatch)
    src = (
        "function A(i, j) { return 1 / (((i + j) * (i + j + 1)) / 2 + i + 1); }\n"
        "function row(i, n) { let t = 0; for (let j = 0; j < n; j++) t += A(i, j); return t; }\n"
        "let s = 0;\n"
        "for (let i = 0; i < 400; i++) s += A(i, i);\n"
        "for (let i = 0; i < 300; i++) s += row(i, 200);\n"
        "console.log(s.toFixed(9));\n"
    )
    out, engine = run_text(src, "leaf.js")
    want = sum(1 / (((i + i) * (i + i + 1)) / 2 + i + 1) for i in range(400))
    want += sum(1 / (((i + j) * (i + j + 1)) / 2 + i + 1) for i in range(300) for j in range(200))
    assert out == f"{want:.9f}\n"
    assert engine.tier.snapshot()["callees_copied"] >= 1
    copies = [t[t.index("define internal") :] for t in texts if "define internal" in t and "alwaysinline" in t]
    assert copies, texts
    for text in copies:
        copy = text[: text.index("\n}\n")]
        assert "tier_poll" not in copy and ", 9000\n" not in copy, copy
    # (the original, called from the interpreter and from other modules, keeps both)
    original = next(t for t in texts if 'define double @"jsfn_' in t)
    assert "tier_poll" in original and ", 9000\n" in original


def test_a_function_reads_its_context_and_const_globals_once(monkeypatch):
    """What every block of a compiled function uses -- the context words,
    the global slots' addresses, a const global's reference -- is made once
    in its entry block (codegen._in_entry): less IR to build, print, parse
    and compile (nbody's module 59 -> 47 KB), and the baseline, which has no
    LICM, keeps them in registers.  A ``let`` global may be rebound by a
    callee, so each of its reads loads it again."""
    import re

    texts = _module_texts(monkeypatch)
    src = (
        "const xs = [1, 2, 3, 4, 5, 6, 7, 8];\n"
        "let ys = [8, 7, 6, 5, 4, 3, 2, 1];\n"
        "function f(n) {\n"
        "  let s = 0;\n"
        "  for (let i = 0; i < n; i++)\n"
        "    s += xs[i & 7] * xs[(i + 1) & 7] + ys[i & 7] - ys[(i + 3) & 7] + xs[(i + 5) & 7];\n"
        "  return s;\n"
        "}\n"
        "let t = 0;\n"
        "for (let k = 0; k < 300; k++) t += f(50);\n"
        "console.log(t);\n"
    )
    out, engine = run_text(src, "globals.js")
    xs, ys = [1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1]
    f50 = sum(xs[i & 7] * xs[(i + 1) & 7] + ys[i & 7] - ys[(i + 3) & 7] + xs[(i + 5) & 7] for i in range(50))
    want = 300 * f50
    assert out == f"{want}\n"
    body = next(t for t in texts if "define" in t and '@"jsfn_' in t)
    fn = body[body.index("define") : body.index("\n}\n")]
    # (the context words: one i64* view of the ctx argument)
    assert len(re.findall(r"= bitcast i8\* %\"\.\d+\" to i64\*", fn)) == 1, fn
    # the global slots' base: the context word C_GLOBALS, read once
    (word,) = re.findall(r'(%"[^"]+") = getelementptr i64, i64\* %"[^"]+", i64 4\n', fn)
    (value,) = re.findall(rf'(%"[^"]+") = load i64, i64\* {re.escape(word)}[,\n]', fn)
    (base,) = re.findall(rf'(%"[^"]+") = inttoptr i64 {re.escape(value)} to double\*', fn)
    slots = {name: engine.tier.global_slot(engine.globals[name]) for name in ("xs", "ys")}
    loads = {}
    for name, slot in slots.items():
        geps = re.findall(rf'(%"[^"]+") = getelementptr double, double\* {re.escape(base)}, i64 {slot}\n', fn)
        assert len(geps) == 1, (name, fn)
        views = re.findall(rf"(%\"[^\"]+\") = bitcast double\* {re.escape(geps[0])} to i64\*", fn)
        loads[name] = sum(len(re.findall(rf"= load i64, i64\* {re.escape(v)}[,\n]", fn)) for v in views)
    assert loads == {"xs": 1, "ys": 2}, loads


def test_compiled_read_modify_writes_evaluate_the_member_once():
    """``a[i++] += 2`` in compiled code bumped i twice and stored to the next
    element (the target was evaluated for the read and again for the
    store), and ``a[i] = (i = i + 1)`` stored to the new i: the object and
    key are now evaluated first, once (codegen._pin_target).  Every loop
    here compiles and none deoptimises, so the output (node's) is the
    compiled code's."""
    engine = _matches_node("native_member_targets_evaluated_once")
    s = engine.tier.snapshot()
    assert not engine.tier.reasons, engine.tier.reasons
    assert s["loops_compiled"] >= 5 and s["deopts"] == 0, s


def test_an_array_declared_then_filled_compiles_as_one_allocation():
    """AWFY's Sieve writes ``const flags = new Array(5000); flags.fill(true);``:
    typed as an array of holes then a method call on it, its benchmark()
    stayed interpreted ("method 'fill' of aobj").  The pair now compiles as
    ``new Array(n).fill(v)`` (jittypes.fill_after_decl); a fill that reads
    the array itself is not merged, and a replaced Array.prototype.fill is
    seen (output = node's)."""
    engine = _matches_node("native_fill_after_declaration")
    reasons = engine.tier.reasons
    assert not {"benchmark", "sieve", "sums", "bad"} & set(reasons), reasons
    assert "itself" in reasons, reasons
    s = engine.tier.snapshot()
    assert s["native_allocations"] >= 300 and s["deopts"] + s["guard_declines"] >= 1, s


def test_arrays_held_in_properties_compile():
    """AWFY's Permute and Queens keep their arrays in ``this``'s properties;
    a load of one was typed a number, so every method that indexed one
    stayed interpreted ("indexing num": Permute ran ~2400x node).  Now the
    load's feedback types it, its slot holds the array's descriptor, and
    the methods compile -- those that allocate them too (``new Array(n).fill(v)``)."""
    engine = _matches_node("native_array_properties")
    assert not engine.tier.reasons, engine.tier.reasons
    s = engine.tier.snapshot()
    assert s["functions_compiled"] >= 8 and s["deopts"] == 0 and s["ic_patches"] >= 10, s
    assert s["native_allocations"] > 0, s


@pytest.mark.parametrize(
    "first",
    [
        "Object.freeze(Object.prototype)",
        "Object.defineProperty(Object.prototype, 'x', { value: 1, writable: false, configurable: true })",
        "Object.prototype.extra = 5; Object.preventExtensions(Object.prototype)",
    ],
)
def test_what_a_program_does_to_object_prototype_does_not_reach_the_next_engine(first):
    """Object.prototype is one object for the process, refilled by each new
    engine; it was cleared in place, so a table the first program had locked
    stayed locked: freezing it left the next engine without hasOwnProperty
    or toString, and a read-only name refused its stores."""
    out = io.StringIO()
    assert Engine(out=out, jit=False).run_source(first, "first.js").error is None
    src = (
        "const o = {}; o.x = 2; o.extra = 3;\n"
        "console.log(o.x, o.extra, o.hasOwnProperty('x'), typeof o.toString,\n"
        "  ({}).extra, Object.isFrozen(Object.prototype));\n"
    )
    out = io.StringIO()
    result = Engine(out=out, jit=False).run_source(src, "next.js")
    assert result.error is None, result.error_text
    assert out.getvalue() == "2 3 true function undefined false\n"


def test_a_compiled_run_that_allocates_much_frees_as_it_goes(monkeypatch):
    """The arrays a compiled run allocates are held until the run ends, so
    a long run of allocating loops would hold them all (a 900k-iteration
    loop reached 24 GB before this).  Past a budget a loop unit leaves at its
    next back-edge (its garbage freed) and is entered again; a function's
    run, which has no such exit, leaves at once past 4x the budget and goes
    on in the interpreter.  Either way the results are the interpreter's."""
    import libmpk.apps.js.allocation as allocation
    from libmpk.apps.js.arena import CHUNK_WORDS

    monkeypatch.setattr(allocation, "RUN_HEAP_ELEMENTS", 2 * CHUNK_WORDS)  # (the arena's chunks count whole)
    src = (
        "function churn(n) { let s = 0;\n"
        "  for (let i = 0; i < n; i++) { const t = new Array(20).fill(i); s += t[19]; }\n"
        "  return s; }\n"
        "let a = 0; for (let k = 0; k < 3000; k++) a += churn(3);\n"  # (hot as a function)
        "let b = 0; for (let k = 0; k < 20; k++) b += churn(5000);\n"  # (past the budget in one run)
        "let c = 0; for (let i = 0; i < 50000; i++) { const t = new Array(10).fill(true); if (t[9]) c++; }\n"
        "console.log(a, b, c);\n"
    )
    out, engine = run_text(src, "churn.js")
    assert out == f"{3000 * 3} {20 * sum(range(5000))} 50000\n"
    s = engine.tier.snapshot()
    assert s["native_allocations"] > 50000, s
    assert s["allocation_exits"] >= 1 and s["tier_up_exits"] >= 10, s


def test_arrays_filled_by_index_compile_once_every_element_is_a_number():
    """``new Array(n)`` filled by index is a list of elements, which compiled
    code cannot read (a quicksort over one ran interpreted, 200x node's
    time): where the JIT looks at an array whose elements are all numbers
    or all booleans, it is packed again.  node's output, through every way
    the array can go generic again afterwards."""
    engine = _matches_node("generic_arrays_packed_again")
    assert not {"sum", "countTrue", "bump"} & set(engine.tier.reasons), engine.tier.reasons  # (setAll's locked
    # arrays are refused on purpose)
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"sum", "countTrue"} <= compiled, compiled


def test_a_mixed_list_is_scanned_once_while_what_kept_it_a_list_stays():
    """repack runs at every entry of a unit compiled for a packed array: a
    long list with one string near its end, passed again and again, would
    be scanned whole each time.  The element that kept it a list is
    remembered and looked at first; once it is a number, the list packs."""
    from libmpk.apps.js.values import JSArray

    class Counting(list):
        scans = 0

        def __iter__(self):
            Counting.scans += 1
            return super().__iter__()

    a = JSArray(["x"])
    a.items = Counting([1.0] * 1000 + ["end"])
    assert not any(a.repack() for _ in range(50))
    assert Counting.scans <= 2, Counting.scans  # (the first call's scan and its search, then none)
    a.items[-1] = 5.0
    assert a.repack() and a.packed and a.get(1000) == 5.0 and len(a) == 1001


def test_compiled_code_reads_and_writes_a_float64array_in_place():
    """A Float64Array is given to compiled code as a packed array of numbers
    over its own memory (typed.JSTypedArray.addr): the functions taking one
    (and, at the same site, an ordinary array) compile, every other view of
    its buffer sees their stores, and what they cannot do -- a store or read
    past the end, a throw half-way -- goes to the interpreter: node's output."""
    engine = _matches_node("float64array_in_compiled_code")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"fill", "sum", "dot", "storeAt", "readAt"} <= compiled, (compiled, engine.tier.reasons)


def test_compiled_code_reads_and_writes_every_typed_array_kind_in_place():
    """Every typed array kind compiles (an Int32Array kernel ran interpreted,
    600x node): loads and stores at the element's width with JS's
    conversions, other views of the buffer see them, and a unit leaving in
    the middle of an iteration has its narrow stores undone byte-exactly --
    an undo log restoring 8 bytes per store zeroes the elements after one
    (the .js case catches that): node's output."""
    from libmpk.apps.js.jittypes import TYPED_ARRAYS

    engine = _matches_node("typed_arrays_every_kind")
    units = engine.tier.units.values()
    compiled = {u.fn.name for u in units}
    assert {"scatter", "until", "fillWords", "fillHalves", "sumI"} <= compiled, (compiled, engine.tier.reasons)
    given = {t for u in units for t in u.sig.params}
    assert set(TYPED_ARRAYS) <= given, (given, engine.tier.reasons)


def test_arrays_of_numbers_with_holes_compile():
    """fannkuch's ``count`` keeps a hole at 0 for ever, and no loop touching
    it compiled (53 s against node's 0.05).  Such an array is copied for
    compiled code with its holes as a NaN nothing else has: reading one
    leaves (a hole is undefined, not NaN -- the .js case tells them apart),
    stores fill holes, and only the elements whose bits changed go back:
    node's output."""
    from libmpk.apps.js.jittypes import HARR

    engine = _matches_node("holey_number_arrays")
    units = engine.tier.units.values()
    compiled = {u.fn.name for u in units}
    assert {"sumEvery", "fillOdd", "nans", "put", "scatter", "until", "total"} <= compiled, (
        compiled,
        engine.tier.reasons,
    )
    assert any(HARR in u.sig.params for u in units)
    in_fannkuch = [k for k in engine.tier.reasons if k.startswith("loop at ") and 8 <= int(k[8:].split(":")[0]) <= 32]
    assert not in_fannkuch, engine.tier.reasons  # (every loop of it compiled: fannkuch is called once)
    assert engine.tier.snapshot()["osr_entries"] >= 1


def test_push_runs_in_compiled_code():
    """``a.push(x)`` kept every loop building an array interpreted (300,000
    pushes: 2.3 s, node 23 ms).  It runs in place while the buffer has
    room; a run's first push into an array, or one into a full buffer, goes
    through the engine, which doubles the buffer and moves the undo log's
    entries to the new one -- without that, a unit leaving in the iteration
    that grew an array restored a store into the freed buffer (the .js case
    then gave a wrong element, or crashed).  Node's output."""
    engine = _matches_node("push_in_compiled_code")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    want = {"build", "squares", "flags", "twice", "pushThenLeave", "fillBag", "made", "pushAll", "pushValue"}
    want |= {"pair", "bits", "collect", "many"}  # (array literals of numbers and booleans)
    assert want <= compiled, (compiled, engine.tier.reasons)
    assert not any("push" in why for why in engine.tier.reasons.values()), engine.tier.reasons


def test_arrays_of_number_rows_compile():
    """A matrix or a DP table -- an array of packed arrays of numbers --
    kept every loop over it interpreted (a 120x120 matmul: 2.5 s, node
    45 ms).  Its rows' descriptors are copied at entry (a row read is a
    packed array: read, stored into and pushed onto in place); rows stored
    into it go back when the unit leaves, and a store undone by a rollback
    never lands (the .js case swaps rows and leaves in the same
    iteration).  Node's output."""
    from libmpk.apps.js.jittypes import AARR

    engine = _matches_node("arrays_of_rows")
    units = engine.tier.units.values()
    compiled = {u.fn.name for u in units}
    want = {"lcs", "rowSums", "eachRow", "swapRows", "grow", "jagged", "swapThenLeave"}
    assert want <= compiled, (compiled, engine.tier.reasons)
    assert any(AARR in u.sig.params for u in units)
    # (only what builds a table by pushing rows stays interpreted -- the outer array is a copy per
    # entry -- the top-level loop that calls it, and the arrow that joins a row)
    allowed = {"matrix", "table", "loop at 8:3", "loop at 27:1", "<anonymous>"}
    assert set(engine.tier.reasons) <= allowed, engine.tier.reasons


def test_calls_of_own_methods_stay_compiled():
    """``acc.add(x)`` on an object literal's own method missed the call cache
    (which knew only prototype methods) six times, and the loop was dropped
    (300,000 calls: 3.6 s, node 6 ms).  Such a call's cache now patches an
    entry "the method is in this shape's own slot k" and, once, the
    function it compiled in; the slot of a function reads as that
    function's identity, so compiled code compares the two and calls on --
    any other function there (another closure of the method: each object a
    factory made holds its own) asks the handler, which checks the
    receiver's own property: that function, or another closure of it whose
    code uses no closure's variables.  The .js case alternates two, replaces
    one, shadows a prototype's method and hands in an accessor; node's
    output.  The handler was asked 20,950 times here, now ~9,000: the other
    closures' calls (closure kernel: 300,000 -> 1)."""
    engine = _matches_node("own_method_calls")
    s = engine.tier.snapshot()
    assert 1000 <= s["ic_own_methods"] < 10000 and s["ic_patches"] >= 2, s
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"drive", "callM"} <= compiled, (compiled, engine.tier.reasons)
    assert s["deopts"] < 12, s


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2, 4, 8]), st.integers(0, 7), st.integers(0, 2**64 - 1)), max_size=24))
def test_the_undo_log_restores_each_store_at_its_width(stores):
    """What compiled code does to a buffer, replayed against the undo log's
    contract: each store logs (address | width tag, old bits) and writes;
    a rollback must give back the buffer exactly as it was -- the bytes
    around a narrow store included -- whatever the mix of widths and
    overlaps; and a buffer moved mid-run (an array that grew) is restored
    at its new address, its old one untouched."""
    import ctypes
    from array import array

    from libmpk.apps.js.native import C_LOG_N, LOG_WIDTH_SHIFT, Context

    ctx = Context()
    buf = array("B", bytes(range(64)))
    before = bytes(buf)
    base = buf.buffer_info()[0]
    log = ctx.log
    for k, (width, slot, value) in enumerate(stores):
        addr = base + slot * 8 + (8 - width if width < 8 else 0)
        ctype = {1: ctypes.c_uint8, 2: ctypes.c_uint16, 4: ctypes.c_uint32, 8: ctypes.c_uint64}[width]
        old = ctype.from_address(addr).value
        log[2 * k] = addr | (width << LOG_WIDTH_SHIFT if width < 8 else 0)
        log[2 * k + 1] = old if width < 8 else ctypes.c_int64(old).value
        ctype.from_address(addr).value = value & ((1 << (8 * width)) - 1)
    ctx.words[C_LOG_N] = len(stores)
    after = bytes(buf)
    moved = array("B", after)  # (the buffer grew and moved: its entries follow it)
    ctx.relocate(base, len(buf), moved.buffer_info()[0])
    ctx.rollback()
    assert bytes(moved) == before
    assert bytes(buf) == after  # (the old copy: nothing written there)


def test_map_filter_and_reduce_compile_in_place():
    """``a.map(x => ...).filter(...).reduce((s, x) => ..., 0)`` kept the
    loop around it interpreted (a chain over 1000 numbers, 300 times: 2.8 s,
    node 13 ms).  With an expression arrow each is compiled in place, as
    forEach is; what is not -- no initial value, results of another kind,
    a replaced built-in, an array with its own map -- stays the
    interpreter's.  Node's output."""
    engine = _matches_node("map_filter_reduce_in_place")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    want = {"chain", "withIndex", "flags", "bools", "fields", "lengths", "rowLens", "falsy", "count", "grows"}
    want |= {"holeyObjs", "holeyMap"}  # (holes skipped by reduce; a hole met by map leaves compiled code)
    assert want | {"pastEnd"} <= compiled, (compiled, engine.tier.reasons)
    assert "noInit" not in compiled and "toStrings" not in compiled


def test_arrows_compile_in_place_in_a_loops_unit():
    """A loop whose rounds run ``xs.map(x => ...).filter(...).reduce(...)``
    stayed interpreted ("a callback passed to '.reduce()'": only a
    function's unit compiled arrows in place), entering each compiled
    arrow once per element: 2.8 s, node 13 ms.  A loop unit now compiles
    them in place too, the variables they share with the loop (the
    round's own, one declared in the body, one a closure made before the
    loop also holds) its own; and the loop is offered to the JIT once its
    rounds entered compiled code 256 times, not after 256 rounds.  A
    deopt inside an arrow and a built-in replaced mid-loop: node's output."""
    engine = _matches_node("arrows_in_place_in_loops")
    loops = [k for k in engine.tier.reasons if k.startswith("loop at")]
    assert not loops, engine.tier.reasons
    s = engine.tier.snapshot()
    assert s["loops_compiled"] >= 5 and s["native_calls"] < 20000, s  # (not an arrow's entry per element)


def test_pop_compiles_in_place():
    """``a.pop()`` was "method 'pop' of arr": a stack kernel (push, pop)
    stayed interpreted, 3 s against node's 0.13 s.  On a packed array of
    numbers or booleans it is the length word down by one, logged; an
    empty array's undefined, an array no longer packed, a deopt after pops
    (undone), a replaced or an own ``pop`` leave.  Node's output."""
    engine = _matches_node("pop_in_place")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    want = {"drain", "stack", "flags", "pastEmpty", "popThenOverflow", "popInt32"}
    assert want <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["deopts"] >= 3


def test_push_and_pop_on_arrays_of_objects_compile_in_place():
    """``q.push(new P(..))`` / ``q.pop()`` on an array of objects were
    "method 'push' of aobj": a work queue of objects stayed interpreted.
    Compiled code pushes onto and pops from the run's copy of the array
    (grown by the engine when full) and its length goes back when the run
    ends.  A popped object kept in a property, a hole popped (undefined --
    the interpreter's pop gave the hole itself), a deopt after a push and a
    pop (both undone), a frozen or sealed array (TypeError), rows: node's
    output."""
    engine = _matches_node("push_pop_objects")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    want = {"fill", "churn", "keepPopped", "popHoles", "pushThenFail", "rows", "multi"}
    assert want <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["deopts"] >= 2


def test_empty_literals_of_objects_and_length_cuts_compile():
    """``const ps = []; ... ps.push(new P(..))`` typed ``[]`` as an array of
    numbers: "pushing a obj onto an array of nums", the loop interpreted.
    ``[]`` whose last array (interp's feedback, kept weakly) holds objects
    is made as an empty array of objects; ``a.length = k`` cuts in place.
    Wrong feedback (numbers pushed), arrays that escape and are pushed onto
    later, a longer length, a fractional one (RangeError): node's output."""
    engine = _matches_node("empty_arrays_of_objects")
    loops = {k: v for k, v in engine.tier.reasons.items() if k.startswith("loop at")}
    assert not loops, loops
    s = engine.tier.snapshot()
    assert s["loops_compiled"] >= 3 and s["built_in_place"] >= 10000, s  # (the rounds' objects never left)


def test_a_statement_whose_call_never_ran_is_an_exit():
    """A method whose loop has ``if (s > k) { this.grow(); ... }`` -- a call
    that has never run, so no call feedback -- was refused whole and for good
    ("method call '.grow()': it was never called on an object"; 8.5 s against
    node's 0.1 s).  The statement holding such a call is compiled as an exit
    to the interpreter; reached often, the unit is compiled again with the
    call's feedback.  An if's branch, a while's test and body, a declaration
    read after it, a callback passed to a method never called: node's output."""
    engine = _matches_node("never_run_calls_are_exits")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"sum", "skip", "tail", "viaCallback"} <= compiled, (compiled, engine.tier.reasons)
    s = engine.tier.snapshot()
    assert s["cold_exits"] >= 4 and s["recompiles"] >= 1, s


def test_strings_made_in_compiled_code():
    """``t += w[0]`` was "'+=' on str": a loop building a string stayed
    interpreted (2.4 s against node's 0.09 s).  Compiled code makes strings
    now (apps.js.madestrings): concatenation, appending in place to the
    string made last, numbers printed as JS prints them where that is a
    whole number's digits, ``slice``/``substring``, ``s[i]`` above U+00FF,
    console.log of a made string; an interpreter's StrBuf is taken at a
    loop's entry.  A fraction, NaN and a whole number past 2^53 leave
    (deopts); a string past the run's budget leaves and resumes.  Node's
    output."""
    engine = _matches_node("strings_made_in_compiled_code")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    want = {"initials", "notLast", "numbers", "fractional", "notANumber", "huge", "wide", "cuts", "intoObjects",
            "compare", "show"}  # fmt: skip
    assert want <= compiled, (compiled, engine.tier.reasons)
    s = engine.tier.snapshot()
    assert s["deopts"] >= 3 and s["loops_compiled"] >= 2, s


def test_templates_and_char_codes_make_strings_in_compiled_code():
    """Template literals, ``String.fromCharCode`` and ``charAt`` were
    refused ("Template", "call of fromCharCode"); each makes a string in
    compiled code now.  NaN and fractional positions, past either end,
    units above U+00FF, a fraction in a template (leaves): node's output."""
    engine = _matches_node("templates_and_char_codes")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"rows", "plain", "codes", "chars", "half", "codeAtNaN"} <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["deopts"] >= 1


def test_switch_statements_compile():
    """``switch`` was "Switch statements": a Collatz kernel stayed
    interpreted (94 s against node's 0.25 s).  Fall-through, default in the
    middle, break and continue, return from a case, nested switches,
    strings, booleans, 0 and -0, NaN, tests of another type; a declaration
    read in another case is refused (TDZ).  Node's output."""
    engine = _matches_node("switch_statements")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    want = {"collatz", "through", "names", "loopy", "early", "kinds", "nested", "rare"}
    assert want <= compiled, (compiled, engine.tier.reasons)
    assert "read in another" in engine.tier.reasons.get("acrossCases", ""), engine.tier.reasons


def test_object_literals_compile():
    """``{x: i, y: ...}`` was "ObjectLit expressions": any function making
    a small record stayed interpreted.  Distinct plain keys with values of
    every slot kind are built as a ``new`` is; an index key, a computed key,
    an accessor, a spread stay the interpreter's, and a setter on
    Object.prototype for a literal's key never runs.  Node's output."""
    engine = _matches_node("object_literals")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"points", "pair", "records", "arrays", "spans"} <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["native_allocations"] >= 1000, engine.tier.snapshot()


def test_object_destructuring_compiles():
    """``const {x, y} = p`` was "Helper expressions": the whole function
    stayed interpreted.  The pattern's object is checked (null or undefined
    leaves for the interpreter's TypeError) and each property loaded by name
    through the inline caches; renaming and parameter patterns too.  An
    array pattern over an array literal reads the fresh literal by index.
    Defaults and assignment patterns stay interpreted.  Node's output."""
    engine = _matches_node("object_destructuring")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"norm", "param", "viaParam", "maybe", "swaps"} <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["deopts"] >= 1


def test_getters_compile_as_calls():
    """``v.len`` through a class's getter left compiled code at every read
    (an accessor is no slot) and the loop was dropped: 7.7 s vs node's 0.1.
    It is a direct call behind a call cache now.  Node's output, with every
    way out: another getter on the prototype, a second class, an own
    property holding the getter function, a getter that throws or leaves
    half-way (called once per read), a null receiver."""
    engine = _matches_node("getters_in_compiled_code")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"len", "twice", "next", "odd", "name", "sum"} <= compiled, (compiled, engine.tier.reasons)
    assert not [k for k in engine.tier.reasons if k.startswith("loop")], engine.tier.reasons
    s = engine.tier.snapshot()
    assert s["deopts"] >= 3 and s["ic_patches"] >= 6, s


def test_string_searches_compile():
    """``indexOf``, ``includes``, ``startsWith``, ``endsWith`` of a string
    made the whole function stay interpreted ("method ... of str").  One
    scan of the units now; node's output for positions of every kind
    (NaN, fractions, negatives, past either end), empty and too-long
    needles, surrogate halves."""
    engine = _matches_node("string_searches")
    reasons = engine.tier.reasons
    assert not [r for r in reasons.values() if any(m in r for m in ("indexOf", "includes", "With"))], reasons
    assert engine.tier.snapshot()["loops_compiled"] >= 4


def test_math_random_compiles():
    """A loop calling Math.random stayed interpreted ("Math.random"): a
    Monte Carlo kernel ran ~25x node.  Compiled code steps the engine's own
    generator (tests/attacks/test_jit_random: the interpreter's sequence,
    draw for draw); here, what node's must show as well."""
    engine = _matches_node("math_random_in_compiled_code")
    assert not engine.tier.reasons, engine.tier.reasons
    assert engine.tier.snapshot()["loops_compiled"] >= 2


def test_number_text_compiles():
    """``String(x)`` ("builtin String") and ``x.toString()`` of a number kept
    their loops interpreted.  A whole number's digits are made natively, as
    ``"" + x``'s; a fraction, NaN, Infinity or a number past 2^53 leaves.
    Node's output, the built-ins replaced at the end."""
    engine = _matches_node("number_text")
    reasons = engine.tier.reasons
    assert not [r for r in reasons.values() if "String" in r and "builtin" in r or "toString" in r], reasons
    s = engine.tier.snapshot()
    assert s["loops_compiled"] >= 3 and s["deopts"] >= 1, s


def test_calls_leaving_out_literal_defaults_compile():
    """``f(i)`` of ``function f(a, b = 2)`` kept the calling loop
    interpreted (the unit needed every argument; ``b === undefined`` on a
    number was refused): 2.4 s vs node's 0.1.  The call passes the literal
    default itself now.  Node's output; non-literal defaults and undefined
    passed explicitly stay interpreted; a number strictly compared with
    undefined is false."""
    engine = _matches_node("default_parameters")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"scale", "tag", "add"} <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["loops_compiled"] >= 3


def test_functions_passed_by_name_compile_in_place():
    """``twice(inc, i)`` -- a global's function passed by name -- kept the
    loop interpreted ("global 'inc' is not a number..."): 5.6 s vs node's
    0.05 on a small kernel.  Each call of the parameter now compiles the
    function's body in place, as an arrow written at the call is; the
    global is checked at every entry (changed between entries, and by an
    interpreted callee mid-loop: node's output).  Arrows naming ``this``
    or ``arguments``, functions using ``this``, classes and a function
    chosen at run time stay interpreted."""
    engine = _matches_node("functions_passed_by_name")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (13, 17, 22, 26, 33, 37, 46):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    for line in (56, 63):
        assert hooks[line].unit is None
    assert "arrow naming this" in engine.tier.reasons["loop at 56:3"]


def test_destructuring_swaps_compile_without_an_array():
    """``[a[j], a[j + 1]] = [a[j + 1], a[j]]`` kept a bubble sort
    interpreted (its temporaries were "a declaration without an initial
    value"): 14.7 s vs node's 0.1.  Compiled now as the values, then each
    target's store, in order; node's output for keys with effects, extra
    values, a value past the end, a store leaving midway (rolled back), and
    the forms that stay interpreted."""
    engine = _matches_node("destructuring_swaps")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (7, 20, 25, 33, 40, 44, 49, 58):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    assert hooks[65].unit is None
    assert "fibs" in {u.fn.name for u in engine.tier.units.values()}


def test_nested_functions_compile_for_every_closure():
    """A function declared inside another and calling itself by name (a
    permutation generator's ``go``, a flood fill) was "call of something
    other than a known function": 11.9 s vs node's 0.02.  The call is a
    direct one now, the name guarded; and each call of the maker -- a new
    closure -- enters the code compiled for the first, with its own cells in
    their slots (node's output; attacks in test_jit_nested_functions.py)."""
    engine = _matches_node("nested_functions")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"go", "fill", "add", "step", "bump"} <= compiled, engine.tier.reasons
    assert engine.tier.stats["closures_rebound"] >= 30, engine.tier.stats


def test_loops_calling_nested_functions_compile():
    """A loop of a function calling that function's nested function (a flood
    fill's grid scan calling ``fill``) stayed interpreted -- "'fill' holds a
    JSFunction" -- and entered ``fill`` from the interpreter at every cell:
    2.7 s vs node's 0.15.  The loop's unit calls the nested function's code
    now, both reaching the captured variables through the same cells, each
    later call of the outer function with its own (node's output; attacks in
    test_jit_loops_calling_nested.py)."""
    engine = _matches_node("nested_helpers_from_loops")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (16, 43, 53):  # (islands' scan -- the nest from its outer loop -- paths', runs')
        assert hooks[line].unit is not None or hooks.get(line + 1, hooks[line]).unit is not None, (
            line,
            engine.tier.reasons,
        )
    assert engine.tier.stats["loops_rebound"] >= 6, engine.tier.stats
    assert not any("holds a JSFunction" in why for why in engine.tier.reasons.values()), engine.tier.reasons


def test_array_element_searches_compile():
    """``a.includes(x)`` and ``a.indexOf(x)`` of an array of numbers were
    "method 'includes' of arr" -- the loop interpreted, each search a
    Python loop over the elements: 12.3 s vs node's 0.12.  They are one
    scan in compiled code now (NaN, -0, starts from the end, past it,
    fractional or infinite; booleans; objects by identity, null among
    holes), and the interpreter's finds its candidates at C speed."""
    engine = _matches_node("array_element_searches")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (11, 29, 50):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)


def test_array_patterns_of_existing_arrays_compile():
    """``const [x, y] = pts[i]`` and ``for (const [k, v] of pairs)`` were
    "Helper expressions": only a literal's pattern compiled (4.4 s vs node's
    0.06 for a loop of them).  A declaration that only reads its pattern's
    elements reads the array in place of the iterator's copy now -- of
    numbers, booleans, objects (a hole is undefined), strings, rows; a
    default, a rest or an array with its own iterator keep the interpreter."""
    engine = _matches_node("destructuring_arrays")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (10, 22, 39, 49, 70):
        assert hooks[line].unit is not None or hooks.get(line + 1, hooks[line]).unit is not None, (
            line,
            engine.tier.reasons,
        )
    assert hooks[85].unit is None  # (an array with its own iterator: not one compiled code is given)


def test_loops_entered_with_null_compile():
    """A loop whose variable held null where it started (a list built node
    by node from ``let h = null``) was "'h' holds a NoneType": 5.6 s vs
    node's 0.06.  Null and undefined there are an object reference's now;
    each call's loops are entered (node's output; attacks in
    test_jit_null_inputs.py)."""
    engine = _matches_node("lists_from_null")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    assert hooks[11].unit is not None and hooks[18].unit is not None, engine.tier.reasons
    assert engine.tier.stats["osr_entries"] >= 15 and engine.tier.stats["guard_declines"] < 5, engine.tier.stats


def test_math_hypot_and_spread_extremes_compile():
    """``Math.hypot(dx, dy)`` ("Math.hypot") and ``Math.max(...a)`` ("Spread
    expressions") refused their functions: 1.1 s and 1.7 s vs node's 0.07.
    hypot is V8's scaled, compensated sum step for step (the interpreter's
    too), the spread extremes one IEEE maximum/minimum scan."""
    engine = _matches_node("math_hypot_and_spread")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (8, 29):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)


def test_array_methods_given_a_function_by_name_compile():
    """``a.map(sq)``, ``filter(isEven)``, ``reduce(add, 0)``, ``forEach(count)``
    -- a global function by name, not an arrow -- refused the loop ("a
    callback passed to '.reduce()': it called no function of this program":
    2.3 s vs node's 0.09); each is now compiled in place as a direct call of
    the function per element (jittypes.named_callback).  A function taking
    the array or counting its arguments is still left to the built-in."""
    engine = _matches_node("named_callbacks")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (20, 52, 63, 72):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    assert hooks[39].unit is None and "loop at 39:3" in engine.tier.reasons


def test_array_methods_given_a_local_function_by_name_compile():
    """``a.map(sq).filter(isOdd)`` with ``sq``/``isOdd`` declared in the
    enclosing function (a const arrow, a function declaration) refused the
    loop ("'isOdd' holds a JSFunction": 4.2 s vs node's 0.09); each is now
    compiled in place as a call of the closure per element, its captured
    variables shared with the loop (jittypes.named_callback).  One
    reassigned, declared twice or taking the array is left to the built-in."""
    engine = _matches_node("local_named_callbacks")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (9, 23):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    assert hooks[40].unit is None


def test_function_expressions_passed_compile_as_arrows():
    """``each(xs, function (v, i) {..})`` refused its loop ("Func
    expressions": 11 s vs node's 0.07) where the arrow ``(v, i) => {..}``
    compiled in place; an unnamed function expression naming neither
    ``this`` nor ``arguments`` now compiles as that arrow would.  One
    reading ``arguments`` or its own name is still left interpreted."""
    engine = _matches_node("function_expressions_passed")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (10, 15):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    for line in (30, 41):
        assert hooks[line].unit is None, line


def test_arrays_filled_by_index_compile():
    """``dp[i] = ...`` filling an array from empty left compiled code at
    every store (past the length: 21 deopts, then interpreted -- 3.5 s vs
    node's 0.03); it appends now, as a push does.  And ``[]`` is typed by
    what its site's arrays came to hold (booleans, objects, rows), not as
    numbers because the one at hand is still empty (node's output, with
    stores past the end, at fractions and after cuts; attacks in
    test_jit_arrays_by_index.py)."""
    engine = _matches_node("arrays_filled_by_index")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    compiled = {u.fn.name for u in engine.tier.units.values()}
    for line, fn in ((4, "fibs"), (14, "sieve"), (16, "sieve"), (52, "odd"), (67, "shrink")):
        assert hooks[line].unit is not None or fn in compiled, (line, engine.tier.reasons)
    assert {"points", "grid"} <= compiled, engine.tier.reasons


def test_array_searches_compile_in_place():
    """``xs.some(x => ...)``, ``every`` and ``findIndex`` kept their
    function interpreted (26.4 s vs node's 0.03 for the scan below): they
    compile in place now as a loop that stops at the first answer, and a
    function calling one loads the compiler as one with a loop does (node's
    output; attacks in test_jit_array_callbacks.py)."""
    engine = _matches_node("array_searches")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    assert "scan" in {u.fn.name for u in engine.tier.units.values()}, engine.tier.reasons
    assert hooks[25].unit is not None, engine.tier.reasons


def test_filter_over_objects_compiles():
    """``pts.filter(p => p.x > 8)`` over an array of objects kept its loop
    interpreted ("'.filter()' over aobj"): 1.06 s vs node's 0.09 on a small
    kernel.  The kept objects (the same ones) go onto a new array of
    objects; holes skipped, nulls tested, an arrow failing on null throws
    node's TypeError."""
    engine = _matches_node("filter_objects")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (7, 28, 37):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    assert engine.tier.snapshot()["deopts"] >= 1  # (the arrow reading null's property left)


def test_arrays_of_objects_made_in_a_hot_loop_compile():
    """``const pts = []; ... pts.push({...})`` made afresh in a hot loop was
    typed an array of numbers when the unit started right after the site
    made an empty one ("pushing a obj onto an array of nums"): the site now
    remembers what an earlier array held.  ``[{...}, null]`` literals
    compile too.  Node's output; the site later making numbers leaves."""
    engine = _matches_node("empty_array_of_objects")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    assert hooks[7].unit is not None, engine.tier.reasons
    assert hooks[32].unit is not None, engine.tier.reasons


def test_static_methods_compile_as_direct_calls():
    """``V.dot(a, b)`` -- a class's own static method -- kept its loop
    interpreted ("a function used as a value"): 5.3 s vs node's 0.1 on a
    small kernel.  A direct call now, the class's global and its property
    checked at every entry (replaced between entries and mid-loop: node's
    output); a static using ``this`` and an inherited one stay interpreted."""
    engine = _matches_node("static_methods")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (15, 20, 26):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    assert "uses this" in engine.tier.reasons["loop at 33:3"]


def test_number_predicates_compile():
    """``Number.isInteger(i / 7)``, ``isNaN(v)`` and ``Number.EPSILON`` kept
    their loop interpreted ("global 'Number' is not a number..."): 2.6 s vs
    node's 0.005.  Tests of a double's bits now, the globals and properties
    guarded (replaced between entries: node's output); of a string they
    stay interpreted."""
    engine = _matches_node("number_predicates")
    hooks = {loop.pos[0]: h for loop, h in engine.tier.hooks.items()}
    for line in (8, 22, 31, 35):
        assert hooks[line].unit is not None, (line, engine.tier.reasons)
    assert engine.tier.snapshot()["guard_declines"] >= 2  # (each replacement seen at the next entry)


def test_string_case_trim_and_repeat_compile():
    """``toUpperCase``/``toLowerCase``/``trim``/``trimStart``/``trimEnd``/
    ``repeat`` kept their loops interpreted ("method ... of str"): 3.4 s vs
    node's 0.1 on a small kernel.  Made natively now; node's output for
    non-ASCII letters (they leave), every kind of JS white space, and
    repeat's counts and RangeErrors."""
    engine = _matches_node("string_case_trim_repeat")
    reasons = engine.tier.reasons
    assert not [r for r in reasons.values() if "of str" in r], reasons
    s = engine.tier.snapshot()
    assert s["loops_compiled"] >= 3 and s["deopts"] >= 1, s


def test_nullish_coalescing_is_not_or():
    """A wrong result: compiled code took ``a ?? b`` for ``a || b``, so
    ``0 ?? 7`` was 7 (a counting loop gave 164160 where node gives 25000).
    Only a null or undefined object reference gives b now; numbers, NaN,
    false and "" never do, and b is then not evaluated.  Node's output."""
    engine = _matches_node("nullish_coalescing")
    assert engine.tier.snapshot()["loops_compiled"] >= 4


def test_optional_chaining_of_a_variable_compiles():
    """``o?.x ?? 0`` kept its function interpreted ("OptChain expressions"):
    2.2 s vs node's 0.1.  ``o?.p`` of a variable compiles now: d where o is
    nullish under ``??``, undefined as a reference for an object-valued p,
    and alone a leave for a number-valued one.  Node's output; longer
    chains stay interpreted."""
    engine = _matches_node("optional_chaining")
    s = engine.tier.snapshot()
    assert s["loops_compiled"] >= 5 and s["deopts"] >= 1, s


def test_rest_parameters_compile_for_compiled_callers():
    """``sum(...xs)`` refused its callers ("a constructor, or a rest
    parameter"): 2.3 s vs node's 0.1.  A compiled caller packs the
    arguments past the others into a new array (numbers or booleans), in
    order; the interpreter's entries stay refused (only compiled callers
    pack).  Node's output, other kinds of arguments left interpreted."""
    engine = _matches_node("rest_parameters")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"sum", "scaled", "count", "keep", "add"} <= compiled, (compiled, engine.tier.reasons)
    assert engine.tier.snapshot()["loops_compiled"] >= 3


def test_setters_compile_as_calls():
    """``t.f = v`` through a class's setter left compiled code at every store
    (4.2 s vs node's 0.1 for a converter kernel).  A direct call behind a
    call cache now, its value the assignment's.  Node's output with the
    setter replaced, deleted (the store adds a property), shadowed, throwing
    and leaving half-way, and a null receiver."""
    engine = _matches_node("setters_in_compiled_code")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"f", "v", "w", "x2"} <= compiled, (compiled, engine.tier.reasons)
    s = engine.tier.snapshot()
    assert s["deopts"] >= 1 and s["loops_compiled"] >= 4, s


def test_a_global_whose_kind_changed_is_typed_as_it_is_now():
    """``const a = new Array(n)`` filled by a loop is an array with holes
    when that loop compiles, numbers only after: the type a global's slot
    was first made for was every later unit's, so each loop and function
    over ``a`` was typed for holes and declined at every entry (quicksort
    over 200,000 numbers: its checking loop declined, interpreted).  Code
    compiled later is typed for what the global holds now; code that would
    reach a compiled callee typed for the old kind is refused (one run
    syncs one word per global); a function its globals declined 16 times
    is compiled again for what they hold (was: declined at every call,
    20,000 times here).  Node's output."""
    engine = _matches_node("global_kind_changes")
    s = engine.tier.snapshot()
    assert s["guard_declines"] <= 2 * 16 + 8 and s["recompiles"] >= 1, s


def test_a_float64array_in_a_property_compiles():
    """``this.data = new Float64Array(n)`` kept every method over
    ``this.data`` interpreted ("property 'length' of num": a load of the
    slot was typed a number, as for any value the cache had no kind for).
    The slot now holds the view's descriptor as a packed array's slot does;
    one compiled code stores, or passes to a constructor built in place,
    is the same view when the interpreter reads it back.  Node's output."""
    engine = _matches_node("float64array_in_slots")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"fill", "sum", "scale", "wrap", "total"} <= compiled, (compiled, engine.tier.reasons)


def test_compiled_code_indexes_a_string():
    """``s[i]`` compiles (a string kernel counting vowels ran interpreted,
    300x node): the unit's one-unit string is a literal's descriptor from a
    table of U+0000..U+00FF, so nothing is allocated; an index out of range
    or not whole, and a wider unit, leave for the interpreter."""
    engine = _matches_node("string_index_units")
    compiled = {u.fn.name for u in engine.tier.units.values()}
    assert {"vowels", "pairs", "before", "at"} <= compiled, (compiled, engine.tier.reasons)
    assert not any("indexing str" in why for why in engine.tier.reasons.values()), engine.tier.reasons


def test_a_loop_whose_compiled_callees_allocate_past_the_budget_leaves_and_goes_on(monkeypatch):
    """A loop unit over budget is asked to leave through the flag that also
    says "an optimised build is ready" -- and every compiled function's entry
    polls that flag and lowered it when no build was ready.  A binary-trees
    loop (each iteration's tree made by one compiled function, then walked
    by another, whose entry came last before the back-edge) thus never left
    there: it ran to 4x the budget, rolled back, and was entered again from
    the same iteration, for ever (>11 minutes against the interpreter's 29 s).
    The request now stands until a back-edge takes it: the loop leaves at
    back-edges, never with its heap full."""
    import libmpk.apps.js.allocation as allocation

    monkeypatch.setattr(allocation, "RUN_HEAP_ELEMENTS", 20000)
    src = (
        "class Node { constructor(l, r) { this.l = l; this.r = r; } }\n"
        "function make(d) { return d > 0 ? new Node(make(d - 1), make(d - 1)) : new Node(null, null); }\n"
        "function depth(t) { let n = 0; while (t.l !== null) { t = t.l; n++; } return n; }\n"
        "let total = 0;\n"
        "for (let d = 2; d <= 8; d += 2) { for (let i = 0; i < (1 << (12 - d)); i++) total += depth(make(d)); }\n"
        "console.log(total);\n"
    )
    buf = io.StringIO()
    engine = Engine(out=buf, hot_loops=50)  # (the loop entered early: a short test)
    assert engine.run_source(src, "trees.js").error is None
    out = buf.getvalue()
    want = sum((1 << (12 - d)) * d for d in (2, 4, 6, 8))
    assert out == f"{want}\n"
    s = engine.tier.snapshot()
    assert s["native_allocations"] > 10 * 20000 // 18, s  # (several budgets' worth, made natively)
    assert s["tier_up_exits"] >= 3, (s, engine.tier.reasons)
    assert s["allocation_exits"] == 0, s


def test_compiled_code_constructs_objects_whose_constructors_only_store():
    """``new C(args)`` compiles when C's constructor (up its class chain, with
    its field initialisers) only stores its arguments and literals into the
    new object: the engine runs it for compiled code, inside the transaction.
    Any other constructor keeps its caller interpreted, and a setter or a
    frozen prototype met at run time sends the construction back to the
    interpreter: the setter runs once, as in node."""
    engine = _matches_node("native_object_allocation")
    s = engine.tier.snapshot()
    assert s["native_allocations"] >= 10000, s
    reasons = engine.tier.reasons
    for fn in ("makeList", "kinds", "fill", "spots", "sizes"):
        assert fn not in reasons, reasons
    assert "a statement other than this.name = value" in reasons["impure"], reasons  # (calls++)
    assert "'+' of what may be an object" in reasons["adds"], reasons


def test_compiled_code_stores_into_arrays_of_objects_with_holes_and_nulls():
    """AWFY's Towers keeps its piles in ``new Array(3)`` (holes, then disks,
    then undefined and null as disks move): a load of it was typed a number
    ("indexing num"), an array of objects was read only, a property holding
    undefined missed its cache at every read, and ``top && disk.size >=
    top.size`` mixed an object and a boolean -- so Towers ran ~1000x node.
    Now compiled code stores objects and null into such arrays (each store
    logged, so a deopt rolls it back: the ``rotate`` case would rotate
    twice), holes it did not store to stay holes, a hole reads as
    undefined, and a condition's ``&&`` is typed by its operands' truth.
    And a branch cold when its function compiled (``move``'s ``disks === 1``,
    whose callee had not run yet) that then runs often gets the function
    compiled again, instead of leaving to the interpreter at every leaf."""
    engine = _matches_node("native_object_array_stores")
    reasons = engine.tier.reasons
    for fn in ("push", "pop", "move", "count", "shuffle", "rotate", "setAll"):
        assert fn not in reasons, reasons
    assert not any("element store" in why or "mixing" in why for why in reasons.values()), reasons
    s = engine.tier.snapshot()
    assert s["recompiles"] >= 1 and s["deopts"] >= 1 and s["osr_entries"] >= 5, s


def test_for_each_with_an_arrow_compiles_in_place():
    """AWFY's NBody moves its bodies with ``this.bodies.forEach((body) =>
    ...dt...)``: the arrow captured ``dt``, so ``advance`` never compiled and
    NBody ran ~1700x node.  Now the arrow's body is compiled in place as a
    loop (its captures the function's locals; a deopt resumes the
    interpreter with them in cells), holes skipped as forEach skips them,
    and the engine checks before each entry that Array.prototype.forEach is
    still the built-in -- a subclass's, an own or a replaced forEach is
    called, as node calls it."""
    engine = _matches_node("native_for_each")
    reasons = engine.tier.reasons
    for fn in ("advance", "oddWeighted", "visits", "bump", "drift", "total"):
        assert fn not in reasons, reasons
    s = engine.tier.snapshot()
    assert s["deopts"] >= 2 and s["guard_declines"] >= 1, s


def test_variables_declared_without_a_value_compile():
    """``let x;`` then assigned on some paths (DeltaBlue's ``recalculate``
    and ``satisfy``, CD's red-black tree, Richards' ``runTask``) refused the
    whole function.  Such a variable is an object reference holding
    undefined until assigned; comparing it (or any object reference) with
    null or undefined, strictly or loosely, gives node's answer, and a
    property load of it leaves compiled code for the interpreter's
    TypeError.  One assigned on every path before any read (CD's
    ``findIntersection``; a loop whose test assigns it, fannkuch's) may be a
    number."""
    engine = _matches_node("native_unset_variables")
    reasons = engine.tier.reasons
    for fn in ("pick", "loose", "walk", "first", "firsts", "when", "flipsOf"):
        assert fn not in reasons, reasons
    for fn in ("rightOfAnd", "readFirst"):  # (undefined reaches the read on some path)
        assert "declared without a value" in reasons[fn], reasons
    s = engine.tier.snapshot()
    assert s["deopts"] >= 1 and s["native_calls"] >= 3000, s


def test_entries_that_do_little_are_no_longer_made():
    """Each entry from the interpreter mirrors the objects it is given and
    misses a cache per object it reaches: for a loop of one or two
    iterations (AWFY Richards' Packet.append, ~100k entries) more than
    interpreting it.  After 256 entries a unit that averaged under four
    calls and loop iterations per entry is left to the interpreter; one
    that does more is still entered.  (The count is of work compiled code
    did, so the choice is the same on every machine.)"""
    engine = _matches_node("shallow_entries")
    shallow = engine.tier.interpreted_entries
    assert "per entry" in shallow.get("last", ""), shallow
    assert "sum" not in shallow, shallow
    assert engine.tier.snapshot()["native_calls"] >= 2000, engine.tier.snapshot()


def test_loops_entered_for_a_few_iterations_are_left_to_the_interpreter():
    """The same for loop units: a loop of four iterations in a function
    compiled code cannot run (AWFY Richards' worker closure, 1828 entries
    an iteration) cost ~43 us more per entry than interpreting it, and the
    JIT made Richards slower than ``--no-jit``.  After 256 entries a loop
    unit entered with objects that averaged under eight iterations is no
    longer entered; a loop of forty still is, every time."""
    from libmpk.apps.js.tier import SHALLOW_ENTRIES

    engine = _matches_node("shallow_loop_entries")
    shallow = engine.tier.interpreted_entries
    assert "5.0 calls and loop iterations per entry" in shallow.get("loop at 11:3", ""), shallow
    assert "loop at 20:3" not in shallow, shallow
    s = engine.tier.snapshot()
    long_entries = s["osr_entries"] - SHALLOW_ENTRIES
    assert 1000 <= long_entries < 1500, s  # (the long loop: every call since it got hot)


def test_a_function_whose_loops_take_objects_compiles_whole_once_warm():
    """A function whose hot loops run natively waits for its 200th call to
    compile whole (each call then costs an OSR entry around compiled work)
    -- unless those loops take objects: each entry mirrors every object in
    and out (AWFY Bounce's benchmark(): 100 balls made by one loop and read
    by the next, materialized between them), 5 ms a call against 0.9 ms
    for the whole function.  Such a function compiles whole once warm; one
    whose loops take only numbers still waits."""
    engine = _matches_node("whole_function_over_objects")
    s = engine.tier.snapshot()
    assert s["native_calls"] >= 40 and s["osr_entries"] <= 30, s
    numbers = """
    function smooth(n) {
      const a = new Array(n).fill(0);
      for (let i = 0; i < n; i += 1) { a[i] = (i * 31 + 7) % 50; }
      let s = 0;
      for (let k = 0; k < 20; k += 1) {
        for (let i = 1; i < n; i += 1) { a[i] = (a[i] + a[i - 1]) / 2; s += a[i]; }
      }
      return s;
    }
    let total = 0;
    for (let r = 0; r < 60; r += 1) { const tag = `${r}`; total += smooth(100) + tag.length; }
    console.log(total);
    """
    out, engine = run_text(numbers, "numbers.js")
    assert out == "2697908.981807511\n"
    s = engine.tier.snapshot()
    assert s["osr_entries"] >= 80 and s["native_calls"] == 0, s


def test_a_store_may_change_what_kind_of_reference_a_property_holds():
    """A property set to null by a constructor and given an array of
    objects by a compiled method (AWFY's Towers ``piles``, som's
    ``Vector.storage``), or given an array where it held an object: the
    store moves the object to the shape whose slot holds the new kind, as
    V8 moves an object to a new map; before, it left compiled code."""
    engine = _matches_node("native_property_kinds")
    s = engine.tier.snapshot()
    assert s["ic_transitions"] >= 1000 and s["deopts"] <= 3, s
    assert "fill" not in engine.tier.reasons and "giveArrays" not in engine.tier.reasons, engine.tier.reasons


def test_a_property_tested_against_null_need_not_be_an_object():
    """``this.storage === null`` (an array or null), ``this.direction !==
    null`` (a string or null), ``o.k === null`` (a number): these used to
    refuse their unit ("comparing num with null").  Compiled code asks the
    shape whether the slot holds a reference and compares its word, so
    the value is never read as a kind it might not be."""
    engine = _matches_node("native_null_tests")
    assert "count" not in engine.tier.reasons, engine.tier.reasons
    s = engine.tier.snapshot()
    assert s["native_calls"] + s["osr_entries"] >= 100 and s["deopts"] == 0, s


def test_an_arm_whose_load_never_ran_is_a_cold_exit():
    """``f ? this.b : this.a`` where one arm's load has never run used to
    be typed a number and refuse the unit ("?: mixing obj and num").  It
    is compiled as a cold exit: the interpreter takes it, and after
    enough such exits the unit is typed afresh with the new feedback."""
    engine = _matches_node("native_cold_arms")
    s = engine.tier.snapshot()
    assert "out" not in engine.tier.reasons and "sum" not in engine.tier.reasons, engine.tier.reasons
    assert s["cold_exits"] >= 1 and s["recompiles"] >= 1, s


def test_calls_given_an_arrow_compile_in_place():
    """AWFY's DeltaBlue and CD pass arrows to their own methods
    (``plan.forEach((c) => c.execute())``, ``inputsDo((i) => ...)``): a
    parameter holding a function, which compiled code cannot hold, so
    every such caller stayed interpreted.  Now the method's body is
    compiled at the call and the arrow's body at each call of the
    parameter -- passed on to another method, returning a value, using
    the caller's ``this``, at a site that calls up to four classes'
    methods -- and a deopt inside, a replaced method, or a fifth class,
    still gives node's output."""
    engine = _matches_node("native_callbacks_in_place")
    reasons = engine.tier.reasons
    for fn in ("total", "any", "weighted", "viaBag", "squares", "run"):
        assert fn not in reasons, reasons
    assert "more functions were called there" in reasons["sumAll"], reasons  # (five classes at one site)
    s = engine.tier.snapshot()
    assert s["deopts"] >= 2 and s["ic_invalidated"] >= 1 and s["ic_megamorphic"] >= 1, s


def test_a_function_calling_recursive_ones_is_entered_once_not_once_per_callee():
    """AWFY's List: ``benchmark()`` has no loop and no recursion of its own
    and takes ``this``, so it was left interpreted ("cheaper interpreted than
    entered") -- and each of its calls into the compiled, recursive
    ``makeList`` and ``tail`` was an entry of its own, mirroring the lists
    in and out each time.  A function that calls one worth entering (loops,
    recursion) is entered itself: one entry per call."""
    src = (
        "class E { constructor(v) { this.v = v; this.next = null; } }\n"
        "class L {\n"
        "  make(n) { if (n === 0) return null; const e = new E(n); e.next = this.make(n - 1); return e; }\n"
        "  len(e) { return e === null ? 0 : 1 + this.len(e.next); }\n"
        "  bench() { const a = this.make(10); const b = this.make(5); return this.len(a) + this.len(b); }\n"
        "}\n"
        "const l = new L(); let t = 0;\n"
        "for (let i = 0; i < 300; i++) t += l.bench();\n"
        "console.log(t);\n"
    )
    out, engine = run_text(src, "entries.js")
    assert out == "4500\n"
    assert "bench" not in engine.tier.interpreted_entries, engine.tier.interpreted_entries
    s = engine.tier.snapshot()
    assert s["native_calls"] < 2 * 300, s  # (else each make and len call is entered: 4 per bench)


def test_a_new_only_in_a_throw_does_not_make_an_entry_worth_it():
    """Richards' ``findTask`` reads one element and throws ``new Error`` if it
    is missing; the ``new`` made it count as allocating, so the interpreter
    entered it natively 100k times (each entry mirroring the scheduler)."""
    src = (
        "const NONE = null;\n"
        "class S { constructor() { this.table = [new S2(1), new S2(2)]; }\n"
        "  find(i) { const t = this.table[i]; if (NONE === t) { throw new Error('missing'); } return t; } }\n"
        "class S2 { constructor(v) { this.v = v; } }\n"
        "const s = new S(); let n = 0;\n"
        "for (let k = 0; k < 300; k++) n += s.find(k % 2).v;\n"
        "console.log(n);\n"
    )
    out, engine = run_text(src, "throw_new.js")
    assert out == "450\n"
    assert "find" in engine.tier.interpreted_entries, engine.tier.interpreted_entries


def test_globals_holding_null_are_object_references():
    """``const NO_TASK = null`` kept every Richards function that compared
    with it interpreted ("global 'NO_TASK' is not a number, boolean, ..."),
    and DeltaBlue's ``if (this.storage === null)`` on an array kept its
    ("comparing aobj with null"): an array or a string is never null."""
    engine = _matches_node("native_null_globals")
    assert "walk" not in engine.tier.reasons and "f" not in engine.tier.reasons, engine.tier.reasons
    s = engine.tier.snapshot()
    # walk and f run compiled (the loop around walk's calls soon does too: it calls walk natively)
    assert s["functions_compiled"] == 2 and s["native_calls"] >= 300 and s["guard_declines"] >= 1, s


def test_compiled_code_builds_new_objects_in_place():
    """AWFY's Bounce makes its balls with ``new Ball(random)``, whose
    constructor calls ``random.next()``: not "only stores of its arguments",
    so the loop making them stayed interpreted, and every constructor the
    engine ran for compiled code ran in the interpreter.  Now a constructor
    whose statements are ``this.k = e`` (and ``super(...)``) with no ``e``
    reaching ``this`` is built by compiled code: the object allocated with
    its keys in node's order, the stores straight into its slots.  A setter
    added later, a deopt mid-construction (its calls rolled back), a
    replaced module export and a replaced prototype are each seen."""
    engine = _matches_node("native_constructors_in_place")
    reasons = engine.tier.reasons
    for fn in ("balls", "chain", "points", "readAll", "fromModule"):
        assert fn not in reasons, reasons
    s = engine.tier.snapshot()
    assert s["built_in_place"] >= 40000 and s["deopts"] >= 1 and s["guard_declines"] >= 1, s


def test_a_module_class_that_cannot_be_built_says_why():
    """``new som.Klass()`` whose constructor neither builds in place nor only
    stores its arguments: the reason named the callee as an identifier, an
    internal compiler error for a member callee (AWFY CD's simulate)."""
    src = (
        "let calls = 0;\n"
        "class K { constructor(v) { calls++; this.v = v; } }\n"
        "const som = { K };\n"
        "function make(n) { let s = 0; for (let i = 0; i < n; i++) s += new som.K(i).v; return s; }\n"
        "let t = 0; for (let k = 0; k < 100; k++) t += make(30);\n"
        "console.log(t, calls);\n"
    )
    out, engine = run_text(src, "module_class.js")
    assert out == f"{100 * sum(range(30))} 3000\n"
    assert "new K: its constructor is not only stores" in engine.tier.reasons.get("make", ""), engine.tier.reasons
    assert engine.tier.snapshot().get("internal_errors", 0) == 0


def test_polymorphic_method_calls_compile():
    """A method call site that met two to four classes (AWFY DeltaBlue's
    constraints, CD's comparisons) said "several functions were called
    there" and kept its function interpreted.  Now each function gets a
    call cache of its own, tried in turn, that caches "not this function"
    too; a replaced method resets the caches that said either; more than
    four classes stay interpreted; and a function dropped after deopts --
    its site met a new class -- is compiled again with the new feedback."""
    engine = _matches_node("native_polymorphic_calls")
    assert "total" not in engine.tier.reasons and "sum2" not in engine.tier.reasons, engine.tier.reasons
    s = engine.tier.snapshot()
    assert s["ic_invalidated"] >= 2 and s["recompiles"] >= 1, s
    assert s["ic_misses"] < 200, s  # (a probe that is not its function is answered in the code, not by a miss)


def test_for_of_compiles_and_its_iterations_make_the_loop_around_it_hot():
    """``for (const b of balls)`` compiles (AWFY's Bounce stayed interpreted:
    "ForOf statements"), by index over a packed array or an array of objects
    or strings; the interpreter cannot resume inside one, so deopts and cold
    exits there go back to the loop around it -- tests/js/jit/native_for_of.js
    against node.  And a loop of few iterations over a long for...of gets
    hot by the for...of's iterations: 30 x 400 elements enter native code."""
    engine = _matches_node("native_for_of")
    assert not any("ForOf" in why for why in engine.tier.reasons.values()), engine.tier.reasons
    src = (
        "class P { constructor(v) { this.v = v; } }\n"
        "const ps = []; for (let i = 0; i < 400; i++) ps.push(new P(i));\n"
        "function steps(n) { let s = 0; for (let r = 0; r < n; r++) { for (const p of ps) s += p.v; } return s; }\n"
        "console.log(steps(30));\n"
    )
    out, engine = run_text(src, "few_but_long.js")
    assert out == f"{30 * sum(range(400))}\n"
    s = engine.tier.snapshot()
    assert s["osr_entries"] >= 1 and s["loops_compiled"] >= 1, s


def test_loops_over_captured_variables_and_arrays_of_objects_in_properties_compile():
    """AWFY's NBody stayed interpreted: its hot loop uses ``dt``, which a
    closure after it captures, and indexes ``this.bodies``, an array of
    objects (its load was typed a number).  A loop that makes no closure now
    holds its function's captured variables in registers and writes them
    back to their cells when it leaves -- unless a compiled closure of the
    same function may use them meanwhile (then it stays interpreted: a
    mutation that drops that check gives 62048 for 90000) -- and a property
    holding an array of objects is read natively.  Against node, deopts
    included."""
    engine = _matches_node("native_captured_and_object_arrays")
    reasons = engine.tier.reasons
    assert not any("captured" in why for where, why in reasons.items() if where.startswith("loop at 8:")), reasons
    assert "compiled closure of its function" in reasons.get("loop at 90:3", ""), reasons
    assert not any("property 'length' of num" in why for why in reasons.values()), reasons


def test_compiled_code_allocates_arrays_and_stores_them():
    """``new Array(n).fill(v)`` compiles (Queens' and Permute's set-up ran
    interpreted): the engine allocates the array for compiled code, which
    may store it into a property, return it or drop it at a deopt.  Every
    way out -- an invalid length, a swap through two holders, a deopt after
    the store, a fill of another kind, a replaced ``Array`` -- agrees with
    node."""
    engine = _matches_node("native_array_allocation")
    s = engine.tier.snapshot()
    assert s["native_allocations"] >= 1000 and s["deopts"] >= 1, s
    assert not any(why.startswith("New") for why in engine.tier.reasons.values()), engine.tier.reasons


def test_boolean_properties_compile_and_stay_booleans():
    """Richards keeps its task states in boolean properties: a store of one
    refused the whole method ("compiled stores are numbers"), and a load,
    typed a number, deoptimised.  Loads are now typed by their feedback and
    stores go to boolean slots; the interpreter sees booleans after."""
    engine = _matches_node("native_boolean_properties")
    assert set(engine.tier.reasons) == {"Task"}, engine.tier.reasons  # (a constructor)
    s = engine.tier.snapshot()
    assert s["loops_compiled"] + s["functions_compiled"] >= 2 and s["deopts"] == 0 and s["ic_patches"] >= 6, s


def test_a_loopless_leaf_taking_objects_runs_compiled_only_inside_compiled_code():
    """Entering compiled code mirrors each object argument in and out, and
    each object reached costs a cache miss (microseconds): for a one-line
    accessor, or a method calling one, that is more than the whole call
    interpreted (Richards ran 1.5-1.7x slower once they compiled).  So a
    function without a loop or a recursive call is not entered from the
    interpreter; a hot loop calling it compiles with it inside.  A function
    with a loop taking the same object is entered."""
    src = (
        "function area(r) { return r.w * r.h; }\n"
        "function sum(r, n) { let s = 0; for (let i = 0; i < n; i++) s += area(r); return s; }\n"
        "const r = {w: 2, h: 3};\n"
        "let a = 0; for (let i = 0; i < 50; i++) a += area(r);\n"
        "let b = 0; for (let i = 0; i < 50; i++) b += sum(r, 100);\n"
        "console.log(a, b);\n"
    )
    out, engine = run_text(src, "leaf.js")
    assert out == "300 30000\n"
    s = engine.tier.snapshot()
    assert set(engine.tier.interpreted_entries) == {"area"} and s["entries_declined"] == 1, s
    assert s["native_calls"] >= 40 and s["ic_patches"] >= 2 and s["deopts"] == 0, s  # (sum's calls, area inside)


def test_objects_held_in_properties_and_null_compile():
    """AWFY's List walks linked lists: ``this.next.length()``, ``x.next``,
    ``while (y !== null)``.  A property holding an object (or null) was
    typed a number, so none of it compiled (List ran ~1250x node).  The
    slot now holds the object's mirror (refreshed at the first cache miss
    of each compiled run) or 0; compiled code compares references, stores
    into objects it reached, and hands objects and null back -- and after
    the interpreter changes an object, the next run reads the change."""
    engine = _matches_node("native_object_properties")
    assert set(engine.tier.reasons) == {"Element"}, engine.tier.reasons  # (a constructor: makeList's new compiles)
    compiled = {u.fn.name for u in engine.tier.real.units.values() if getattr(u, "fn", None) and u.native is not None}
    assert {"tail", "isShorterThan", "length", "sum"} <= compiled, compiled
    s = engine.tier.snapshot()
    assert s["deopts"] == 0 and s["guard_declines"] == 0 and s["ic_patches"] >= 10, s


def test_one_engines_run_leaves_another_engines_mirrors_fresh():
    """Mirrors go stale when their engine's next compiled run begins.  Were
    that list one per process, a run beginning in one engine's thread while
    another engine's compiled code waited in its cache-miss handler would
    stale that engine's mirrors mid-run, and its next miss would refresh an
    object over stores not yet written back.  Each engine stales its own."""
    from libmpk.apps.js.shapes import DESC_SHAPE, mirror_in, stale_all
    from libmpk.apps.js.values import JSObject

    a, b = Engine(out=io.StringIO()), Engine(out=io.StringIO())
    for e in (a, b):
        assert e.run_source("function f(o) { let s = 0; for (let i = 0; i < 3000; i++) s += o.x; return s; }\n"
                            "console.log(f({x: 1}));\n", "f.js").error is None  # fmt: skip
    fa, fb = a.tier.real.ic.fresh, b.tier.real.ic.fresh
    assert fa is not fb
    o = JSObject()
    o.props["x"] = 2.0
    addr = mirror_in(o, fa)
    stale_all(fb)  # the other engine's run begins
    assert o.native.desc[DESC_SHAPE] != 0 and o.native.addr == addr
    stale_all(fa)  # this engine's
    assert o.native.desc[DESC_SHAPE] == 0


def test_null_values_and_object_stores_compile():
    """A list is built and relinked with ``let prev = null``, ``cur.next =
    prev``, ``return null``, ``while (n)``: null was refused outright
    ("null/undefined values") and a property store had to be a number.
    Null is now an object reference of 0 (false in a condition), and a
    store of an object or null goes into an object slot, resolved back to
    the object when the run ends."""
    engine = _matches_node("native_null_and_object_stores")
    assert set(engine.tier.reasons) == {"Element", "Node"}, engine.tier.reasons  # (constructors; pair's new compiles)
    s = engine.tier.snapshot()
    # (~550 entries from the interpreter: the top-level loops compile too, once their rounds
    # entered compiled code 256 times)
    assert s["deopts"] == 0 and s["guard_declines"] == 0 and s["native_calls"] >= 500 and s["osr_entries"] >= 1, s


def test_string_properties_compile_and_go_back_as_strings():
    """CD keeps a node's colour in a string property, AWFY's JSON parser its
    input and current token: a load of one was typed a number (it
    deoptimised each time) and a store refused its whole method ("compiled
    stores are numbers ...").  A string property is now a slot holding the
    string's descriptor (apps.js.jitstrings): compiled code compares it,
    reads its length and units, and stores the strings it holds -- literals,
    and strings it loaded -- which the interpreter reads back."""
    engine = _matches_node("native_string_properties")
    why = engine.tier.reasons
    assert not any("storing a str" in r or "of num" in r for r in why.values()), why
    compiled = {u.fn.name for u in engine.tier.real.units.values() if getattr(u, "fn", None) and u.native is not None}
    assert {"paint", "scan", "rotate", "build"} <= compiled, compiled
    s = engine.tier.snapshot()
    assert s["deopts"] == 0 and s["guard_declines"] == 0 and s["built_in_place"] >= 10000 and s["ic_patches"] >= 20, s


def test_an_unchanged_array_of_objects_is_not_walked_again_at_each_entry(monkeypatch):
    """Each entry mirrors the objects in reach, and an array of objects held
    in a property was rebuilt element by element every time: DeltaBlue's
    planner, entering a callback per constraint with its work list of
    12,000 in reach, spent most of its run there (2.5x slower once that
    callback compiled).  An array unchanged since its last entry (or since
    compiled code's stores into it were written back) keeps its element
    words; a change by the interpreter is seen (the .js case
    native_object_arrays_changed_between_entries)."""
    from libmpk.apps.js import shapes

    calls = 0
    element_word = shapes.element_word

    def counted(x, ref=None):
        nonlocal calls
        calls += 1
        return element_word(x, ref)

    monkeypatch.setattr(shapes, "element_word", counted)
    src = (
        "const bag = {items: []};\n"
        "for (let i = 0; i < 5000; i++) bag.items.push({v: i});\n"
        "function head(b, k) { let s = 0; for (let i = 0; i < k; i++) s += b.items[i].v; return s; }\n"
        "function bump(b, k) { for (let i = 0; i < k; i++) b.items[i] = b.items[i + 1]; return b.items[0].v; }\n"
        "let s = 0; for (let j = 0; j < 400; j++) s += head(bag, 3);\n"
        "let t = 0; for (let j = 0; j < 400; j++) t += bump(bag, 2);\n"
        "console.log(s, t, head(bag, 3));\n"
    )
    out, engine = run_text(src, "bag.js")
    assert out == "1200 799 6\n"  # (node)
    s = engine.tier.snapshot()
    assert s["native_calls"] >= 400, s  # (entries from the interpreter, each mirroring bag)
    assert calls <= 3 * 5000, calls  # (rebuilt per entry: ~2,500,000 element words)


def _count_materialized(monkeypatch) -> list[int]:
    from libmpk.apps.js import shapes

    made = [0]
    materialize = shapes._materialize

    def counted(addr, record, run):
        made[0] += 1
        return materialize(addr, record, run)

    monkeypatch.setattr(shapes, "_materialize", counted)
    return made


def test_objects_built_in_place_become_objects_only_when_handed_out(monkeypatch):
    """Every object compiled code built in place was a JSObject with a
    mirror at once, and every one was written back when its run ended:
    AWFY Bounce makes 100 balls per iteration and drops them, and those two
    steps were a third of its run.  Now an object built in place is only
    its native view until the interpreter is to see it; one the run drops
    is never made into a JSObject.  The ways one is handed out (returned,
    stored, left in a variable, a deopt, a global, cycles, a 20,000-node
    list, a made array, a constructor the engine runs mid-run, a shape
    change) are each compared with node."""
    made = _count_materialized(monkeypatch)
    engine = _matches_node("native_made_objects_handed_out")
    s = engine.tier.snapshot()
    assert s["built_in_place"] >= 60000 and s["deopts"] >= 1, s
    assert 20000 < made[0] < s["built_in_place"] - 30000, (made, s)  # (the list is; the 30,000 dropped are not)
    for fn in ("dropped", "list", "keep", "cycle", "leftover", "globalStore", "arrays", "wrapped", "boxes"):
        assert fn not in engine.tier.reasons, engine.tier.reasons

    made[0] = 0
    src = (
        "class P { constructor(x) { this.x = x; this.next = null; } }\n"
        "function f(n) { let s = 0; for (let i = 0; i < n; i++) { const p = new P(i); p.next = new P(-i);"
        " s += p.x + p.next.x; } return s; }\n"
        "let t = 0; for (let k = 0; k < 400; k++) t += f(50);\n"
        "console.log(t);\n"
    )
    out, engine = run_text(src, "dropped.js")
    assert out == "0\n"
    assert engine.tier.snapshot()["built_in_place"] >= 30000
    assert made[0] == 0, made


def test_objects_are_built_in_the_arena_and_copied_out_when_handed_out(monkeypatch):
    """Compiled code builds each object in its run's arena (apps.js.arena):
    its descriptor's three words, then its slots -- one call into the
    engine per site and run (and per full chunk), not one per object (was
    ~0.7 us of Python each; binary trees 5.2 s -> 0.6 s).  The arena is
    reused by the next run, so an object handed out gets a block of its
    own first: its mirror's descriptor is that block, its slots a view of
    the block's tail, and no live mirror is left in the arena."""
    from array import array

    from libmpk.apps.js import shapes
    from libmpk.apps.js.allocation import Allocator

    calls = [0]
    real = Allocator.shaped

    def counted(self, site):
        calls[0] += 1
        return real(self, site)

    monkeypatch.setattr(Allocator, "shaped", counted)
    src = (
        "class P { constructor(x) { this.x = x; this.ok = true; this.next = null; } }\n"
        "function f(n) { let head = null; for (let i = 0; i < n; i++) { const p = new P(i); p.next = head;"
        " head = p; } return head; }\n"
        "let h = null; for (let k = 0; k < 300; k++) h = f(20);\n"
        "console.log(h.x, h.ok, h.next.x, h.next.next.next.x);\n"
    )
    out, engine = run_text(src, "blocks.js")
    assert out == "19 true 18 16\n"
    s = engine.tier.snapshot()
    assert s["built_in_place"] >= 5000 and calls[0] <= s["built_in_place"] // 10, (calls, s)
    heads = []
    for r in list(shapes._BY_ADDRESS.values()):
        o = r()
        if o is None or o.native is None:
            continue
        m = o.native
        assert type(m.desc) is array and m.desc.buffer_info()[0] == m.addr, o.props  # (none left in the arena)
        if o.props.get("x") == 19.0 and type(o.props.get("next")) is type(o):
            heads.append(o)
    m = heads[-1].native
    assert m.desc[1] == m.addr + 24  # (slots right after the descriptor)
    m.slots[0] = 7.0  # (the mirror's slots are the block's words)
    assert array("d", m.desc.tobytes()[24:32])[0] == 7.0


def test_objects_built_in_the_arena_outlive_their_run_only_as_copies(monkeypatch):
    """Every way an object built in the arena outlives its run -- returned
    to the interpreter, kept in an array, a list walked after later runs
    reused the arena, stored by compiled code into an array other compiled
    code reads in later runs (its remembered element words), a global, a
    cycle, handed to a constructor the engine runs mid-run and written by
    compiled code after, a slot changing kind -- compared with node.
    Handed out mid-run, an object stays in the arena until the run's code
    has finished, then is copied out (evacuated)."""
    from libmpk.apps.js import arena

    evacuated = [0]
    real = arena.evacuate

    def counted(objs, run):
        evacuated[0] += len(objs)
        return real(objs, run)

    monkeypatch.setattr(arena, "evacuate", counted)
    engine = _matches_node("objects_built_in_the_arena")
    s = engine.tier.snapshot()
    assert s["built_in_place"] >= 700000, s
    assert evacuated[0] >= 1000, evacuated  # (the boxes' points, handed to Box's constructor mid-run)
    for fn in ("churn", "make", "build", "refill", "sumx", "cyc", "boxes", "chain"):
        assert fn not in engine.tier.reasons, engine.tier.reasons


DEOPTS = {
    "deopt_ic_string_property_changes": "deopts",
    "deopt_oob_read": "deopts",
    "deopt_ic_object_stores": "deopts",
    "deopt_ic_object_property_changes": "deopts",
    "deopt_ic_boolean_property_changes": "deopts",
    "deopt_ic_array_property_changes": "deopts",
    "deopt_oob_write_rollback": "deopts",
    "deopt_osr_checkpoint": "deopts",
    "native_console_log": "deopts",
    "deopt_type_change": "guard_declines",
    "deopt_array_becomes_generic": "guard_declines",
    "deopt_bool_array_becomes_generic": "guard_declines",
    "deopt_captured_variable_changes_type": "guard_declines",
    "deopt_array_kind_differs": "guard_declines",
    "deopt_ic_property_kind_changes": "deopts",
    "deopt_ic_property_deleted": "deopts",
    "deopt_ic_store_rollback": "deopts",
    "deopt_ic_accessors": "deopts",
    "deopt_ic_locked_objects": "guard_declines",
    "deopt_int32_overflow": "int_overflows",
    "native_strings": "int_overflows",
    "deopt_ic_method_calls": "ic_invalidated",
    "native_arrays_of_objects_and_strings": "guard_declines",
    "deopt_undo_log_full": "deopts",
}


@pytest.mark.parametrize("name,counter", sorted(DEOPTS.items()))
def test_deopts_happen_and_results_stay_correct(name, counter):
    path = HERE / "jit" / f"{name}.js"
    out, engine = run(path, jit=True)
    assert out == expected(path)
    assert engine.tier.snapshot()[counter] >= 1  # the fallback really ran


def test_inline_caches_are_patched_in_place_mono_poly_then_megamorphic():
    """Four read sites (p.x and p.y, twice) see 1 shape, then 3, then 6: each
    gets a patch per new shape up to 4 (ics.WAYS) -- 16 patches, every one
    through the code cache -- and then turns megamorphic; nothing deopts."""
    src = (
        "function norm2(p) { return p.x * p.x + p.y * p.y; }\n"
        "function sweep(a, n, k) { let s = 0; for (let i = 0; i < k; i++) s += norm2(a[i % n]); return s; }\n"
        "const a = [{x: 1, y: 2}, {y: 3, x: 4}, {x: 5, y: 6, z: 7}, {a: 0, x: 1, y: 2}, {x: 2, y: 1, w: 0},\n"
        "  {q: 1, x: 3, y: 3}];\n"
        "let s = 0;\n"
        "for (const n of [1, 3, 6]) s += sweep(a, n, 3000);\n"
        "console.log(s);\n"
    )
    out, engine = run_text(src, "ics.js")
    assert out == "165500\n"  # (node's)
    s = engine.tier.snapshot()
    copies = s["ic_patches"] // 16  # (LLVM may duplicate a site's block: each copy is patched)
    assert s["ic_sites"] == 4 and copies >= 1 and s["ic_patches"] == 16 * copies, s
    assert s["ic_megamorphic"] == 4 and s["deopts"] == 0 and s["guard_declines"] == 0, s
    assert s["write_windows"] >= s["ic_patches"] if s["wx"] != "none" else True, s


def test_the_benchmarks_patch_heavy_kernel_patches_every_site_once_per_shape():
    """bench/kernels/ics.js is what `mpk bench --only js` times per W^X mode:
    it must patch live code -- 384 sites, 4 shapes each -- or its rows
    measure nothing (its readers once stayed interpreted, patching 0)."""
    kernel = Path(__file__).parent.parent / "bench" / "kernels" / "ics.js"
    out, engine = run_text("const SIZE = 50;\n" + kernel.read_text(), "ics.js")
    assert out.startswith("ics 50 1104000 ms "), out  # (node's sum)
    s = engine.tier.snapshot()
    assert s["ic_sites"] >= 384 and s["ic_patches"] >= 1536 and s["ic_megamorphic"] == 0, s
    assert s["deopts"] == 0 and s["write_windows"] >= (s["ic_patches"] if s["wx"] != "none" else 0), s


def test_loop_counters_and_integer_arithmetic_compile_as_int32():
    """i, j and s are int32s in compiled code (V8's small integers): every
    value they take is one, so no check fails and nothing is compiled twice;
    x, which takes a fraction, is a double."""
    src = (
        "function run() {\n"
        "  let s = 0, x = 0;\n"
        "  for (let i = 0; i < 3000; i++) { for (let j = 0; j < 10; j++) s = (s + i * j) % 1000003; x += i / 2; }\n"
        "  console.log(s, x);\n"
        "}\n"
        "run();\n"
    )
    out, engine = run_text(src, "ints.js")
    assert out == "431894 2249250\n"
    units = [h.unit for h in engine.tier.hooks.values() if h.unit is not None]
    assert units
    types = {b.name: t for u in units for b, t in u.plan.var_types.items()}
    assert types == {"s": "int", "i": "int", "j": "int", "x": "num"}, types
    s = engine.tier.snapshot()
    assert s["int_overflows"] == 0 and s["int_recompiles"] == 0 and s["deopts"] == 0, s


def test_a_function_with_loops_compiles_whole_only_when_called_often():
    """Called 3 times, work() runs its hot loop natively (OSR) and costs no
    function module; with its loop native, a call costs one OSR entry, so it
    is compiled whole only at its 200th call; one whose loop never got hot
    compiles whole at its 10th.  A loop-free function still compiles at its
    2nd call."""

    def stats(calls: int, n: int) -> dict:
        src = (
            "function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\n"
            "function sq(x) { return x * x; }\n"
            f"let t = 0; for (let k = 0; k < {calls}; k++) t += work({n}) + sq(k);\n"
            "console.log(t);\n"
        )
        out, engine = run_text(src, "loopy.js")
        return out, engine.tier.snapshot()

    out, s = stats(3, 3000)
    assert out == "26987\n" and s["functions_compiled"] == 1 and s["loops_compiled"] >= 1, s  # sq only
    out, s = stats(12, 3000)
    assert out == "108434\n" and s["functions_compiled"] == 1, s  # work's loop is native: not yet
    out, s = stats(210, 3000)
    assert out == "4953725\n" and s["functions_compiled"] == 2, s
    out, s = stats(12, 50)  # 600 iterations in all: its loop never got hot
    assert out == "2270\n" and s["functions_compiled"] == 2 and s["loops_compiled"] == 0, s


def test_a_loop_around_a_compiled_call_gets_hot_sooner():
    """An interpreted iteration that enters compiled code costs as much as
    dozens of plain ones (hotness.CALL_ITERATIONS): a loop of 600 such
    iterations compiles at its 256th, where 600 plain ones (2000 needed)
    never do."""
    calls = "function f(x) { return x * 2 + 1; }\nlet s = 0;\nfor (let i = 0; i < 600; i++) s += f(i);\n"
    calls += "console.log(s);\n"
    out, engine = run_text(calls, "calls.js")
    s = engine.tier.snapshot()
    assert out == "360000\n" and s["loops_compiled"] == 1 and s["functions_compiled"] == 1, s
    assert 200 <= s["native_calls"] <= 300, s  # (then the loop calls f natively)
    plain = "let s = 0; for (let i = 0; i < 600; i++) s += i * 2 + 1;\nconsole.log(s);\n"
    out, engine = run_text(plain, "plain.js")
    s = engine.tier.snapshot()
    assert out == "360000\n" and s["loops_compiled"] == 0, s


NEST_SRC = """\
function grid(n) {
  let s = 0;
  for (let a = 0; a < n; a++) {
    const w = a * 0.5;
    for (let b = 0; b < n; b++) {
      s += (a * b) % 7 + w;
      if (s > 1e12) return -1;
    }
    s -= 1;
  }
  return s;
}
function find(n) {
  for (let a = 1; a < n; a++) {
    for (let b = 1; b < n; b++) {
      if (a * b === 123456) return a * 100000 + b;
    }
  }
  return 0;
}
let t = 0;
outer: for (let i = 0; i < 300; i++) {
  for (let j = 0; j < 300; j++) {
    t += i ^ j;
    if (i === 250 && j === 7) break outer;
  }
}
console.log(grid(400), find(2000), t);
"""


def test_a_hot_inner_loop_runs_its_whole_nest_natively_from_where_it_is():
    """The inner loop gets hot first; its nest is compiled as one unit and
    entered at the inner loop's header -- the outer loop's variables as the
    interpreter has them mid-iteration -- and finishes the outer loop too,
    returns from the function included.  A nest the interpreter could not
    resume inside (a labelled loop) compiles its inner loop alone."""
    out, engine = run_text(NEST_SRC, "nest.js")
    assert out == "16368974 6401929 12352560\n"
    s = engine.tier.snapshot()
    assert s["loops_compiled"] == 3 and s["deopts"] == 0, s  # one unit per nest
    assert s["osr_entries"] <= 260, s


def test_a_caller_waits_for_a_callee_with_native_loops():
    """A loop-free caller hot at its 2nd call does not drag its callee (whose
    loop already runs natively, 20 calls) into a module: it stays
    interpreted, and the program's answer is unchanged."""
    src = (
        "function inner(a, n) { let t = 0; for (let j = 0; j < n; j++) t += a[j] * j; return t; }\n"
        "function outer(a, n) { return inner(a, n) + 1; }\n"
        "const a = new Array(5000).fill(0.5); let s = 0;\n"
        "for (let k = 0; k < 20; k++) s += outer(a, 5000);\n"
        "console.log(s);\n"
    )
    out, engine = run_text(src, "wait.js")
    s = engine.tier.snapshot()
    assert out == "124975020\n"
    assert s["functions_compiled"] == 0 and s["loops_compiled"] >= 1, s


def test_numeric_function_called_with_a_string_after_jit():
    src = """
    function sq(x) { return x * x; }
    let s = 0; for (let i = 0; i < 4000; i++) s += sq(i);
    console.log(s, sq("3"), sq("a"), sq(2));
    """
    st, out, err = run_source(src, jit=True)
    assert (st, out) == (0, "21325334000 9 NaN 4\n"), err


# --- errors ----------------------------------------------------------------------------

ERRORS = {
    "syntax_unexpected": ("SyntaxError", "Unexpected token ';'", (2, 9)),
    "syntax_string": ("SyntaxError", "Invalid or unexpected token", (1, 9)),
    "const_assign": ("TypeError", "Assignment to constant variable.", (2, 3)),  # (at the operator, as V8)
    "let_assigned_before_declaration": ("ReferenceError", "Cannot access 'x' before initialization", (2, 5)),
    "const_assigned_after_its_value": ("TypeError", "Assignment to constant variable.", (2, 3)),
    "shorthand_initializer": ("SyntaxError", "Invalid shorthand property initializer", (2, 19)),  # only a pattern's
    "let_updated_before_declaration": ("ReferenceError", "Cannot access 'x' before initialization", (2, 3)),
    "not_function": ("TypeError", "f is not a function", (3, 1)),
    "method_not_function": ("TypeError", "o.method is not a function", (2, 3)),
    "read_undefined": ("TypeError", "Cannot read properties of undefined (reading 'x')", (2, 15)),
    "set_null": ("TypeError", "Cannot set properties of null (setting 'y')", (2, 5)),
    "not_defined": ("ReferenceError", "missing is not defined", (1, 13)),
    "stack_overflow": ("RangeError", "Maximum call stack size exceeded", None),
    "bad_array_length": ("RangeError", "Invalid array length", None),
    # a built-in's subclass this engine cannot instantiate: said by name where ``new`` is, not
    # "is not a constructor" where the class is defined (the program is valid)
    "unsupported_extends_typed_array": (
        "TypeError",
        "classes extending Uint8Array are not supported by this engine",
        (3, 1),
    ),
    "unsupported_extends_regexp": ("TypeError", "classes extending RegExp are not supported by this engine", (4, 11)),
    "redeclare": ("SyntaxError", "Identifier 'x' has already been declared", (2, 5)),
    "switch_two_defaults": ("SyntaxError", "More than one default clause in switch statement", (4, 3)),
    "continue_in_switch": ("SyntaxError", "Illegal continue statement: no surrounding iteration statement", (3, 5)),
    "uncaught_error": ("TypeError", "bad thing: input", (2, 3)),
    "try_without_catch": ("SyntaxError", "Missing catch or finally after try", None),
    "position_after_continuation": ("TypeError", "t is not a function", (4, 1)),  # a string spanning 2 lines
    "unsupported_yield_star_in_async_generator": (
        "SyntaxError",
        "yield* in async generators is not supported by this engine",
        (3, 5),
    ),
    "for_await_outside_async": ("SyntaxError", "Unexpected reserved word", (2, 7)),
    "await_outside_async": (
        "SyntaxError",
        "await is only valid in async functions and the top level bodies of modules",
        (2, 10),
    ),
    "unhandled_rejection": ("TypeError", "rejected: input", (3, 3)),  # an async function's rejection nobody handles
    "bigint_mix": ("TypeError", "Cannot mix BigInt and other types, use explicit conversions", (3, 19)),
    "bigint_literal": ("SyntaxError", "Invalid or unexpected token", (2, 11)),  # 1.5n: no fractional BigInts
    "column_after_astral": ("TypeError", "s.shout is not a function", (2, 21)),  # columns count UTF-16 units, as V8's
    # only ASCII digits are digits (str.isdigit took these: a crash, and a number)
    "unicode_digit_after_number": ("SyntaxError", "Invalid or unexpected token", (2, 10)),
    "unicode_digit_alone": ("SyntaxError", "Invalid or unexpected token", (2, 9)),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
@pytest.mark.parametrize("jit", [False, True])
def test_errors_are_js_errors_with_positions(name, jit):
    kind, message, pos = ERRORS[name]
    path = HERE / "errors" / f"{name}.js"
    src = path.read_text()
    st, out, err = run_source(src, str(path), jit=jit)
    assert st == 1
    assert err.endswith(f"{kind}: {message}"), err
    assert "Traceback" not in err and 'File "' not in err
    if pos is not None:
        line, col = pos
        assert err.startswith(f"{path}:{line}:{col}\n"), err
        assert src.splitlines()[line - 1] in err
    if NODE and not name.startswith("unsupported"):  # node agrees on the kind and the message
        p = subprocess.run([NODE, str(path)], capture_output=True, text=True, timeout=60)
        assert f"{kind}: {message}" in p.stderr
        assert out == p.stdout
        where = p.stderr.splitlines()[:3]  # (node: "file:line", the line, a caret under the column)
        # (an unhandled rejection: node shows where the error was made, this engine where it was thrown)
        rejection = name == "unhandled_rejection"
        caret = len(where) == 3 and "^" in where[2]  # (node draws none under some characters)
        if pos is not None and not rejection and caret and where[0].startswith(f"{path}:"):
            assert (int(where[0].rsplit(":", 1)[1]), where[2].index("^") + 1) == pos, p.stderr


def test_top_level_await_runs_the_file_as_node_runs_a_module(tmp_path):
    """A top-level ``await`` makes node rerun the file as an ES module: an
    error thrown after it names the file by its URL, and a body that never
    finishes ends the program with status 13 (node's unsettled top-level
    await), whatever it printed before."""
    thrown = tmp_path / "thrown.js"
    thrown.write_text('await null;\nconsole.log(typeof this);\nthrow new TypeError("late");\n')
    st, out, err = run_source(thrown.read_text(), str(thrown))
    assert (st, out) == (1, "undefined\n")
    assert err.startswith(f"file://{thrown}:3:1\n") and err.endswith("TypeError: late"), err
    stuck = tmp_path / "stuck.js"
    stuck.write_text('console.log("before");\nawait new Promise(() => {});\nconsole.log("never");\n')
    st, out, err = run_source(stuck.read_text(), str(stuck))
    assert (st, out, err) == (13, "before\n", "")
    if NODE:
        for path, status in ((thrown, 1), (stuck, 13)):
            p = subprocess.run([NODE, str(path)], capture_output=True, text=True, timeout=60)
            assert p.returncode == status and p.stdout == run_source(path.read_text(), str(path))[1]


@pytest.mark.skipif(not NODE, reason="compares with node")
def test_json_parse_accepts_and_refuses_as_node_does():
    """4,000 random short texts from JSON's alphabet (seeded): each parses to
    the same value as in node, or fails with V8's exact message -- which
    programs print when they reject input."""
    import random

    rng = random.Random(16)
    alphabet = list('{}[]",:0123456789-+.eE tfnrulasxN\\/\n\t')
    alphabet += ["true", "false", "null", '"a"', "1.5", "-0", "\\u00", "Infinity", '"\\u']
    cases = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(4000)})
    src = (
        f"const cases = {json.dumps(cases)};\n"
        "const out = [];\n"
        "for (const s of cases) { try { out.push('ok ' + JSON.stringify(JSON.parse(s))); }"
        " catch (e) { out.push('err ' + JSON.stringify(e.message)); } }\n"
        "console.log(out.join('\\n'));\n"
    )
    node = subprocess.run([NODE, "-e", src], capture_output=True, text=True, timeout=60).stdout
    st, out, err = run_source(src)
    assert st == 0, err
    mismatches = [(c, a, b) for c, a, b in zip(cases, node.splitlines(), out.splitlines(), strict=True) if a != b]
    assert not mismatches, mismatches[:5]


def test_deep_recursion_is_a_range_error_not_a_crash():
    st, out, err = run_source("function r(n) { return r(n + 1); }\nr(0);\n", jit=False)
    assert st == 1 and err.endswith("RangeError: Maximum call stack size exceeded")
    st, out, err = run_source("function d(n) { return n ? 1 + d(n - 1) : 0; }\nconsole.log(d(5000));\n")
    assert (st, out) == (0, "5000\n")


SCHEDULER_OUT = """idle 100: 239 packets sent, 94 device holds
idle 1000: 2322 packets sent, 927 device holds
idle 10000: 23246 packets sent, 9296 device holds
Error: task 9 has no step
"""


def test_the_demo_scheduler_prints_what_node_prints():
    path = Path(__file__).resolve().parents[1] / "examples" / "scheduler.js"
    if NODE:
        assert subprocess.run([NODE, str(path)], capture_output=True, text=True).stdout == SCHEDULER_OUT
    st, out, err = run_source(path.read_text(), str(path))
    assert (st, out, err) == (0, SCHEDULER_OUT, "")


@pytest.mark.parametrize("jit", [False, True])
def test_a_hundred_thousand_term_expression_and_string_building(jit):
    """What node runs: no recursion per operator term anywhere in the front
    end or the interpreter, and += on a string is not quadratic."""
    terms = " + ".join(["1"] * 100_000)
    src = f"let x = {terms};\nlet s = '';\nfor (let i = 0; i < 300000; i++) s += 'ab';\nconsole.log(x, s.length);\n"
    st, out, err = run_source(src, jit=jit)
    assert (st, out, err) == (0, "100000 600000\n", "")


# --- mpk run ----------------------------------------------------------------------------


def mpk(*args: str, input_: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "libmpk", *args], capture_output=True, text=True, timeout=300)


def test_mpk_run_file_stats_and_modes(tmp_path):
    prog = HERE / "jit" / "native_recursion_and_math.js"
    want = expected(prog)
    stats = tmp_path / "s.json"
    p = mpk("run", str(prog), "--stats", "--stats-json", str(stats))
    assert p.returncode == 0 and p.stdout == want, p.stderr
    assert "functions" in p.stderr and "gadget scans" in p.stderr
    s = json.loads(stats.read_text())
    assert s["functions_compiled"] >= 1 and s["scan_hits"] == 0 and s["code_bytes"] > 0
    for extra in (["--no-jit"], ["--wx", "none"], ["--wx", "mprotect"]):
        p = mpk("run", str(prog), *extra)
        assert p.returncode == 0 and p.stdout == want, (extra, p.stderr)


def test_mpk_run_one_liner_and_errors():
    p = mpk("run", "-e", "console.log([1, 2].map(x => x * 3), 2 ** 10)")
    assert (p.returncode, p.stdout) == (0, "[ 3, 6 ] 1024\n")
    p = mpk("run", "-e", "let a = 1;\na();")
    assert p.returncode == 1 and p.stderr.strip().endswith("TypeError: a is not a function")
    assert "[eval]:2:1" in p.stderr
    p = mpk("run", "/nonexistent.js")
    assert p.returncode == 2 and "cannot read" in p.stderr


@pytest.mark.pku
def test_pku_code_cache_not_writable_by_another_thread_while_compiling():
    """Run a program with --wx pku; while the compiler thread holds the write
    window, a second thread writing the code cache must die of SEGV_PKUERR."""
    from libmpk.sandbox.forked import run_in_child
    from libmpk.sandbox.hw.faults import SEGV_PKUERR

    def scenario():
        import ctypes

        from libmpk import sandbox
        from libmpk.jit import codecache

        sandbox.shutdown()  # the forked test process may hold code caches of earlier tests
        sandbox.init(backend="pku")
        opened, probe_done = threading.Event(), threading.Event()
        target = {}
        original = codecache.CodeCache._open

        def spying_open(self, code):
            original(self, code)
            target["addr"] = self.code_range[0]
            opened.set()
            expect(probe_done, "the intruder's write")  # keep the window open while the other thread tries

        codecache.CodeCache._open = spying_open

        def intruder():
            expect(opened, "the engine's write window")
            ctypes.memset(target["addr"], 0xCC, 1)  # must fault: the window is not ours
            probe_done.set()

        threading.Thread(target=intruder, daemon=True).start()
        src = "function f(x) { return x + 1; }\nlet s = 0; for (let i = 0; i < 5000; i++) s = f(s);\nconsole.log(s);\n"
        out = io.StringIO()
        Engine(out=out, wx="pku").run_source(src, "pku.js")
        return out.getvalue()

    out = run_in_child(scenario, timeout=600)
    assert out.segv and out.fault.code == SEGV_PKUERR, out


# The programs whose code cache sees the most traffic of each kind: inline
# caches patched, polymorphic and deoptimised; stores rolled back; an OSR
# entry; closures' cells and objects made in place.  Every JIT case runs on
# the host (test_jit_cases_match_node); under PKU the cache's windows are the
# one thing that differs, and the guest's emulated CPU took 13 min for all 61.
PKU_CASES = [
    "ic_polymorphic_shapes",
    "ic_aliasing_and_osr",
    "deopt_ic_method_calls",
    "deopt_ic_store_rollback",
    "deopt_osr_checkpoint",
    "closure_captured_variables",
    "native_constructors_in_place",
    "native_polymorphic_calls",
]


@pytest.mark.pku
def test_programs_run_with_pku_write_protection():
    patched = windows = 0
    for path in [HERE / "jit" / f"{name}.js" for name in PKU_CASES]:
        out, engine = run(path, jit=True, wx="pku")
        assert out == expected(path), path
        s = engine.tier.snapshot()
        assert s["wx"] == "pku"
        patched += s["ic_patches"]
        windows += s["write_windows"]
    assert patched > 0 and windows > len(PKU_CASES)  # the cache was written through its PKU windows


def test_the_compilers_load_runs_without_the_cyclic_collector(monkeypatch):
    """The load allocates only objects the process keeps, so the collector
    is off while it runs -- and back as the caller had it, also when the
    load fails."""
    import gc

    from libmpk.apps.js import tier

    seen = []
    warm_up = tier.Tier.warm_up

    def spy(self):
        seen.append(gc.isenabled())
        return warm_up(self)

    monkeypatch.setattr(tier.Tier, "warm_up", spy)
    assert gc.isenabled()
    engine = Engine(out=io.StringIO())
    engine.tier.load()
    assert seen == [False] and gc.isenabled() and engine.tier.loaded and engine.tier.load_ms > 0
    gc.disable()
    try:
        Engine(out=io.StringIO()).tier.load()
        assert seen == [False, False] and not gc.isenabled()  # the caller's choice stays
    finally:
        gc.enable()

    def fails(self):
        raise RuntimeError("injected: the load fails")

    monkeypatch.setattr(tier.Tier, "warm_up", fails)
    broken = Engine(out=io.StringIO())
    with pytest.raises(RuntimeError, match="injected"):
        broken.tier.load()
    assert gc.isenabled() and not broken.tier.loaded


def test_the_load_warms_up_only_the_pipelines_this_process_builds(monkeypatch):
    """With O2 builds in a forked worker, this process builds only baseline
    code: its load warms that pipeline alone (the worker warms O2 itself).
    Without the worker, both."""
    from libmpk.jit import compiler

    built = []
    real = compiler.emit_object

    def spy(ir, opt=2):
        built.append(opt)
        return real(ir, opt)

    monkeypatch.setattr(compiler, "emit_object", spy)  # (warm_up's; the worker's own builds are in the child)
    engine = Engine(out=io.StringIO())
    engine.tier.load()
    assert engine.tier.real.background.forked
    assert built == [compiler.BASELINE]
    built.clear()
    Engine(out=io.StringIO(), background_jit=False).tier.load()
    assert built == [2, compiler.BASELINE]


def test_the_compiler_loads_only_for_code_hotter_than_compiling_needs():
    """Hot enough to compile is not hot enough to load the compiler for (0.5 s
    here; a short program ran in 0.2 s): a function called fewer than
    LOAD_CALLS times, a loop run fewer than LOAD_LOOPS iterations, stay
    interpreted with nothing loaded.  The next call or iteration loads it;
    from then on the compile thresholds apply (a new function compiles at its
    second call)."""
    e = Engine(out=io.StringIO(), load_calls=LOAD_CALLS, load_loops=LOAD_LOOPS)
    src = f"function f(x) {{ return x + 1; }}\nlet s = 0;\nfor (let i = 0; i < {LOAD_CALLS - 1}; i++) s = f(s);\n"
    assert e.run_source(src).error is None
    assert not e.tier.loaded and e.stats()["jit_loaded"] is False
    assert e.run_source("s = f(s);\nfunction g(x) { return x * 2; }\ng(1); g(2);\n").error is None
    st = e.stats()
    assert st["jit_loaded"] and st["functions_compiled"] == 2 and e.tier.real.units  # f at the load, g at call 2
    loopy = Engine(out=io.StringIO(), load_calls=LOAD_CALLS, load_loops=LOAD_LOOPS)
    src = "function h(n) {{ let t = 0; for (let i = 0; i < n; i++) t += i; return t; }}\n"
    src += "for (let k = 0; k < {}; k++) h(5);\n"
    assert loopy.run_source(src.format(LOAD_CALLS // 10 - 1)).error is None
    assert not loopy.tier.loaded  # (a function with loops: a tenth as many calls)
    assert loopy.run_source("h(5);\n").error is None and loopy.stats()["jit_loaded"]
    loop = Engine(out=io.StringIO(), load_calls=LOAD_CALLS, load_loops=LOAD_LOOPS)
    src = "let t = 0;\nfor (let i = 0; i < {}; i++) t = (t + i * 3) % 1009;\n"
    assert loop.run_source(src.format(LOAD_LOOPS // 2)).error is None  # (twice the compile threshold)
    assert not loop.tier.loaded
    assert loop.run_source(src.format(LOAD_LOOPS + 256)).error is None  # (offered every 256 iterations)
    assert loop.stats()["jit_loaded"] and loop.stats()["loops_compiled"] == 1


def test_a_loop_around_a_callee_whose_loop_is_declined_is_as_hot_as_its_work():
    """``for (r < 300) each(xs, function (v, i) {..})``: each's loop is
    declined (it holds a function) and the caller's loop ran 300 iterations
    -- below LOAD_LOOPS, so nothing loaded and the whole program stayed
    interpreted (1.5 s vs node's 0.09).  The declined loop's iterations now
    count for the loops running around it: the caller's loop loads the
    compiler and compiles with each's body and the function in place.  A
    loop that runs beside it, not around it, gets none of that heat."""
    src = (
        "function each(a, fn) { for (let i = 0; i < a.length; i++) fn(a[i], i); }\n"
        "const xs = [];\nfor (let i = 0; i < 100; i++) xs.push(i);\n"
        "let acc = 0, t = 0;\n"
        "for (let r = 0; r < 300; r++) each(xs, function (v, i) { acc = (acc + v * i) % 1000007; });\n"
        "for (let r = 0; r < 300; r++) t += r;\n"
        "console.log(acc, t);\n"
    )
    out = io.StringIO()
    e = Engine(out=out, load_calls=LOAD_CALLS, load_loops=LOAD_LOOPS)
    assert e.run_source(src).error is None
    st = e.stats()
    assert out.getvalue() == "504314 44850\n"
    assert st["jit_loaded"] and st["loops_compiled"] == 1 and st["osr_entries"] >= 1, st
    hooks = {loop.pos[0]: h for loop, h in e.tier.hooks.items()}
    assert hooks[5].unit is not None and hooks[6].unit is None and hooks[6].total == 300


UNITS_TOGETHER = HERE / "jit" / "units_typed_together_keep_their_own_types.js"


@pytest.mark.parametrize("load", [(0, 0), (50, 300), (LOAD_CALLS, LOAD_LOOPS)], ids=str)
def test_units_typed_together_are_emitted_with_their_own_types(load):
    """Types live on the AST's nodes, which units share: a loop unit and the
    function around it (typed with int32s and with doubles) planned in one
    batch -- what a compiler loaded late finds hot at once -- and a small
    leaf's private copy emitted after the same function was typed for other
    arguments.  Each unit was emitted with the last-typed unit's types: LLVM
    refused the IR (AWFY Queens stayed interpreted, 500x slower than node).
    Now each is emitted with its own: node's output, every unit compiled,
    no internal error."""
    out, e = run(UNITS_TOGETHER, load_calls=load[0], load_loops=load[1])
    st = e.stats()
    assert out == expected(UNITS_TOGETHER)
    internal = {k: v for k, v in st["not_compiled_reasons"].items() if "internal" in v}
    assert not internal and not st.get("internal_errors")
    assert st["functions_compiled"] >= 8 and st["callees_copied"] >= 2


def test_a_build_that_fails_leaves_no_unit_behind(monkeypatch):
    """A module's units are registered before it is emitted; when its build
    fails (here: the first loop's emission raises, as a compiler bug would),
    those units must go, or a later module calls them as its own (an
    undefined symbol: the caller stayed interpreted)."""
    from libmpk.apps.js import codegen

    real, failed = codegen.UnitEmitter.emit_loop, []

    def emit_loop(self):
        if not failed:
            failed.append(self.plan.uid)
            raise RuntimeError("injected: the first loop's emission fails")
        return real(self)

    monkeypatch.setattr(codegen.UnitEmitter, "emit_loop", emit_loop)
    out, e = run(UNITS_TOGETHER, load_calls=LOAD_CALLS, load_loops=LOAD_LOOPS)
    st = e.stats()
    assert out == expected(UNITS_TOGETHER) and failed
    reasons = st["not_compiled_reasons"]
    assert [v for v in reasons.values() if "internal" in v] == [
        "internal compiler error: RuntimeError: injected: the first loop's emission fails"
    ]
    assert not any("undefined symbol" in v for v in reasons.values()) and st["functions_compiled"] >= 8


def test_the_compiler_loads_with_the_first_hot_code():
    """The compiler (and the code cache and sandbox under it) loads when the
    first function or loop gets hot, never at start-up; once loaded, the
    cache is made before anything compiles.  A cache that cannot be made is
    reported by the compilation that needed it."""
    from libmpk import sandbox
    from libmpk.jit import default_mode

    engine = Engine(out=io.StringIO())
    assert not engine.tier.loaded and engine.tier.snapshot()["jit_loaded"] is False
    assert engine.run_source("function f(x) { return x; }\nconsole.log(f(1));\n").error is None
    assert not engine.tier.loaded  # one call: not hot
    assert engine.run_source("for (let i = 0; i < 3; i++) f(i);\n").error is None
    assert engine.tier.loaded and engine.tier.cache is not None
    assert engine.tier.snapshot()["wx"] == default_mode() and engine.tier.snapshot()["jit_load_ms"] > 0
    out = io.StringIO()
    pku = Engine(out=out, wx="pku")
    src = "function f(x) { return x + 1; }\nlet s = 0; for (let i = 0; i < 5000; i++) s = f(s);\nconsole.log(s);\n"
    assert pku.run_source(src, "pku.js").error is None and out.getvalue() == "5000\n"
    if sandbox.backend_name() == "pku":
        assert pku.tier.snapshot()["wx"] == "pku" and pku.tier.stats["functions_compiled"] >= 1
    else:
        assert pku.tier.cache is None and pku.tier.stats["functions_compiled"] == 0
        assert any("needs protection keys" in r for r in pku.tier.reasons.values())


def test_mpk_run_starts_without_the_compiler():
    """`mpk run` of a program with nothing hot never imports numba, llvmlite,
    numpy or the sandbox's API (each costs start-up time node does not pay);
    a hot function loads them."""
    heavy = "numba", "llvmlite", "numpy", "libmpk.sandbox.api", "libmpk.jit"
    code = (
        "import sys\n"
        "from libmpk.cli import main\n"
        "rc = main(['run', *sys.argv[1:]])\n"
        f"print(rc, sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)\n"
    )

    def loaded(*args: str) -> str:
        p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        return p.stdout, p.stderr.strip().splitlines()[-1]

    assert loaded("-e", "console.log(1)") == ("1\n", "0 []")
    assert (
        loaded("--stats", "-e", "function f() { return arguments.length; }\nfor (let i = 0; i < 9; i++) f(i);")[1]
        == "0 []"
    )
    # hot enough to compile (its second call), not enough to load the compiler for
    warm = "function f(x) { return x + 1; }\nlet s = 0;\nfor (let i = 0; i < 9; i++) s = f(s);\nconsole.log(s);"
    assert loaded("-e", warm) == ("9\n", "0 []")
    out, mods = loaded("-e", warm.replace("9", str(LOAD_CALLS + 1)))
    assert out == f"{LOAD_CALLS + 1}\n"
    assert mods == "0 ['libmpk.jit', 'libmpk.sandbox.api', 'llvmlite', 'numba', 'numpy']"


def test_mpk_run_freezes_the_compilers_objects_for_the_collector():
    """`mpk run` owns its process: once the compiler loads (lazily, or before
    the program with --preload-jit), its long-lived objects are frozen, so
    full collections during compilation skip them."""
    hot = f"function f(x) {{ return x + 1 }}\nlet s = 0;\nfor (let i = 0; i < {LOAD_CALLS + 1}; i++) s = f(s);\n"
    code = (
        "import gc, sys\n"
        "import libmpk.apps.js.engine as E\n"
        "_run = E.Engine.run_source\n"
        "E.Engine.run_source = lambda self, *a: (print(gc.get_freeze_count()), _run(self, *a))[1]\n"
        "from libmpk.cli import main\n"
        "rc = main(['run', *sys.argv[1:]])\n"
        "print(gc.get_freeze_count())\n"
        "sys.exit(rc)\n"
    )

    def counts(*args: str) -> tuple[int, int]:
        p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        before, after = p.stdout.split()
        return int(before), int(after)

    small, _ = counts("-e", "1")
    lazy_before, lazy_after = counts("-e", hot)
    assert lazy_after > small + 50_000  # the lazily loaded compiler's objects were frozen
    preload_before, _ = counts("--preload-jit", "-e", hot)
    assert preload_before > small + 50_000  # frozen before the program ran


# --- the lexer's fast path --------------------------------------------------------------------

_ATOMS = [
    *__import__("libmpk.apps.js.lexer", fromlist=["PUNCT"]).PUNCT,
    *"a if x1 $ _ é 0 1.5 .5 1. 1e3 0x1f 1_0 9n .. ?. ?.5 #p".split(),
    *["'s'", '"t"', "'a\\'b'", "'\\x41\\u{1F600}'", "'open", "`u${v}w`", "/r/g", "//c\n", "/*c*/"],
]


def _token_list(src: str, fast: bool):
    from libmpk.apps.js.errors import JSError
    from libmpk.apps.js.lexer import Lexer

    try:
        return [(t.kind, t.value, t.pos, t.nl_before) for t in Lexer(src, fast=fast).tokens()]
    except JSError as e:
        return ("error", type(e).__name__, e.message, e.pos)


@given(st.lists(st.tuples(st.sampled_from(_ATOMS), st.sampled_from(["", " ", "\n"])), max_size=14))
@settings(max_examples=800, deadline=None)
def test_fast_lexing_gives_the_general_lexers_tokens(parts):
    """The one-regex-per-token fast path (names, plain numbers, punctuators)
    yields exactly what the general character-by-character code does."""
    src = "".join(a + sep for a, sep in parts)
    assert _token_list(src, True) == _token_list(src, False)


def test_fast_lexing_matches_on_every_program_here():
    for path in sorted(HERE.rglob("*.js")):
        src = path.read_text()
        assert _token_list(src, True) == _token_list(src, False), path


def test_a_program_of_many_distinct_literals_keeps_a_bounded_constant_cache():
    """Each statement's closures go once it ran; the shared-constant cache is
    bounded, so half a million distinct literals do not stay alive."""
    n = 20_000
    src = "let s = 0;\n" + "".join(f"s = s + {i}.5;\n" for i in range(n)) + "console.log(s);\n"
    out = io.StringIO()
    e = Engine(out=out, jit=False)
    r = e.run_source(src, "many.js")
    assert r.error is None and out.getvalue() == f"{sum(i + 0.5 for i in range(n)):.0f}\n"
    from libmpk.apps.js.interp import MAX_SHARED_CONSTANTS

    assert len(e.interp.constants) <= MAX_SHARED_CONSTANTS


def test_a_rare_branch_compiled_code_cannot_run_is_a_cold_exit_not_a_refusal():
    """A hot loop with a branch compiled code cannot run taken four times in
    15,000 iterations: the loop compiles, the branch leaves to the
    interpreter (a cold exit, not a failed speculation), and the loop goes
    on compiled -- one re-entry per exit, not one per iteration."""
    path = HERE / "conformance" / "128_cold_branches.js"
    out, e = run(path, jit=True, hot_loops=1)
    assert out == expected(path)
    s = e.stats()
    assert s["not_compiled_reasons"] == {}
    assert s["deopts"] == 0
    assert 0 < s["cold_exits"] <= 40
    # (each exit costs one re-entry; 10 first entries: three top-level loops, scan's four calls and
    # firstOver's three; a loop leaving to switch to its optimised build is entered again too)
    assert s["osr_entries"] <= s["cold_exits"] + s["tier_up_exits"] + 10


RECURSION = """
function down(n) { return n === 0 ? 0 : 1 + down(n - 1); }
let s = 0;
for (let i = 0; i < REPS; i++) for (let d = 100; d < 1600; d += 150) s += down(d);
console.log(s);
"""


def _memory_map_calls(reps: int) -> int:
    """mmap + munmap calls of an interpreted run of RECURSION (strace)."""
    from libmpk.vm.guest import ensure_tool

    strace = ensure_tool("strace", "strace", log=lambda m: None)
    script = "import sys; from libmpk.apps.js.engine import run_source as r; print(r(sys.argv[1], jit=False)[1])"
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp, "trace")
        src = RECURSION.replace("REPS", str(reps))
        p = subprocess.run(
            [strace, "-f", "-qq", "-e", "trace=mmap,munmap", "-o", str(trace), sys.executable, "-c", script, src],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert p.returncode == 0, p.stderr[-2000:]
        assert p.stdout == f"{reps * sum(range(100, 1600, 150))}\n\n"
        return len(trace.read_text().splitlines())


def test_interpreted_recursion_maps_no_memory_per_call():
    """CPython 3.11+ keeps frames in data-stack chunks, mmap'd when a call
    crosses the last chunk's end and munmap'd when it returns: recursion
    going back and forth over such a boundary made two system calls per call
    (AWFY Storage: 50k pairs, more system than user time).  The program's
    thread starts on one large chunk (engine.DATA_STACK_SLOTS): 40x the
    calls, no more mappings."""
    few, many = _memory_map_calls(2), _memory_map_calls(80)
    assert many - few < 40, (few, many)


def test_a_callback_compiled_in_place_binds_its_variables_in_the_right_frame():
    """An arrow compiled in place inside a loop unit counted its references'
    frames from itself, not from the unit's function: a variable of the
    loop's own function was looked up one function further out -- the
    compiled loop then wrote *another function's* variables (wrong output),
    or failed with an IndexError (AWFY DeltaBlue's removePropagateFrom).
    Now the arrow's uses of the loop's own variables decline the loop, with
    a reason; its uses of enclosing functions' variables compile."""
    path = HERE / "jit" / "callbacks_in_place_bind_the_right_frame.js"
    out, engine = run(path, jit=True)
    assert out == expected(path)
    tier = engine.tier.real
    compiled = {h.loop.pos[0] for h in tier.hooks.values() if h.unit is not None}
    assert 26 in compiled, compiled  # scaled(): hist and scale, two functions out
    assert "used from a callback compiled in place" in tier.reasons["loop at 19:5"]  # work(): its own total
    assert not tier.stats.get("internal_errors"), tier.reasons


IN_A_MICROTASK = (
    'setTimeout(() => console.log("t"));\nPromise.resolve().then(() => { console.log("p"); process.exit(6) })'
)
EXITS = [  # (program, node's status, node's output)
    ('process.exitCode = 3; console.log("x")', 3, "x\n"),
    ('console.log("a"); process.exit(4); console.log("b")', 4, "a\n"),
    ('try { process.exit(5) } finally { console.log("finally") }', 5, ""),
    (IN_A_MICROTASK, 6, "p\n"),
    ("process.exitCode = 2; process.exit()", 2, ""),
    ('process.exit("7")', 7, ""),
    ("process.exit(258)", 2, ""),
    ('async function f() { await null; process.exit(9) } f(); console.log("s")', 9, "s\n"),
    ("try { process.exit(12) } catch (e) { console.log('caught') }", 12, ""),
    ("process.exitCode = 1; process.exitCode = undefined", 0, ""),
]


@pytest.mark.parametrize("src,status,output", EXITS)
def test_process_exit_and_exit_code_end_the_program_as_in_node(src, status, output):
    """``process.exit(code)`` ends the program at once -- no catch, finally,
    microtask or timer after it -- and ``process.exitCode`` is the status of
    a program that runs to its end; both as node (checked live where node is
    installed).  Both were missing: ``process.exit`` was not a function."""
    for jit in (False, True):
        st, out, err = run_source(src, jit=jit)
        assert (st, out, err) == (status, output, ""), jit
    if NODE:
        p = subprocess.run([NODE, "-e", src], capture_output=True, text=True, timeout=60)
        assert (p.returncode, p.stdout) == (status, output)


def test_new_array_of_holes_is_made_generic_at_once():
    """``new Array(n)`` built a packed buffer and descriptor only to drop
    them for a list of holes (a fifth of AWFY Storage's time).  Now the
    holes are a list from the start, a number or boolean fill is packed,
    and what programs see of either is node's."""
    from libmpk.apps.js.values import HOLE, JSArray

    holes = JSArray.filled(3, HOLE)
    assert not holes.packed and holes.desc is None and holes.items == [HOLE] * 3
    nums, flags = JSArray.filled(5, 2.5), JSArray.filled(2, True)
    assert nums.packed and nums.get(4) == 2.5 and flags.packed and flags.get(1) is True
    src = (
        "const a = new Array(3); console.log(a.length, 1 in a, a[1], JSON.stringify(a));\n"
        "a[1] = 'x'; a.push(4); console.log(a.length, 1 in a, 0 in a, a.join('-'));\n"
        "const t = new Array(4); for (let i = 0; i < 4; i++) t[i] = new Array(i + 1);\n"
        "console.log(t.map((x) => x.length).join(), t[3].fill(7).join());\n"
    )
    out, _ = run_text(src, "holes.js")
    assert out == "3 false undefined [null,null,null]\n4 true false -x--4\n1,2,3,4 7,7,7,7\n"
