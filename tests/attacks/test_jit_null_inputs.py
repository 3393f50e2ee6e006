"""Attacks on loops entered with a variable holding null or undefined
(jittypes.entry_type: an object reference's 0 or UNDEF_REF).

The loop is compiled for an object reference there; the attacks enter it
with null, undefined, an object, a number and a string in turn, give it a
number midway, read a property of the null, and tell null from undefined;
each run compares the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_list_built_from_null": """
        class Node { constructor(v, next) { this.v = v; this.next = next; } }
        function build(n, start) {
            let h = start;
            for (let i = 0; i < n; i++) h = new Node(i, h);
            let s = 0;
            for (let p = h; p !== null && p !== undefined; p = p.next) s += p.v;
            return s;
        }
        let t = 0;
        for (let r = 0; r < 12; r++) {
            t += build(3000, r % 3 === 0 ? null : r % 3 === 1 ? undefined : new Node(-5, null));
        }
        console.log(t);
    """,
    "entered_with_a_number_or_a_string_where_null_was": """
        function scan(n, best) {
            for (let i = 0; i < n; i++) {
                if (best === null || best === undefined) best = { k: i };
                else if (typeof best === "object" && best.k < i % 7) best = { k: i % 7 };
            }
            return typeof best === "object" && best !== null ? best.k : best;
        }
        let t = "";
        for (let r = 0; r < 12; r++) t += scan(20000, r < 6 ? null : r === 6 ? 5 : r === 7 ? "s" : undefined) + ",";
        console.log(t);
    """,
    "null_and_undefined_told_apart": """
        function f(n, x) {
            let a = 0, b = 0, c = 0;
            for (let i = 0; i < n; i++) {
                if (x === null) a++;
                if (x === undefined) b++;
                if (x == null) c++;
                if (i === n - 2) x = { v: 1 };
            }
            return a * 1000000 + b * 1000 + c + (x === null ? 7 : x.v);
        }
        let t = 0;
        for (let r = 0; r < 10; r++) t += f(20000, r % 2 ? null : undefined);
        console.log(t);
    """,
    "a_property_of_the_null_read_in_the_loop": """
        function f(n) {
            let o = null;
            let s = 0;
            for (let i = 0; i < n; i++) {
                if (i === n - 100) o = { v: 2 };
                if (i === n - 3) o = null;
                if (i > n - 100) s += o.v;
            }
            return s;
        }
        let t = 0, errs = "";
        for (let r = 0; r < 8; r++) {
            try { t += f(20000); } catch (e) { errs += e.constructor.name; }
        }
        console.log(t, errs);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_loops_entered_with_null_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
