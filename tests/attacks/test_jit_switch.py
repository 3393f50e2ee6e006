"""Attacks on ``switch`` in compiled code (apps.js.codegen ``_switch``).

Case tests are evaluated lazily, in order, until one matches: a test with a
side effect must run exactly as often as in the interpreter.  A case entered
past a declaration it reads must stay the interpreter's (TDZ); a deopt in a
body reached by falling through must resume there; references compare by
identity.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter, run_program

PROGRAMS = {
    "case_tests_with_side_effects_run_in_order_until_one_matches": """
        let calls = 0;
        function t(v) { calls = calls + 1; return v; }
        function pick(x) {
          let r = 0;
          switch (x) { case t(1): r = 10; break; case t(2): r = 20; break; default: r = 30; case t(3): r += 3; }
          return r;
        }
        let s = 0;
        for (let i = 0; i < 400; i++) s += pick(i % 5);
        console.log(s, calls);
    """,
    "a_deopt_in_a_body_reached_by_falling_through_resumes_there": """
        function f(a, k) {
          let s = 0;
          switch (k) {
            case 0: s += 1;
            case 1: s += a[k + 3];
            case 2: s += 100; break;
          }
          return s;
        }
        const a = [1, 2, 3, 4, 5];
        let t = 0;
        for (let r = 0; r < 300; r++) t += f(a, r % 3);
        t += f(a, 1) + f(a, 0);
        a.length = 2;
        t += (f(a, 0) || 0) + (f(a, 1) || 0);
        console.log(t);
    """,
    "references_compare_by_identity": """
        class K { constructor(n) { this.n = n; } }
        const A = new K(1), B = new K(1);
        function which(k) { switch (k) { case A: return 1; case B: return 2; default: return 3; } }
        function total(ks) { let s = 0; for (let i = 0; i < ks.length; i++) s += which(ks[i]); return s; }
        const ks = [];
        for (let i = 0; i < 30; i++) ks.push(i % 3 === 0 ? A : i % 3 === 1 ? B : new K(1));
        let s = 0;
        for (let r = 0; r < 30; r++) s += total(ks);
        console.log(s);
    """,
    "a_switch_over_a_string_made_in_compiled_code": """
        function tag(i) {
          const s = "k" + (i % 4);
          switch (s) { case "k0": return 1; case "k1": return 2; case "k" + 2: return 3; default: return 4; }
        }
        let t = 0;
        for (let i = 0; i < 400; i++) t += tag(i);
        console.log(t);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_switch_keeps_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_a_case_entered_past_a_declaration_it_reads_is_never_compiled():
    """Entered at case 2, ``y`` is in its TDZ: the interpreter's
    ReferenceError, never a read of an unset slot."""
    src = """
        function f(k) { let out = 0; switch (k) { case 1: let y = 5; out = y; case 2: out += y; } return out; }
        let s = 0;
        for (let i = 0; i < 300; i++) s += f(1);
        let err = "";
        try { f(2); } catch (e) { err = e.name; }
        console.log(s, err);
    """
    out, engine = run_program(src, jit=True)
    assert out == "3000 ReferenceError\n"
    assert "read in another" in engine.tier.reasons.get("f", ""), engine.tier.reasons
