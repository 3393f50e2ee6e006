"""Attacks on destructuring in compiled code: a destructured getter and a
null, and the array iterator replaced once an array pattern's code was
compiled (it reads the literal by index only while the iterator is the
engine's) -- a declaration's and an assignment's (``[a[i], a[j]] = [a[j],
a[i]]``, whose values go straight to its targets: the iterator replaced
between entries and while the loop runs, a store leaving midway, a target
that is a setter) -- and a declaration's pattern read from an array that
exists (it reads the array in place: given its own iterator, the iterator
replaced while the loop runs, a pattern longer than the array, holes, the
array written between reads of it)."""

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
    "the_array_iterator_replaced_after_a_swap_compiled": """
        function swaps(a, n) {
            let h = 0;
            for (let i = 0; i < n; i++) { const j = i % 7; [a[j], a[j + 1]] = [a[j + 1], a[j] + 1]; h = h * 31 + a[j]; }
            return h % 1000003;
        }
        const a = [1, 2, 3, 4, 5, 6, 7, 8];
        for (let r = 0; r < 30; r++) swaps(a, 50);
        console.log(swaps(a, 10));
        const orig = Array.prototype[Symbol.iterator];
        Array.prototype[Symbol.iterator] = function* () { yield this.length; yield -1; };
        console.log(swaps(a, 10));
        Array.prototype[Symbol.iterator] = orig;
        console.log(swaps(a, 10));
    """,
    "the_array_iterator_replaced_by_a_call_inside_the_loop": """
        const orig = Array.prototype[Symbol.iterator];
        function patch() { Array.prototype[Symbol.iterator] = function* () { yield 7; yield 9; }; return 0; }
        function run(n, at) {
            let p = 0, q = 1;
            for (let i = 0; i < n; i++) { if (i === at) p += patch(); [p, q] = [q, (p + q) % 1000]; }
            return p * 1000 + q;
        }
        for (let r = 0; r < 30; r++) run(100, -1);
        console.log(run(100, 50));
        Array.prototype[Symbol.iterator] = orig;
        console.log(run(100, -1));
    """,
    "a_swap_whose_second_store_leaves_rolls_back_the_first": """
        function run(o, b, n, far) {
            for (let i = 0; i < n; i++) [o.n, b[i === far ? 9 : i % 4]] = [o.n + 1, o.n * 2];
            return o.n + ":" + b.join();
        }
        const o = { n: 0 };
        const b = [0, 0, 0, 0];
        for (let r = 0; r < 30; r++) run(o, b, 100, -1);
        console.log(run(o, b, 100, 60));
    """,
    "a_swap_into_a_setter_calls_it_in_order": """
        class C {
            constructor() { this.log = 0; this.raw = 0; }
            set v(x) { this.log = (this.log * 7 + x) % 1000003; this.raw = x; }
        }
        function run(c, n) {
            let w = 0;
            for (let i = 0; i < n; i++) [c.v, w] = [w + 1, c.raw + 2];
            return c.log + ":" + w;
        }
        const c = new C();
        for (let r = 0; r < 30; r++) run(c, 100);
        console.log(run(c, 50));
    """,
    "an_existing_array_given_its_own_iterator_between_entries": """
        function f(ps, n) {
            let s = 0;
            for (let i = 0; i < n; i++) { const [a, b] = ps[i % ps.length]; s += a * 3 + b; }
            return s;
        }
        const ps = [];
        for (let i = 0; i < 10; i++) ps.push([i, i + 1]);
        let t = 0;
        for (let r = 0; r < 30; r++) t += f(ps, 1000);
        ps[3][Symbol.iterator] = function* () { yield 100; yield 200; };
        for (let r = 0; r < 5; r++) t += f(ps, 1000);
        console.log(t);
    """,
    "the_array_iterator_replaced_while_patterns_read_arrays": """
        function f(ps, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                if (i === 700) Array.prototype[Symbol.iterator] = function* () { yield -1; yield -2; yield -3; };
                const [a, b, c] = ps[i % ps.length];
                s += a * 3 + b + c;
            }
            return s;
        }
        const ps = [];
        for (let i = 0; i < 10; i++) ps.push([i, i + 1, i + 2]);
        let t = 0;
        for (let r = 0; r < 20; r++) t += f(ps, r < 19 ? 500 : 1000);
        console.log(t);
    """,
    "a_pattern_longer_than_its_arrays_and_holes": """
        class P { constructor(k) { this.k = k; } }
        function f(rows, objs, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                const [a, b, c] = rows[i % rows.length];
                const [p, q] = objs;
                s += a + (b === undefined ? 7 : b) + (c === undefined ? 11 : c) + (p === undefined ? 1 : p.k);
                s += q === undefined ? 100 : q === null ? 1000 : q.k;
            }
            return s;
        }
        const rows = [[1, 2, 3], [4, 5], [6]];
        const objs = new Array(2);
        objs[0] = new P(5);
        let t = 0;
        for (let r = 0; r < 40; r++) t += f(rows, objs, 300);
        objs[1] = null;
        for (let r = 0; r < 10; r++) t += f(rows, objs, 300);
        console.log(t);
    """,
    "a_default_that_writes_the_array_being_read": """
        class P { constructor(k) { this.k = k; } }
        function f(p, o1, o2, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                p[1] = o1;
                const [a = ((p[1] = o2), null), b] = p;
                s += b.k + (a === null ? 1 : 0);
            }
            return s;
        }
        const p = new Array(2);
        let t = 0;
        for (let r = 0; r < 30; r++) t += f(p, new P(5), new P(7), 1000);
        for (let i = 0; i < 20000; i++) t += i % 7;  // (compiled: the pattern's loop must stay interpreted)
        console.log(t);
    """,
    "the_same_array_read_and_written_by_a_pattern": """
        function f(p, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                const [a, b] = p;
                p[0] = b;
                p[1] = a + 1;
                s += a - b;
            }
            return s + p[0] * 1000 + p[1];
        }
        let t = 0;
        for (let r = 0; r < 30; r++) t += f([1, 2], 1000);
        console.log(t);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_destructuring_keeps_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
