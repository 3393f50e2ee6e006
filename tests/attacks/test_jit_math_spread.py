"""Attacks on ``Math.max(...a)`` and ``Math.min(...a)`` compiled as one scan
of a packed array (apps.js.codegen's _spread_extreme).

The scan trusts that spreading reads the array by index (Array.prototype's
iterator the built-in), that Math.max is the built-in, and that the array
holds numbers.  The attacks replace the iterator and Math.max midway, give
the array a string, a hole and an own iterator, and spread an array the
loop itself grows; each run compares the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "the_array_iterator_replaced_midway": """
        const a = [3, 9, 1, 7];
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            if (i === 20000) Array.prototype[Symbol.iterator] = function* () { yield 100; yield -100; };
            s += Math.max(...a) - Math.min(...a);
        }
        console.log(s);
    """,
    "math_max_replaced_midway": """
        const a = [3, 9, 1, 7];
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            if (i === 20000) Math.max = (...xs) => xs.length;
            s += Math.max(...a);
        }
        console.log(s);
    """,
    "the_array_given_a_string_a_hole_an_own_iterator": """
        function f(a) { let s = 0; for (let k = 0; k < 30; k++) s += Math.max(...a) + Math.min(...a); return s; }
        const a = [3, 9, 1, 7];
        let t = 0;
        for (let i = 0; i < 3000; i++) {
            if (i === 2000) a.push("12");
            if (i === 2300) { a.length = 8; }
            if (i === 2600) { a.length = 4; a[Symbol.iterator] = function* () { yield 1000; }; }
            t += f(a);
        }
        console.log(t);
    """,
    "an_array_the_loop_grows": """
        const a = [0];
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            if (i % 1000 === 0) a.push((i * 7919) % 1013 - 500);
            s += Math.max(...a) * 2 + Math.min(...a);
        }
        console.log(s, a.length);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_spread_extremes_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
