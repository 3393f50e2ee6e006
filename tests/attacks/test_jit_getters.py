"""Attacks on reads and stores compiled as accessor calls (apps.js.ics,
``Site.accessor``).

A read ``o.p`` (a store ``o.p = v``) whose feedback is an inherited user
getter (setter) is compiled as a direct call of it behind a call cache: an
entry says "this shape's prototype chain resolves p to an accessor whose
getter (setter) is the one compiled in".  The attacks change what p
resolves to while compiled code keeps its entries -- the accessor replaced,
turned into a data property, deleted, the receiver's prototype swapped, an
own property that holds the accessor's function as a value -- and compare
the JIT with the interpreter.
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

_SETTER = """
    class S { constructor() { this.raw = 0; } set v(x) { this.raw = x * 2; } }
    class T { constructor() { this.raw = 0; } set v(x) { this.raw = x + 1000; } }
    function putV(a, n) {
        for (let i = 0; i < n; i++) a[i % a.length].v = i;
        let t = 0;
        for (const o of a) t += o.raw;
        return t;
    }
    const ss = [new S(), new S(), new S()];
    for (let r = 0; r < 50; r++) putV(ss, 100);
"""

PROGRAMS.update(
    {
        "a_setter_replaced_on_the_prototype_is_the_one_called": _SETTER
        + """
        console.log(putV(ss, 30));
        Object.defineProperty(S.prototype, "v", { set(x) { this.raw = -x; }, configurable: true });
        console.log(putV(ss, 30));
    """,
        "a_deleted_setter_lets_the_store_add_a_property": _SETTER
        + """
        delete S.prototype.v;
        console.log(putV(ss, 30), ss[0].v, Object.keys(ss[1]).join());
    """,
        "a_receiver_given_another_prototype_calls_that_setter": _SETTER
        + """
        Object.setPrototypeOf(ss[1], T.prototype);
        console.log(putV(ss, 30));
    """,
        "an_own_property_holding_the_setter_is_stored_into": _SETTER
        + """
        ss[2] = { raw: 5, v: Object.getOwnPropertyDescriptor(S.prototype, "v").set };
        console.log(putV(ss, 3), typeof ss[2].v, ss[2].raw);
    """,
    }
)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_getter_call_caches_keep_the_interpreters_rules(name):
    s = assert_jit_matches_interpreter(PROGRAMS[name])
    assert s["ic_patches"] >= 1, s  # (a call cache was patched: the attack was tried)
