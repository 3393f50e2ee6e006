"""Attacks on ``a.map(sq)`` -- an array method given a global function by
name, compiled in place as a direct call of ``sq``'s code per element
(apps.js.jittypes ``named_callback``).

The built-in reads ``sq`` once and passes it the element, the index and
the array; compiled code calls what the global held at entry with as many
of those as ``sq`` takes.  The attacks replace what the global holds --
between entries, from a path that never ran before, through
``globalThis``, with a number or a class --, give it functions that take
the array or count their ``arguments``, take a default the built-in never
leaves to it, read ``this``, pop the array being walked, and make the callee's property cache
deoptimise midway after side effects, and compare the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

_BASE = """
    function sq(x) { return x * x; }
    function cube(x) { return x * x * x; }
    function add(a, b) { return a + b; }
    var op = sq;
    function run(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += [i, i + 1, i + 2].map(op).reduce(add, 0);
        return s;
    }
    for (let r = 0; r < 20; r++) run(200);
"""

PROGRAMS = {
    "another_function_between_entries_is_the_one_called": _BASE
    + """
        console.log(run(300));
        op = cube;
        console.log(run(300));
        op = (x) => x - 3;
        console.log(run(300));
    """,
    "a_number_or_a_class_in_the_global_throws_the_interpreters_type_error": _BASE
    + """
        console.log(run(300));
        for (const v of [42, class K {}, undefined]) {
            op = v;
            try { console.log(run(300)); } catch (e) { console.log(e instanceof TypeError, e.message.length > 0); }
        }
    """,
    "the_global_replaced_from_a_path_that_never_ran": """
        function sq(x) { return x * x; }
        function cube(x) { return x * x * x; }
        var op = sq;
        function run(n, at) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                if (i === at) op = cube;
                s += [i % 10, 2].map(op)[0];
            }
            return s;
        }
        for (let r = 0; r < 10; r++) run(500, -1);
        console.log(run(3000, 1500), run(100, -1));
    """,
    "the_global_replaced_through_globalThis": _BASE
    + """
        console.log(run(300));
        globalThis.op = cube;
        console.log(run(300), op === cube);
        globalThis.sq = cube;
        op = sq;
        console.log(run(300));
    """,
    "functions_taking_the_array_or_counting_their_arguments": """
        function withArray(x, i, arr) { return arr.length * 10 + x + i; }
        function counted(x) { return arguments.length * 100 + x; }
        function lenient(x, i, arr) { return arr === undefined ? -1 : x; }
        function add(a, b) { return a + b; }
        function run(n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                const a = [i, i + 1];
                s += a.map(withArray).reduce(add, 0) + a.map(counted).reduce(add, 0);
                s += a.map(lenient).reduce(add, 0);
                a.forEach(lenient);
                s += a.filter(withArray).length + a.findIndex(counted);
            }
            return s;
        }
        console.log(run(4000));
    """,
    "a_default_the_built_in_never_leaves_to_it": """
        function scaled(x, i = 1000) { return x * (i + 1); }
        function folded(s, x, i = -5) { return s + x * i; }
        function run(n) {
            let s = 0;
            for (let r = 0; r < n; r++) s += [r, r + 1, r + 2].map(scaled).reduce(folded, 0);
            return s;
        }
        console.log(run(4000));
    """,
    "a_function_reading_this": """
        var k = 7;
        function byThis(x) { return this === undefined ? -x : x + 1; }
        function strictThis(x) { "use strict"; return this === undefined ? -x : x + 1; }
        function add(a, b) { return a + b; }
        function run(n) {
            let s = 0;
            for (let r = 0; r < n; r++) s += [r, 1].map(byThis).reduce(add, 0) + [r, 1].map(strictThis).reduce(add, 0);
            return s;
        }
        console.log(run(4000));
    """,
    "the_callee_pops_the_array_it_is_given": """
        var a = null;
        var popped = 0;
        function take(x) { if (x === 3) { a.pop(); popped++; } return x + 1; }
        function keep(x) { if (x === 2) a.push(9); return x > 1; }
        function add(s, x) { return s + x; }
        function run(n) {
            let s = 0;
            for (let r = 0; r < n; r++) {
                a = [1, 2, 3, 4, 5];
                a.forEach(take);
                s += a.length;
                a = [1, 2, 3, 4];
                s += a.filter(keep).length + a.length;
                a = [1, 2, 3, 4, 5];
                s += a.map(take).reduce(add, 0);
            }
            return [s, popped];
        }
        console.log(run(3000).join(" "));
    """,
    "a_deopt_in_the_callee_after_side_effects": """
        var calls = 0;
        var conf = { k: 2 };
        function grow(x) { calls++; if (x === 77) conf.k = "3"; return x * conf.k; }
        function note(x, i) { calls += i; }
        function add(a, b) { return a + b; }
        function run(n) {
            let s = 0;
            for (let r = 0; r < n; r++) {
                conf.k = 2;
                const a = [r % 100, 1, 2];
                a.forEach(note);
                s += a.map(grow).reduce(add, 0);
            }
            return s;
        }
        for (let r = 0; r < 10; r++) run(70);
        console.log(run(3000), calls, conf.k);
    """,
    "Array_prototype_map_replaced_after_compiling": _BASE
    + """
        console.log(run(300));
        const real = Array.prototype.map;
        Array.prototype.map = function (f) { return real.call(this, (x) => f(x) + 1); };
        console.log(run(300));
        Array.prototype.map = real;
        console.log(run(300));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_named_callbacks_keep_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_a_named_callback_is_compiled_in_place():
    """``a.map(sq)`` in a hot loop: the loop compiles (it was refused, "a
    callback passed to '.map()': it called no function of this program"),
    and sq's code is entered from compiled code, not from the built-in."""
    s = assert_jit_matches_interpreter(
        _BASE
        + """
        console.log(run(3000));
    """
    )
    assert s["loops_compiled"] >= 1, s
    assert not any("a callback passed to" in r for r in s.get("not_compiled_reasons", {}).values()), s
