"""Attacks on ``includes``, ``indexOf`` and ``lastIndexOf`` compiled as one
scan of an array's elements (apps.js.codegen's element_search).

The scan trusts that nothing runs while it reads, that Array.prototype's
method is the built-in, that the elements are the kind it was compiled for
and that what it seeks compares as the elements do.  The attacks grow the
array between searches, change its elements' kind midway, replace the
built-in, give an array its own ``indexOf``, seek undefined among holes,
seek a value of another type, pass a start that runs code, and search a
holey array of numbers; each run compares the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "the_array_grows_between_searches": """
        const a = [1, 2, 3];
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            if (i % 100 === 0) a.push(i);
            s += a.indexOf(i - 100) + a.lastIndexOf(3) + (a.includes(i - 200) ? 1 : 0);
        }
        console.log(s, a.length);
    """,
    "the_elements_kind_changes_midway": """
        const a = [];
        for (let i = 0; i < 50; i++) a.push(i);
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            if (i === 20000) a.push("x");
            if (i === 25000) a[3] = true;
            s += a.indexOf(i % 60) + (a.includes(i % 70) ? 1 : 0);
        }
        console.log(s, a.indexOf("x"), a.indexOf(true), a.includes(3));
    """,
    "the_built_in_replaced_midway": """
        const a = [5, 6, 7, 8];
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            if (i === 15000) Array.prototype.indexOf = function (x) { return 100 + x; };
            s += a.indexOf(i % 9);
        }
        console.log(s);
    """,
    "an_array_with_its_own_index_of": """
        function find(c, v) { let s = 0; for (let k = 0; k < 40; k++) s += c.indexOf(v + (k & 1)); return s; }
        const a = [1, 2, 3, 4];
        const b = [1, 2, 3, 4];
        b.indexOf = (x) => -x;
        let s = 0;
        for (let i = 0; i < 3000; i++) s += find(i < 2000 || i % 2 ? a : b, i % 5);
        console.log(s);
    """,
    "undefined_sought_among_holes": """
        class P { constructor(k) { this.k = k; } }
        function scan(a, n) {
            let u;
            let s = 0;
            for (let i = 0; i < n; i++) {
                const p = a[(i % 5) * 2];
                s += a.indexOf(p) + (a.includes(u) ? 1 : 0) + a.indexOf(u) + (a.includes(null) ? 10 : 0);
            }
            return s;
        }
        const a = new Array(10);
        for (let i = 0; i < 10; i += 2) a[i] = new P(i);
        let t = 0;
        for (let r = 0; r < 200; r++) t += scan(a, 150);
        a[9] = null;
        for (let r = 0; r < 200; r++) t += scan(a, 150);
        console.log(t);
    """,
    "a_popped_value_past_the_end": """
        const a = [1, 2, 3, 7, 8, 9];
        a.pop();
        a.pop();
        a.pop();
        const flags = [true, false, true, true];
        flags.pop();
        let s = 0;
        for (let i = 0; i < 30000; i++) {
            s += a.lastIndexOf(7, 10 + (i % 3)) + a.lastIndexOf(8) + a.indexOf(9, i % 4) + (a.includes(7, 1) ? 1 : 0);
            s += flags.lastIndexOf(true, 5) + flags.indexOf(true, 2);
        }
        console.log(s);
    """,
    "a_value_of_another_type_sought": """
        function find(a, v) {
            let s = 0;
            for (let k = 0; k < 40; k++) s += a.indexOf(v) + (a.includes(v) ? 1 : 0);
            return s;
        }
        const a = [0, 1, 2, 3, 4, 5];
        let s = 0;
        for (let i = 0; i < 3000; i++) s += find(a, i < 2000 ? i % 6 : i % 3 === 0 ? String(i % 6) : i % 3 === 1);
        console.log(s);
    """,
    "a_start_that_runs_code": """
        function find(a, from) {
            let s = 0;
            for (let k = 0; k < 40; k++) s += a.indexOf(1, from) + a.lastIndexOf(1, from);
            return s;
        }
        const a = [3, 1, 4, 1, 5, 9, 2, 6];
        let calls = 0;
        const start = { valueOf() { calls++; return 2; } };
        let s = 0;
        for (let i = 0; i < 3000; i++) s += find(a, i > 2000 && i % 100 === 0 ? start : i % 9 - 4);
        console.log(s, calls);
    """,
    "a_holey_array_of_numbers": """
        function find(a, v) {
            let s = 0;
            for (let k = 0; k < 40; k++) s += a.indexOf(v) + (a.includes(v) ? 1 : 0);
            return s;
        }
        const packed = [1, 2, 3, NaN, 5, 6];
        const holey = [1, , 3, NaN, , 6];
        let s = 0;
        for (let i = 0; i < 3000; i++) {
            s += find(i > 2000 && i % 3 === 0 ? holey : packed, i % 7) + (holey.includes(undefined) ? 1 : 0);
        }
        console.log(s);
    """,
    "frozen_and_sliced_arrays": """
        function find(b, v) {
            let s = 0;
            for (let k = 0; k < 40; k++) s += b.indexOf(v) + (b.includes(NaN) ? 1 : 0) + b.lastIndexOf(0, -2);
            return s;
        }
        const a = [2, 4, 6, 8, NaN, -0];
        const frozen = Object.freeze([2, 4, 6, 8, NaN, -0]);
        let s = 0;
        for (let i = 0; i < 3000; i++) {
            s += find(i % 3 === 0 ? a.slice(1) : i > 2000 && i % 3 === 1 ? frozen : a, i % 10);
        }
        console.log(s);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_element_searches_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
