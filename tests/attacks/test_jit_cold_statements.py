"""Attacks on statements compiled as exits because a call in them never ran
(apps.js.jittypes ``Unfed``).

Such a statement leaves compiled code where it stands: the run's stores since
its last commit are undone and the interpreter does them again, then runs the
statement.  The attacks reach one after stores to objects, arrays and
captured variables, inside an inlined arrow, a nested loop that commits,
after a store earlier in the same statement, and a unit compiled again with
the call's feedback -- and compare with the interpreter; a call its statement
may skip must not make the statement an exit.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter, run_program

PROGRAMS = {
    "stores_before_the_exit_are_done_once": """
        class C { constructor() { this.n = 0; this.hits = 0; } hit() { this.hits += 1; return this.n; } }
        const c = new C(), xs = [0, 0, 0];
        let cap = 0;
        function run(k) {
          for (let i = 0; i < 100; i++) {
            c.n += 1; xs[i % 3] += i; cap += 2;
            if (i === k) c.hit();
          }
          return c.n;
        }
        let t = 0;
        for (let r = 0; r < 300; r++) t += run(r % 50 === 49 ? 60 : -1);
        console.log(t, c.n, c.hits, xs.join(","), cap);
    """,
    "an_exit_inside_an_inlined_arrow_and_a_nested_loop": """
        class C { constructor() { this.v = 1; } bump() { this.v += 1; return this.v; } }
        const c = new C();
        function run(xs, k) {
          let s = 0;
          for (let j = 0; j < 3; j++) {
            xs.forEach(x => { s += x; if (x === k) s += c.bump(); });
            for (let i = 0; i < 5000; i++) s += i % 3;
          }
          return s;
        }
        const xs = [1, 2, 3, 4, 5];
        let t = 0;
        for (let r = 0; r < 200; r++) t += run(xs, r > 190 ? 3 : -1);
        console.log(t, c.v);
    """,
    "an_exit_after_a_store_in_the_same_statement": """
        class C { constructor() { this.k = 2; } late() { return 5; } }
        const c = new C(), xs = [0];
        function run(f) {
          let s = 0;
          for (let i = 0; i < 50; i++) {
            s = s * 2 % 1000003 + i;
            if (f && i === 9) s = (xs[0] += 1) + c.late() + s;
          }
          return s;
        }
        let t = 0;
        for (let r = 0; r < 300; r++) t += run(r % 60 === 59);
        console.log(t, xs[0]);
    """,
    "a_call_its_statement_may_skip_refuses_as_before": """
        class C { late() { return 5; } }
        const c = new C();
        function run(f) {
          let s = 0;
          for (let i = 0; i < 50; i++) s = s * 2 % 1000003 + (f && i === 9 ? c.late() : i);
          return s;
        }
        let t = 0;
        for (let r = 0; r < 300; r++) t += run(r % 60 === 59);
        let u = 0;
        for (let i = 0; i < 3000; i++) u += i % 7;
        console.log(t, u);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_cold_statements_keep_the_interpreters_rules(name):
    s = assert_jit_matches_interpreter(PROGRAMS[name])
    if name != "a_call_its_statement_may_skip_refuses_as_before":
        assert s["cold_exits"] + s["recompiles"] >= 1, s  # (an exit was reached: the attack was tried)


def test_a_call_its_statement_may_skip_does_not_make_it_an_exit():
    """``s = ... + (f && i === 9 ? c.late() : i)`` runs every iteration
    though ``c.late()`` never ran: an exit there would leave at every
    iteration.  A call under ?:, && / || or in an arrow's body is no sign
    that its statement never ran: the unit is refused as before."""
    _, engine = run_program(PROGRAMS["a_call_its_statement_may_skip_refuses_as_before"], jit=True)
    assert "never called" in engine.tier.reasons.get("run", ""), engine.tier.reasons


CALLEE_EXIT = """
    class Buf {
      constructor() { this.items = [1, 2, 3]; this.errors = 0; }
      grow() { this.errors += 1; }
      sum(k) {
        let s = 0;
        for (let i = 0; i < 1000; i++) {
          s += this.items[i % 3];
          if (s > k) { this.grow(); s = 0; }
        }
        return s;
      }
    }
    const b = new Buf();
    let t = 0;
    for (let r = 0; r < 3000; r++) t += b.sum(r === 2999 ? 100 : 1e9);
    console.log(t, b.errors);
"""


def test_an_exit_in_a_callee_goes_back_one_iteration():
    """The top loop's unit calls ``sum``, whose never-run ``this.grow()`` is
    an exit; the loop's body stores nothing logged, so it committed only
    every 4096 log entries and an exit rolled it back to its entry: the
    interpreter ran one iteration and compiled code the rest again, up to
    the exit -- once per iteration left (817 exits, 6.6 s with the disk
    cache; node 0.1 s).  A loop unit that reaches a cold branch or statement
    in a callee commits every iteration, as one with its own does: 18 exits
    here (47-129 without, varying with the optimised builds' timing)."""
    s = assert_jit_matches_interpreter(CALLEE_EXIT)
    assert s["cold_exits"] <= 30, s
