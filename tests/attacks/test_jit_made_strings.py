"""Attacks on strings compiled code makes (apps.js.madestrings).

A made string is a descriptor and units in a chunk its run holds; appending
to the string made last shares its units.  The attacks keep an old string
alive while a newer one grows past it, print a string and then fail in the
same iteration, hand the interpreter a string holding a surrogate pair,
grow a string past JS's longest and past the run's budget, make the
engine's chunk allocation fail, and hand the resolver addresses that are
not a made string's descriptor.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

from libmpk.apps.js import codegen, madestrings, values
from libmpk.apps.js.madestrings import MADE, MadeStrings, made_string
from libmpk.apps.js.native import C_EPOCH, C_STR, C_STR_END

from .jit_programs import assert_jit_matches_interpreter, run_program

PROGRAMS = {
    "an_old_string_kept_while_a_newer_one_grows_past_its_units": """
        class Olds { constructor() { this.a = ""; this.b = ""; this.c = ""; } }
        function grow(olds, n) {
          let t = "s";
          for (let i = 0; i < n; i++) {
            const before = t;
            t += i % 10;
            if (i === 3) olds.a = before;
            if (i === 17) olds.b = t;
            if (i === n - 1) olds.c = before + "!";
          }
          return olds.a + "|" + olds.b + "|" + olds.c + "|" + t.length;
        }
        let out = "";
        for (let r = 0; r < 40; r++) out = grow(new Olds(), 30 + r);
        console.log(out);
    """,
    "a_string_printed_then_a_failed_check_in_the_same_iteration_prints_once": """
        function f(a, n) {
          let t = "x";
          for (let i = 0; i < n; i++) {
            t += i;
            console.log(t.slice(-6), t.length);
            t += a[i];
          }
          return t.length;
        }
        const a = [];
        for (let i = 0; i < 20; i++) a.push(i);
        let s = 0;
        for (let r = 0; r < 30; r++) s += f(a, 10);
        s += f(a, 25);
        console.log(s);
    """,
    "a_string_past_the_runs_budget_leaves_and_resumes": """
        function fill(n) {
          let t = "", other = "";
          for (let i = 0; i < n; i++) {
            other = t + "-";
            t = other.slice(0, other.length - 1) + "abcdefgh";
          }
          return t.length + ":" + other.length;
        }
        for (let r = 0; r < 3; r++) console.log(fill(20000 + r));
    """,
    "a_surrogate_pair_made_in_compiled_code_stays_two_units_for_the_interpreter": """
        function build(src, n) { let t = ""; for (let i = 0; i < n; i++) t += src[i % src.length]; return t; }
        const src = "a\\u{1F600}\\u00e9\\u{10437}";
        let out = "";
        for (let r = 0; r < 30; r++) {
          const t = build(src, 7 + (r % 3));
          out = t.length + ":" + t.charCodeAt(1) + "," + t.charCodeAt(2) + ":" + t.slice(1, 2).length;
          out += ":" + t.split("").length;
        }
        console.log(out, build(src, 6));
    """,
    "numbers_printed_as_js_prints_them_or_left_to_the_interpreter": """
        function show(xs) {
          let s = "";
          for (let i = 0; i < xs.length; i++) s += xs[i] + ",";
          return s;
        }
        const whole = [0, -0, 1, -1, 2147483647, -2147483648, 4294967296, 9007199254740991, -9007199254740991];
        const other = [0.5, 1e21, 9007199254740992, 1 / 0, -1 / 0, 0 / 0, 1e-7, 123456789012345680000];
        let out = "";
        for (let r = 0; r < 30; r++) out = show(whole);
        console.log(out);
        for (let r = 0; r < 5; r++) out = show(other);
        console.log(out);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_made_strings_keep_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_building_a_string_from_numbers_is_linear():
    """``s = s + i + ","`` and ``t += i + ";"``: the number's text is made
    right after the string being built (or the right side before it is
    joined), so each step shares the units already there -- no copy of the
    string so far.  Two strings built in turn copy each other's way every
    step (quadratic; the interpreter's StrBuf is linear): past LONG_COPIES
    long copies a run leaves, a failed speculation, until the unit is
    dropped.  Counted, not timed: copying the string so far at each step
    takes chunk after chunk (~1,000 here); linear, a few hold it all."""
    one_at_a_time = """
        function build(n) {
          let s = "";
          for (let i = 0; i < n; i++) s = s + i + ",";
          let t = "";
          for (let i = 0; i < n; i++) t += i + ";";
          return s.length + t.length;
        }
        console.log(build(3), build(20000));
    """
    out, engine = run_program(one_at_a_time, jit=True)
    assert out == "12 217780\n"
    s = engine.tier.snapshot()
    assert s["native_calls"] + s["osr_entries"] >= 1 and 1 <= s["string_chunks"] <= 12 and s["deopts"] == 0, s
    in_turn = one_at_a_time.replace('for (let i = 0; i < n; i++) s = s + i + ",";', "").replace(
        'for (let i = 0; i < n; i++) t += i + ";";', 'for (let i = 0; i < n; i++) { s = s + i + ","; t += i + ";"; }'
    )
    out, engine = run_program(in_turn, jit=True)
    assert out == "12 217780\n"
    s = engine.tier.snapshot()
    assert s["deopts"] >= 1 and s["string_chunks"] <= 100, s


def test_a_string_past_the_longest_throws_the_interpreters_range_error(monkeypatch):
    """Past the longest string (here 3,000 units) compiled code's append
    leaves, and the interpreter throws node's RangeError at the same length."""
    monkeypatch.setattr(values, "MAX_STRING", 3000)
    monkeypatch.setattr(codegen, "MAX_STRING", 3000)
    monkeypatch.setattr(madestrings, "MAX_STRING", 3000)
    src = """
        function grow(t, n) { for (let i = 0; i < n; i++) t += "abcdefg"; return t; }
        let t = "", caught = "";
        for (let r = 0; r < 20; r++) grow("", 10);
        try { for (let r = 0; r < 1000; r++) t = grow(t, 10); } catch (e) { caught = e.name + ": " + e.message; }
        console.log(t.length, caught);
    """
    s = assert_jit_matches_interpreter(src)
    out, _ = run_program(src, jit=True)
    assert out.startswith("2940 RangeError"), out
    assert s["native_calls"] > 0


def test_a_chunk_the_engine_cannot_allocate_leaves_compiled_code(monkeypatch):
    """The chunk allocation failing (a MemoryError) never reaches native
    code: the run leaves and the interpreter concatenates."""
    real = np.empty

    def failing(size, dtype=None):
        if dtype is np.uint8:
            raise MemoryError
        return real(size, dtype)

    monkeypatch.setattr(madestrings.np, "empty", failing)
    src = """
        function f(n) { let t = ""; for (let i = 0; i < n; i++) t += i % 7; return t; }
        let out = "";
        for (let r = 0; r < 30; r++) out = f(50 + r);
        console.log(out.length, out.slice(0, 20));
    """
    s = assert_jit_matches_interpreter(src)
    assert s["deopts"] > 0, s


class _Allocator:
    def __init__(self) -> None:
        self.run: dict = {}
        self.ic = self
        self.stats = {"string_chunks": 0}

    def _reserve(self, run: dict, elements: int) -> bool:
        return True


def test_the_resolver_takes_only_a_made_descriptor():
    """Addresses inside a chunk that are not a descriptor compiled code made
    -- its units, its free middle, misaligned, past its end, another run's --
    resolve to nothing (the caller's LookupError), never to memory read as
    a string."""
    words = np.zeros(32, dtype=np.int64)
    words[C_EPOCH] = 7
    alloc = _Allocator()
    heap = MadeStrings(words, alloc)
    assert heap.more(64) == 1
    run = alloc.run
    top, end = int(words[C_STR]), int(words[C_STR_END])
    start = heap.chunks[0][0]
    text = "héllo"
    units = text.encode("utf-16-le")
    ctypes.memmove(top, units, len(units))
    desc = end - 16
    ctypes.c_int64.from_address(desc).value = top
    ctypes.c_int64.from_address(desc + 8).value = len(text)
    words[C_STR] = top + len(units)
    words[C_STR_END] = desc
    assert made_string(desc, run) == text
    for bad in (top, top + 8, desc - 16, desc + 4, end, start, start + (end - start) // 2 & ~7):
        assert heap.string_at(bad, 7) is None, hex(bad)
    # a descriptor whose units lie outside the chunk, or past its cursor
    ctypes.c_int64.from_address(desc).value = id(text)
    assert heap.string_at(desc, 7) is None
    ctypes.c_int64.from_address(desc).value = top
    ctypes.c_int64.from_address(desc + 8).value = 10**6
    assert heap.string_at(desc, 7) is None
    ctypes.c_int64.from_address(desc + 8).value = -1
    assert heap.string_at(desc, 7) is None
    ctypes.c_int64.from_address(desc + 8).value = len(text)
    assert heap.string_at(desc, 8) is None  # (another run's)
    assert run[MADE] == (heap, 7)
