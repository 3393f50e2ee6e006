"""Attacks on static methods called on their class (``C.m(x)``) compiled
as direct calls (apps.js.jittypes ``static_call``).

The call is right only while the global still holds the class and the
class's own property ``m`` still holds the function compiled in, which
every entry checks: the attacks replace the property (with another
function, a getter, a number), delete it, rebind the global to another
class, and do so while a compiled loop runs, and compare the JIT with the
interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

_BASE = """
    class C { static m(x) { return x * 2; } }
    class D { static m(x) { return x - 100; } }
    var K = C;
    function run(n) { let s = 0; for (let i = 0; i < n; i++) s += C.m(i); return s; }
    function runK(n) { let s = 0; for (let i = 0; i < n; i++) s += K.m(i); return s; }
    for (let r = 0; r < 3; r++) { run(3000); runK(3000); }
"""

PROGRAMS = {
    "the_static_replaced_between_entries": _BASE
    + """
        console.log(run(3000));
        C.m = (x) => x + 1;
        console.log(run(3000));
    """,
    "the_static_turned_getter": _BASE
    + """
        Object.defineProperty(C, "m", { get() { return (x) => -x; }, configurable: true });
        console.log(run(3000));
    """,
    "the_static_turned_number_throws_the_type_error": _BASE
    + """
        C.m = 7;
        try { run(10); } catch (e) { console.log(e.constructor.name, e.message); }
    """,
    "the_static_deleted_throws_the_type_error": _BASE
    + """
        delete C.m;
        try { run(10); } catch (e) { console.log(e.constructor.name, e.message); }
    """,
    "the_global_rebound_to_another_class": _BASE
    + """
        console.log(runK(3000));
        K = D;
        console.log(runK(3000));
    """,
    "the_static_replaced_while_the_loop_runs": _BASE
    + """
        const fs = [(x) => x + 3, (x) => x * 5];
        function swap(i) { C.m = fs[i & 1]; return 0; }
        function runSwap(n) {
            let s = 0;
            for (let i = 0; i < n; i++) { if (i % 500 === 499) s += swap(i); s += C.m(i); }
            return s;
        }
        for (let r = 0; r < 3; r++) console.log(runSwap(3000));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_static_calls_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
