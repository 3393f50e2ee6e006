"""Attacks on functions passed by name and compiled in place
(apps.js.inlining, ``Closure.fn``).

``twice(op, i)`` with ``op`` a global holding a function compiles ``op``'s
body at each call of ``twice``'s parameter: the code is right only while the
global holds that function, which every entry checks.  The attacks change
what the global holds -- between entries, mid-loop from interpreted code,
through ``globalThis`` (a module's variable is not its property), to
something that is not a function -- and what the function reads (its
closure's variable, changed by a sibling closure), and compare the JIT
with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

_BASE = """
    function twice(f, x) { return f(f(x)); }
    function inc(x) { return x + 1; }
    function dbl(x) { return x * 2; }
    var op = inc;
    function run(n) { let s = 0; for (let i = 0; i < n; i++) s += twice(op, i); return s; }
    for (let r = 0; r < 30; r++) run(200);
"""

PROGRAMS = {
    "another_function_between_entries_is_the_one_called": _BASE
    + """
        console.log(run(300));
        op = dbl;
        console.log(run(300));
        op = (x) => x - 3;
        console.log(run(300));
    """,
    "a_number_in_the_global_throws_the_interpreters_type_error": _BASE
    + """
        op = 42;
        try { run(10); } catch (e) { console.log(e.constructor.name, e.message); }
    """,
    "a_store_through_globalThis_leaves_the_modules_variable": _BASE
    + """
        globalThis.op = dbl;
        console.log(run(300));
    """,
    "a_store_mid_loop_by_interpreted_code_is_seen": _BASE
    + """
        const flip = [inc, dbl];
        function swapper(i) { op = flip[i & 1]; return 0; }
        function runSwap(n) {
            let s = 0;
            for (let i = 0; i < n; i++) { if (i % 97 === 96) s += swapper(i); s += twice(op, i); }
            return s;
        }
        for (let r = 0; r < 10; r++) console.log(runSwap(500));
    """,
    "a_closures_variable_changed_by_its_sibling_is_read_live": """
        function twice(f, x) { return f(f(x)); }
        function pair() { let k = 1; return [(x) => x + k, (v) => { k = v; }]; }
        const [addK, setK] = pair();
        function run(n) {
            let s = 0;
            for (let i = 0; i < n; i++) { if (i % 101 === 100) setK(i); s += twice(addK, i); }
            return s;
        }
        for (let r = 0; r < 20; r++) console.log(run(400));
    """,
    "a_function_passed_on_through_two_callers_keeps_its_guard": _BASE
    + """
        function outer(f, x) { return twice(f, x) + twice(f, 1); }
        function runOuter(n) { let s = 0; for (let i = 0; i < n; i++) s += outer(op, i); return s; }
        for (let r = 0; r < 20; r++) runOuter(100);
        console.log(runOuter(300));
        op = dbl;
        console.log(runOuter(300));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_functions_passed_by_name_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
