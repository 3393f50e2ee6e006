"""Attacks on arrays filled by index (apps.js.codegen's ``_store_element``)
and on ``[]`` typed by what its site's arrays held (values.EMPTY_SITES).

``a[i] = v`` at the length appends in compiled code as a push does; below
it, it stores in place; anywhere else compiled code leaves.  An empty array
is typed as the arrays its ``[]`` made came to hold (booleans, objects,
rows).  The attacks append after pops and cuts, store past the end and at
fractions midway, give a site's later arrays another kind than its first,
share one empty array between a compiled loop and the interpreter, and hand
frozen, sealed and non-extensible arrays to a loop compiled to append;
each run compares the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_store_at_the_length_after_pops_and_cuts_appends_again": """
        function churn(n) {
            const a = [];
            let t = 0;
            for (let i = 0; i < n; i++) {
                a[a.length] = i;
                if (i % 7 === 6) { a.pop(); a.pop(); }
                if (i % 13 === 12) a.length = 1;
                t += a.length * 3 + a[a.length - 1];
            }
            return t;
        }
        let s = 0;
        for (let r = 0; r < 200; r++) s += churn(100 + (r & 15));
        console.log(s);
    """,
    "stores_past_the_end_and_at_fractions_leave_midway": """
        function odd(n, k) {
            const a = [];
            for (let i = 0; i < n; i++) {
                a[i] = i;
                if (i === k) a[i + 3] = -1;
                if (i === k + 1) a[i - 0.5] = 7;
            }
            let t = 0;
            for (let i = 0; i < a.length; i++) t += a[i] === undefined ? 1000 : a[i];
            return t + " " + a.length;
        }
        for (let r = 0; r < 300; r++) { const o = odd(60, r < 280 ? 100 : r - 270); if (r >= 278) console.log(o); }
    """,
    "a_sites_later_arrays_of_another_kind_than_its_first": """
        function mk(kind, n) {
            const a = [];
            let t = 0;
            if (kind === 0) {
                for (let i = 0; i < n; i++) a[i] = i % 3 === 0;
                for (let i = 0; i < n; i++) if (a[i]) t++;
            } else if (kind === 1) {
                for (let i = 0; i < n; i++) a[i] = { v: i };
                for (let i = 0; i < n; i++) t += a[i].v;
            } else {
                for (let i = 0; i < n; i++) a[i] = i * 0.5;
                for (let i = 0; i < n; i++) t += a[i];
            }
            return t + a.length;
        }
        let s = 0;
        for (let r = 0; r < 300; r++) s += mk(r < 120 ? 0 : r < 220 ? 1 : 2, 40);
        for (let r = 0; r < 90; r++) s += mk(r % 3, 40);
        console.log(s);
    """,
    "booleans_then_a_number_into_the_same_array": """
        function flags(n, at) {
            const f = [];
            for (let i = 0; i < n; i++) f[i] = i % 3 === 0;
            if (at >= 0) f[at] = 5;
            let c = 0;
            for (let i = 0; i < n; i++) if (f[i]) c += f[i] === true ? 1 : 100;
            return at === -2 ? f.slice(0, 7).join(",") + " " + typeof f[1] : c;
        }
        let s = 0;
        for (let r = 0; r < 300; r++) s += flags(50, r > 250 ? r % 50 : -1);
        console.log(s, flags(50, -2));
    """,
    "one_empty_array_shared_with_the_interpreter": """
        const shared = [];
        function peek() { return shared.length; }
        function grow(a, n) { let t = 0; for (let i = 0; i < n; i++) { a[i] = i; t += peek(); } return t; }
        let s = 0;
        for (let r = 0; r < 200; r++) { shared.length = 0; s += grow(shared, 30); }
        const other = [];
        other[0] = { v: 1 };
        console.log(s, shared.length, shared[29], other[0].v);
    """,
    "frozen_sealed_and_non_extensible_arrays_are_not_grown": """
        function fill(a, n) { for (let i = 0; i < n; i++) a[i] = i * 2; return a.length; }
        let s = 0;
        for (let r = 0; r < 300; r++) s += fill([], 20);
        const fz = Object.freeze([5, 6]), fe = Object.freeze([]), se = Object.seal([]);
        const pe = Object.preventExtensions([1]);
        console.log(s, fill(fz, 5), fz.join(","), fill(fe, 5), fe.length, fill(se, 4), fill(pe, 3), pe.join(","));
    """,
    "rows_and_objects_appended_by_index": """
        class P { constructor(x) { this.x = x; } }
        function build(h, w) {
            const rows = [], ps = [];
            for (let i = 0; i < h; i++) {
                rows[i] = new Array(w).fill(i);
                ps[ps.length] = new P(i);
                if (i === h - 2) rows[i] = rows[0];
            }
            let t = 0;
            for (let i = 0; i < h; i++) { rows[i][0] += 1; t += rows[i][0] + ps[i].x; }
            return t;
        }
        let s = 0;
        for (let r = 0; r < 300; r++) s += build(10 + (r & 3), 6);
        console.log(s);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_arrays_filled_by_index_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
