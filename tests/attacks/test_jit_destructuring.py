"""Attacks on destructuring in compiled code: a destructured getter and a
null, and the array iterator replaced once an array pattern's code was
compiled (it reads the literal by index only while the iterator is the
engine's)."""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "destructuring_a_getter_a_missing_key_and_null": """
        class A { constructor(v) { this.v = v; } get w() { return this.v * 3; } }
        function f(os) {
          let s = 0;
          for (let i = 0; i < os.length; i++) { const { v, w } = os[i]; s += v + w; }
          return s;
        }
        const os = [];
        for (let i = 0; i < 20; i++) os.push(new A(i));
        let t = 0, err = "";
        for (let r = 0; r < 20; r++) t += f(os);
        os[5] = null;
        try { t += f(os); } catch (e) { err = e.name; }
        console.log(t, err);
    """,
    "the_array_iterator_replaced_after_an_array_pattern_compiled": """
        function f(n) { let s = 0; for (let i = 0; i < n; i++) { const [a, b] = [i, 2 * i]; s += a - b; } return s; }
        let t = 0;
        for (let r = 0; r < 30; r++) t += f(20);
        const orig = Array.prototype[Symbol.iterator];
        Array.prototype[Symbol.iterator] = function* () { yield 100; yield 1; };
        t += f(20);
        Array.prototype[Symbol.iterator] = orig;
        t += f(20);
        console.log(t);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_destructuring_keeps_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
