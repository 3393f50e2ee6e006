"""Attacks on own-method entries of call caches (apps.js.ics ``_own_entry``).

Such an entry says "this shape holds the method in its own slot k" and the
site's code word says which function was compiled in; compiled code calls
on when the slot holds that function's identity.  The attacks put something
else in that slot between runs -- another function, the same function on
another object, a number, an accessor, nothing (deleted) -- or give every
object its own closure, and compare the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_method_replaced_between_runs_is_the_one_called": """
        function make() { let t = 0; return { add(x) { t += x; return t; } }; }
        function drive(o, n) { let s = 0; for (let i = 0; i < n; i++) s = o.add(i % 10); return s; }
        const a = make();
        for (let r = 0; r < 200; r++) drive(a, 50);
        const before = drive(a, 100);
        a.add = function (x) { return -x; };
        console.log(before, drive(a, 100));
        a.add = make().add;
        console.log(drive(a, 100));
    """,
    "the_compiled_function_on_another_object_runs_with_that_this": """
        function make(k) { return { k: k, total: 0, add(x) { this.total += x * this.k; return this.total; } }; }
        function drive(o, n) { let s = 0; for (let i = 0; i < n; i++) s = o.add(1); return s; }
        const a = make(1), b = make(7);
        for (let r = 0; r < 200; r++) drive(a, 50);
        b.add = a.add;
        console.log(drive(b, 100), b.total, a.total);
    """,
    "a_number_an_accessor_or_nothing_in_the_slot_is_the_interpreters": """
        class P { m() { return 1; } }
        function callM(o, n) { let s = 0; for (let i = 0; i < n; i++) s += o.m(); return s; }
        const p = new P();
        p.m = function () { return 5; };
        for (let r = 0; r < 200; r++) callM(p, 50);
        const q = new P();
        q.m = p.m;
        console.log(callM(q, 10));
        delete q.m;
        console.log(callM(q, 10));
        q.m = 3;
        try { callM(q, 10); } catch (e) { console.log(e instanceof TypeError); }
        Object.defineProperty(p, "m", { get() { return () => 9; }, configurable: true });
        console.log(callM(p, 10));
    """,
    "two_objects_of_a_factory_alternate_at_one_site": """
        function make(k) { return { k: k, get() { return this.k; } }; }
        const a = make(2), b = make(3), c = make(5);
        function sum(x, y, n) { let s = 0; for (let i = 0; i < n; i++) s += (i % 3 === 0 ? x : y).get(); return s; }
        for (let r = 0; r < 200; r++) sum(a, b, 30);
        console.log(sum(a, b, 300), sum(b, a, 300), sum(a, c, 300), sum(c, c, 30));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_own_method_entries_keep_the_interpreters_rules(name):
    s = assert_jit_matches_interpreter(PROGRAMS[name])
    assert s["ic_patches"] >= 1, s  # (a call cache was patched: the attack was tried)
