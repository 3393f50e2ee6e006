"""Attacks on object literals compiled code builds (apps.js.codegen
``object_literal``): a value that leaves compiled code half-way through a
literal, a literal stored where a rollback must undo it, and a prototype
whose setter or read-only property a literal's definition must ignore --
and a later assignment must not."""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_value_that_leaves_half_way_through_a_literal": """
        function f(a, n) {
          let s = 0, keep = null;
          for (let i = 0; i < n; i++) { const o = { x: i, y: a[i + 1], z: i * 2 }; s += o.x + o.y + o.z; keep = o; }
          return s + keep.z;
        }
        const a = [];
        for (let i = 0; i < 50; i++) a.push(i);
        let t = 0;
        for (let r = 0; r < 30; r++) t += f(a, 40);
        t += f(a, 49) || -1;
        console.log(t);
    """,
    "a_literal_stored_into_a_global_then_rolled_back": """
        let last = null;
        function g(xs, n) {
          for (let i = 0; i < n; i++) { last = { v: xs[i], i: i }; }
          return last.v;
        }
        const xs = [1, 2, 3, 4, 5, 6, 7, 8];
        let t = 0;
        for (let r = 0; r < 40; r++) t += g(xs, 8);
        xs.length = 4;
        t += (g(xs, 8) || 0);
        console.log(t, last === null ? "null" : last.i);
    """,
    "a_read_only_or_setter_key_on_the_prototype_chain": """
        function mk(i) { return { id: i, w: i * 2 }; }
        function total(n) { let s = 0; for (let i = 0; i < n; i++) { const o = mk(i); s += o.id + o.w; } return s; }
        let t = 0;
        for (let r = 0; r < 20; r++) t += total(30);
        Object.defineProperty(Object.prototype, "w", { value: 7, writable: false, configurable: true });
        for (let r = 0; r < 3; r++) t += total(30);
        const o = mk(5); let refused = "";
        try { "use strict"; const p = {}; p.w = 1; refused = String(p.w); } catch (e) { refused = e.name; }
        delete Object.prototype.w;
        console.log(t, o.w, refused);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_object_literals_keep_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
