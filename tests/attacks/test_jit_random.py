"""Attacks on Math.random in compiled code (apps.js.codegen ``_random``).

Both tiers step one xorshift128+ state (apps.js.runtime.XorShift): a program
run with the JIT must draw exactly the interpreter's sequence -- across
entries and exits, draws on both sides of a loop, a run that fails after
drawing (its logged state stores rolled back, the interpreter drawing those
numbers again), a callee that draws, and a program that replaces
Math.random between entries.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_compiled_loop_draws_the_interpreters_sequence": """
        function pi(n) {
            let k = 0;
            for (let i = 0; i < n; i++) { const x = Math.random(), y = Math.random(); if (x * x + y * y < 1) k++; }
            return k;
        }
        console.log(pi(20000), Math.random(), pi(10), Math.random());
    """,
    "a_run_that_fails_after_drawing_hands_back_the_state": """
        function draw(a, n) { let t = 0; for (let i = 0; i < n; i++) { t += Math.random(); t += a[i]; } return t; }
        const a = []; for (let i = 0; i < 3000; i++) a.push(i);
        console.log(draw(a, 3000));
        a[1500] = "x";
        console.log(draw(a, 3000), Math.random());
    """,
    "an_overflow_after_a_draw_repeats_it_in_the_interpreter": """
        function f(n) {
            let s = 1, r = 0;
            for (let i = 0; i < n; i++) { r += Math.random(); s = (s * 3) | 0; s = s * 1000; }
            return r + ":" + s;
        }
        console.log(f(2000), f(5), Math.random());
    """,
    "a_callee_draws": """
        function roll(k) { return Math.floor(Math.random() * k); }
        function many(n) { let t = 0; for (let i = 0; i < n; i++) t += roll(6) + roll(i % 7 + 1); return t; }
        console.log(many(20000), roll(100), many(3));
    """,
    "math_random_replaced_between_entries": """
        function sum(n) { let t = 0; for (let i = 0; i < n; i++) t += Math.random(); return t; }
        console.log(sum(20000));
        Math.random = function () { return 0.25; };
        console.log(sum(100));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_random_draws_are_the_interpreters(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
