"""Attacks on null where compiled code holds a packed array
(apps.js.shapes.NULL_ARRAY: ``let best = null`` then arrays, a function
returning an array or null).

Compiled code holds that null as a descriptor whose length is -1, so the
guarantees to break are: every use of the array on a path where it is null
leaves compiled code and the interpreter throws its TypeError; every test
of it -- ``=== null``, ``== undefined``, truth, ``??``, ``===`` with
another array -- answers as the interpreter's; and wherever it leaves
compiled code (a variable written back, a return, a store into an object
or an array of rows) it is null again.
"""

from __future__ import annotations

import pytest

from libmpk.apps.js.shapes import NULL_ARRAY, NULL_ARRAY_REF, referent
from libmpk.apps.js.tier import COLD_EXITS_TO_RECOMPILE

from .jit_programs import assert_jit_matches_interpreter, run_program

PROGRAMS = {
    "the_longest_row_starting_from_null": """
        function longest(rows) {
            let best = null;
            for (let i = 0; i < rows.length; i++) {
                const r = rows[i];
                if (best === null || r.length > best.length) best = r;
            }
            return best;
        }
        const rows = [];
        for (let i = 0; i < 50; i++) rows.push(new Array(i % 17).fill(i));
        let t = 0;
        for (let r = 0; r < 300; r++) t += longest(rows).length;
        console.log(t, longest([]), JSON.stringify(longest([[1], [2, 3], [4]])));
    """,
    "every_test_of_null_answers_as_the_interpreter": """
        function tests(n) {
            let a = null, s = 0;
            for (let i = 0; i < n; i++) {
                if (i % 4 === 1) a = [i, i + 1];
                else if (i % 4 === 3) a = null;
                s += (a === null ? 1 : 0) + (a !== null ? 2 : 0) + (a == null ? 4 : 0) + (a != undefined ? 8 : 0);
                s += (a === undefined ? 16 : 0) + (a !== undefined ? 32 : 0) + (a ? 64 : 0) + (!a ? 128 : 0);
                s += (a && a[0] > 0 ? 256 : 0) + (a || [7])[0] + (a ?? [5, 6])[1];
            }
            return s;
        }
        let t = 0;
        for (let r = 0; r < 200; r++) t += tests(40 + (r % 7));
        console.log(t, tests(5));
    """,
    "each_use_of_null_throws_the_interpreters_type_error": """
        function use(n, how, bad) {
            let a = null, s = 0;
            for (let i = 0; i < n; i++) {
                a = bad && i === n - 1 ? null : [i, 2 * i];
                if (how === 0) s += a.length;
                else if (how === 1) s += a[1];
                else if (how === 2) a.push(i);
                else if (how === 3) s += a.pop();
                else if (how === 4) for (const x of a) s += x;
                else if (how === 5) s += a.map(x => x + 1)[0];
                else if (how === 6) a[0] = s;
                else a.length = 1;
            }
            return s;
        }
        let t = 0;
        for (let r = 0; r < 120; r++) t += use(30, r % 8, false);
        for (let how = 0; how < 8; how++) {
            try {
                console.log(how, use(20, how, true), "no error");
            } catch (e) {
                console.log(how, e.constructor.name, e.message);
            }
        }
        console.log(t);
    """,
    "an_array_or_null_returned_by_a_function": """
        function maybe(i) { if (i % 5 === 0) return null; return [i, i + 1]; }
        function sum(n) {
            let s = 0;
            for (let i = 0; i < n; i++) { const m = maybe(i); s += m === null ? -1 : m[1]; }
            return s;
        }
        let t = 0;
        for (let r = 0; r < 200; r++) t += sum(50 + r);
        console.log(t, maybe(10), JSON.stringify(maybe(11)));
    """,
    "a_loop_entered_with_null_then_with_an_array_then_null": """
        function run(n, start) {
            let cur = start, s = 0;
            for (let i = 0; i < n; i++) {
                if (cur !== null) s += cur[0];
                cur = i % 9 === 8 ? null : [i, s % 7];
            }
            return { s: s, cur: cur };
        }
        let t = 0;
        for (let r = 0; r < 200; r++) t += run(60, null).s + run(60, [r]).s;
        const a = run(9, [1]), b = run(10, null);
        console.log(t, a.cur, JSON.stringify(b.cur));
    """,
    "null_stored_into_objects_and_rows_is_null_there": """
        function fill(n) {
            const box = { p: [0] };
            const rows = [[0]];
            let a = null;
            for (let i = 0; i < n; i++) {
                a = i % 3 === 2 ? null : [i];
                box.p = a;
                if (a === null) rows.length = 1;
                else rows.push(a);
            }
            return { box: box, rows: rows, a: a };
        }
        let t = 0;
        for (let r = 0; r < 200; r++) {
            const f = fill(30 + (r % 3));
            t += f.rows.length + (f.box.p === null ? 100 : 0);
        }
        const f = fill(12);
        console.log(t, f.box.p, f.a, JSON.stringify(f.rows));
    """,
    "two_nulls_are_equal_and_null_is_no_array": """
        function same(n) {
            let a = null, b = null, s = 0;
            for (let i = 0; i < n; i++) {
                if (i % 5 === 1) a = [i];
                if (i % 5 === 2) b = a;
                if (i % 5 === 4) { a = null; b = null; }
                s += (a === b ? 1 : 0) + (a !== b ? 10 : 0);
            }
            return s;
        }
        function len(x) { return x === null ? -1 : x.length; }
        function lens(n) {
            let a = null, s = 0;
            for (let i = 0; i < n; i++) { s += len(a); a = i % 2 ? null : [i, i]; }
            return s;
        }
        let t = 0;
        for (let r = 0; r < 200; r++) t += same(40 + (r % 5)) + lens(30);
        console.log(t);
    """,
    "a_property_of_what_is_only_null_is_a_cold_branch": """
        function f(n, bad) {
            let s = 0, z = null;
            for (let i = 0; i < n; i++) { if (bad && i === n - 1) s += z.length; s += i; }
            return s;
        }
        function g(n, bad) {
            let s = 0;
            for (let i = 0; i < n; i++) { if (bad && i === n - 1) s += null.length; s += i; }
            return s;
        }
        let t = 0;
        for (let r = 0; r < 300; r++) t += f(100, false) + g(100, false);
        for (const h of [f, g]) {
            try { h(100, true); } catch (e) { console.log(e.constructor.name, e.message); }
        }
        console.log(t);
    """,
    "an_object_read_before_the_first_one_is_stored": """
        function h(n) {
            let s = 0, o = null;
            for (let i = 0; i < n; i++) { if (o !== null && o.v > 3) s += o.v; o = { v: i }; }
            return s + (o === null ? 0 : o.v);
        }
        let t = 0;
        for (let r = 0; r < 300; r++) t += h(100 + (r % 3));
        console.log(t, h(0), h(5));
    """,
    "parameters_given_null_or_arrays_by_the_interpreter": """
        function total(a) {
            if (a === null) return -1;
            let s = 0;
            for (let i = 0; i < a.length; i++) s += a[i];
            return s;
        }
        function len(b) { return b === null ? 0 : b.length; }
        function first(a) { return a[0] + (a ?? [9])[0] + (a ? 1 : 2); }
        function count(b) { let n = 0; for (const x of b) if (x) n++; return n; }
        const inputs = [null, [1, 2, 3], null, [4, 5, 6, 7]];  // (not compiled: the calls come from the interpreter)
        const flags = [null, new Array(5).fill(true), [true, false, true]];
        let t = 0;
        for (let i = 0; i < 3000; i++) {
            const a = inputs[i % 4], b = flags[i % 3];
            t += total(a) + len(b) + (a === null ? 0 : first(a)) + (b === null ? 0 : count(b));
        }
        console.log(t);
        const last = [[first, null], [count, null], [len, null], [total, null], [first, [5]], [count, [true]]];
        for (const [f, x] of last) {
            try { console.log(f.name, f(x)); } catch (e) { console.log(f.name, e.constructor.name, e.message); }
        }
    """,
}


# Programs whose tests of null must never leave compiled code: a wrong
# answer there would only show as a deopt (the use it guards leaves).
NO_DEOPTS = {
    "every_test_of_null_answers_as_the_interpreter",
    "two_nulls_are_equal_and_null_is_no_array",
    "the_longest_row_starting_from_null",
    "an_array_or_null_returned_by_a_function",
    "a_loop_entered_with_null_then_with_an_array_then_null",
    "a_property_of_what_is_only_null_is_a_cold_branch",
    "an_object_read_before_the_first_one_is_stored",
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_null_as_a_packed_array_keeps_the_interpreters_rules(name):
    s = assert_jit_matches_interpreter(PROGRAMS[name])
    if name in NO_DEOPTS:
        assert s["deopts"] == 0 and s["native_calls"] + s["osr_entries"] >= 100, s


def test_the_units_holding_null_and_arrays_compile():
    """The idiom is compiled, not left to the interpreter ("holds both
    null and arr" was the reason given before)."""
    _, engine = run_program(PROGRAMS["the_longest_row_starting_from_null"], jit=True)
    reasons = " ".join(engine.stats().get("not_compiled_reasons", {}).values())
    assert "null" not in reasons, reasons
    assert engine.tier.snapshot()["functions_compiled"] + engine.tier.snapshot()["loops_compiled"] >= 1


def test_the_null_array_is_null_wherever_it_is_resolved_and_never_written():
    """Its address resolves to null; its words stay (0, -1, 0) after every
    program above ran (nothing wrote through it)."""
    assert referent(NULL_ARRAY_REF, None) is None and referent(NULL_ARRAY_REF, {}) is None
    assert NULL_ARRAY.tolist() == [0, -1, 0]


def test_parameters_given_null_or_arrays_compile_and_stay_compiled():
    """A parameter the interpreter gave null at some calls and arrays at
    others ("its types vary" before) compiles, holding the null array; and
    ``b === null ? 0 : b.length`` stays compiled: an array's length read
    leaves feedback, so its arm is no cold exit taken at every call."""
    out, engine = run_program(PROGRAMS["parameters_given_null_or_arrays_by_the_interpreter"], jit=True)
    reasons = " ".join(engine.stats().get("not_compiled_reasons", {}).values())
    assert "vary" not in reasons, reasons
    s = engine.tier.snapshot()
    assert s["functions_compiled"] >= 4 and s["native_calls"] >= 4000, s
    # (a function compiled before its length arm first ran leaves there until
    # it is typed again: COLD_EXITS_TO_RECOMPILE, once -- not at every call)
    assert s["cold_exits"] <= COLD_EXITS_TO_RECOMPILE and s["deopts"] <= 2, s  # (the last calls' TypeErrors)
