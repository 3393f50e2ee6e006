"""Attacks on strings read as numbers in compiled code (``+s``, ``-s``,
``Number(s)``, ``parseInt(s)``, ``parseInt(s, 10)``, ``parseFloat(s)``:
apps.js.codegen's str_number).

Compiled code reads a sign and up to 15 ASCII digits itself, and leaves
for everything else, so the guarantees to break are: every string -- one
on either side of each rule (white space, fractions, exponents, hex after
a lone 0, the 15-digit bound, -0, "", non-ASCII digits, a lone sign) --
gives the interpreter's number in each form; the plain ones never leave;
a global that is not the built-in is never read as one.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter, run_program

# Each on a side of one of the fast path's rules (and the interpreter's).
TRICKY = [
    "", "0", "-0", "+0", "+5", "-5", "007", "12px", "12.5", "12.", ".5", "-.5", "1e3", "1E3", "1e", "e5",
    " 12", "12 ", "12\\n", "\\u00a012", "0x1A", "0X1a", "-0x10", "00x1", "0b101", "0o7", "Infinity", "-Infinity",
    "abc", "-", "+", "--5", "+-5", "123456789012345", "-123456789012345", "1234567890123456", "9007199254740993",
    "\\u0663", "1\\u0663", "5\\u0000", "1_000", "0.0", "-0.5e-3", "NaN", "12abc", "4294967296", "-2147483649",
    "123456789012345678901234567890", "-99999999999999999999",
    "3.25", "0.1", "-0.0", "123456789.123456", "1234567890.1234567", "99.99999999999999", "1.2.3", "3.25px",
    ".", "-.", "+.", "0.000000000000001", "1.5e3", "5.e3", "5.E3", "0.x", "0.5x", ".0", "7.", "-7.", "1..2",
]  # fmt: skip


FORMS = ["+s", "-s", "Number(s)", "parseInt(s)", "parseInt(s, 10)", "parseFloat(s)"]


def _one_string(s: str) -> str:
    """Each form in a function of its own, compiled on plain digits, then
    given ``s`` once: a form that leaves leaves alone, so each is read by
    compiled code first (a unit that left MAX_DEOPTS times is dropped)."""
    fns = "\n".join(f"function f{k}(s) {{ return {form}; }}" for k, form in enumerate(FORMS))
    calls = ", ".join(f"f{k}(x)" for k in range(len(FORMS)))
    return f"""
        {fns}
        function show(v) {{ return Object.is(v, -0) ? "-0" : String(v); }}
        let t = 0;
        for (let i = 0; i < 1100; i++) {{ const x = i % 2 ? "12" : "-7"; for (const v of [{calls}]) t += v; }}
        const x = "{s}";
        console.log(t, JSON.stringify(x), [{calls}].map(show).join(" "));
    """


@pytest.mark.parametrize("s", TRICKY, ids=lambda s: repr(s))
def test_every_string_reads_as_the_interpreter_reads_it(s):
    st = assert_jit_matches_interpreter(_one_string(s))
    assert st["functions_compiled"] >= len(FORMS), st


def test_plain_digits_are_read_in_place():
    """Strings of a sign and digits never leave compiled code: the fast
    path reads them (a fast path that always left would still be right)."""
    plain = ["0", "-0", "7", "+12", "-345", "0042", "123456789012345", "12px", "3.25", "-0.5", "7."]
    src = f"""
        const xs = [{", ".join(f'"{s}"' for s in plain)}];
        function sum(n) {{
            let t = 0;
            for (let i = 0; i < n; i++) {{
                const s = xs[i % xs.length];
                t += parseInt(s) + parseInt(s, 10) + parseFloat(s) + (s === "12px" ? 0 : +s + Number(s) - -s);
            }}
            return t;
        }}
        let t = 0;
        for (let r = 0; r < 300; r++) t += sum(100);
        console.log(t);
    """
    s = assert_jit_matches_interpreter(src)
    assert s["deopts"] == 0 and s["native_calls"] + s["osr_entries"] >= 100, s


@pytest.mark.parametrize("name", ["Number", "parseInt", "parseFloat"])
def test_a_global_that_is_not_the_builtin_is_never_read_as_it(name):
    """A program that replaces the global: its function runs, compiled or
    not (the global is guarded at entry)."""
    src = f"""
        function sum(n) {{ let t = 0; for (let i = 0; i < n; i++) t += {name}("7"); return t; }}
        let t = 0;
        for (let r = 0; r < 200; r++) t += sum(50);
        {name} = s => s.length * 100;
        for (let r = 0; r < 200; r++) t += sum(50);
        console.log(t);
    """
    out, _ = run_program(src, jit=True)
    expected, _ = run_program(src, jit=False)
    assert out == expected == f"{200 * 50 * 7 + 200 * 50 * 100}\n"
