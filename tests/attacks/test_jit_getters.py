"""Attacks on reads compiled as getter calls (apps.js.ics, ``Site.getter``).

A read ``o.p`` whose feedback is an inherited user getter is compiled as a
direct call of that getter behind a call cache: an entry says "this shape's
prototype chain resolves p to an accessor whose getter is the one compiled
in".  The attacks change what p resolves to while compiled code keeps its
entries -- the getter replaced, turned into a data property, deleted, the
receiver's prototype swapped, an own property that holds the getter
function as a value -- and compare the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

_CLASS = """
    class P { constructor(x) { this.x = x; } get v() { return this.x * 2; } }
    class Q { constructor(x) { this.x = x; } get v() { return this.x + 1000; } }
    function sumV(a, n) { let t = 0; for (let i = 0; i < n; i++) t += a[i % a.length].v; return t; }
    const ps = [new P(1), new P(2), new P(3)];
    for (let r = 0; r < 50; r++) sumV(ps, 100);
"""

PROGRAMS = {
    "a_getter_replaced_on_the_prototype_is_the_one_called": _CLASS
    + """
        console.log(sumV(ps, 30));
        Object.defineProperty(P.prototype, "v", { get() { return -this.x; }, configurable: true });
        console.log(sumV(ps, 30));
    """,
    "a_getter_turned_data_property_is_read_not_called": _CLASS
    + """
        Object.defineProperty(P.prototype, "v", { value: 7, configurable: true, writable: true });
        console.log(sumV(ps, 30));
    """,
    "a_deleted_getter_reads_undefined": _CLASS
    + """
        delete P.prototype.v;
        console.log(sumV(ps, 30));
    """,
    "a_receiver_given_another_prototype_calls_that_getter": _CLASS
    + """
        Object.setPrototypeOf(ps[1], Q.prototype);
        console.log(sumV(ps, 30));
    """,
    "an_own_property_holding_the_getter_is_a_value": _CLASS
    + """
        ps[2] = { x: 5, v: Object.getOwnPropertyDescriptor(P.prototype, "v").get };
        const r = sumV(ps, 3);
        console.log(typeof r, r.length > 10);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_getter_call_caches_keep_the_interpreters_rules(name):
    s = assert_jit_matches_interpreter(PROGRAMS[name])
    assert s["ic_patches"] >= 1, s  # (a call cache was patched: the attack was tried)
