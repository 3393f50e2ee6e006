"""Attacks on ``a.map(f)`` where ``f`` is a function the enclosing function
declares (``function f`` or ``const f = (..) => ..``), compiled in place in
its loop units as a call of that closure per element (apps.js.jittypes
``named_callback``, ``Tier._closures_called``).

The arity compiled in comes from the declaration; the closure called is the
one the frame holds at entry.  The attacks make the two differ -- a ``var``
of the same name assigned after the declaration hoists, the name
reassigned, a parameter of the same name, a ``for (var f of ..)`` --, make
the closure's variables change under the loop and from the callee, call the
function from two calls (two closures), and pass functions that take the
array or count their arguments; and compare the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_var_of_the_same_name_assigned_after_the_declaration": """
        function run(n) {
            function f(x) { return x + 1; }
            var f = (x, i) => x * 100 + i;
            let s = 0;
            for (let r = 0; r < n; r++) s += [r, 2].map(f).reduce((p, x) => p + x, 0);
            return s;
        }
        console.log(run(4000));
    """,
    "the_name_reassigned_midway": """
        function run(n, at) {
            function f(x) { return x + 1; }
            let s = 0;
            for (let r = 0; r < n; r++) {
                if (r === at) f = (x) => x - 1;
                s += [r, 2].map(f).reduce((p, x) => p + x, 0);
            }
            return s;
        }
        for (let c = 0; c < 5; c++) run(500, -1);
        console.log(run(4000, 2500));
    """,
    "a_for_of_var_of_the_same_name": """
        function run(n) {
            let s = 0;
            function f(x) { return x + 1; }
            for (let r = 0; r < n; r++) s += [r, 2].map(f).reduce((p, x) => p + x, 0);
            for (var f of [(x, i) => x * 7 + i]) s += [1, 2].map(f).reduce((p, x) => p + x, 0);
            for (let r = 0; r < n; r++) s += [r, 2].map(f).reduce((p, x) => p + x, 0);
            return s;
        }
        console.log(run(3000));
    """,
    "its_variables_changed_by_the_loop_and_by_itself": """
        function run(n) {
            let k = 1, calls = 0;
            function f(x, i) { calls++; if (x === 77) k = -k; return x * k + i; }
            const g = (x) => { k += x % 3; };
            let s = 0;
            for (let r = 0; r < n; r++) {
                if (r % 100 === 0) k = 1;
                s += [r % 200, 2, 3].map(f).reduce((p, x) => p + x, 0);
                [r % 2, 1].forEach(g);
            }
            return [s, k, calls];
        }
        console.log(run(5000).join(" "));
    """,
    "two_calls_two_closures": """
        function make(base) {
            function add(x) { return x + base; }
            return function (n) {
                let s = 0;
                for (let r = 0; r < n; r++) s += [r, 1].map(add).reduce((p, x) => p + x, 0);
                return s;
            };
        }
        function outer(n, base) {
            const f = (x) => x * base;
            let s = 0;
            for (let r = 0; r < n; r++) s += [r, 1].map(f).reduce((p, x) => p + x, 0);
            return s;
        }
        const a = make(1), b = make(1000);
        console.log(a(3000), b(3000), a(3000), outer(3000, 2), outer(3000, -3));
    """,
    "taking_the_array_or_counting_arguments": """
        function run(n) {
            function h(x, i, arr) { return arr.length * 10 + x; }
            function c(x) { return arguments.length * 100 + x; }
            const plain = (x) => x + 1;
            let s = 0;
            for (let r = 0; r < n; r++) {
                const a = [r, 1];
                s += a.map(h).reduce((p, x) => p + x, 0) + a.map(c).reduce((p, x) => p + x, 0);
                s += a.map(plain).reduce((p, x) => p + x, 0);
            }
            return s;
        }
        console.log(run(4000));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_local_named_callbacks_keep_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
