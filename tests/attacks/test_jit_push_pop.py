"""Attacks on push and pop in compiled code over the run's copy of an array
of objects or of rows (apps.js.shapes ``resize_copy``/``resize_items``).

The copy grows while compiled code runs, the undo log holds entries for its
old words, and the array itself learns the new length only when the run
ends.  The attacks grow it and then deopt, move objects between two copies
and alias one array under two names, keep a popped object only in a slot
compiled code stored, push what the copy cannot hold, cut the length to
what no cut may make, lie in an empty literal's feedback, and hand the
engine's push callback addresses that are not a resizable copy.
"""

from __future__ import annotations

from array import array

import pytest

from libmpk.apps.js.shapes import HOLE_REF, number_array_in, ref_array_in
from libmpk.apps.js.values import HOLE, JSArray

from .jit_programs import assert_jit_matches_interpreter, run_program

PROGRAMS = {
    "a_copy_grown_three_times_then_a_deopt_is_undone_at_its_new_place": """
        class P { constructor(x) { this.x = x; } }
        function grow(q, n, k) {
          for (let i = 0; i < n; i++) q.push(new P(i));
          const small = [1, 2];
          return q.length + small[k];
        }
        const q = [new P(-1)];
        let t = 0;
        for (let r = 0; r < 200; r++) { t += grow(q, 3, 1); q.length = 1; }
        t += grow(q, 40, 9) || 0;
        console.log(t, q.length, q[q.length - 1].x, q.map(p => p.x).slice(0, 5).join(","));
    """,
    "objects_moved_between_two_copies_and_one_array_under_two_names": """
        class P { constructor(x) { this.x = x; } }
        function move(a, b, n) {
          let s = 0;
          for (let i = 0; i < n && a.length > 0; i++) { const p = a.pop(); b.push(p); s += p.x; }
          return s;
        }
        const a = [], b = [];
        for (let i = 0; i < 50; i++) a.push(new P(i));
        let t = 0;
        for (let r = 0; r < 200; r++) { t += move(a, b, 7); t += move(b, a, 7); t += move(a, a, 3); }
        console.log(t, a.length, b.length, a.map(p => p.x).join(","), b.map(p => p.x).join(","));
    """,
    "a_popped_object_held_only_by_a_slot_compiled_code_stored": """
        class P { constructor(x) { this.x = x; this.tag = "p" + x; } }
        function take(q, h) { for (let i = 0; i < 3; i++) { h.o = q.pop(); h.n = q.length; } return h.n; }
        const h = { o: null, n: 0 };
        let t = 0, tags = "";
        for (let r = 0; r < 200; r++) {
          const q = [];
          for (let i = 0; i < 5; i++) q.push(new P(r * 10 + i));
          t += take(q, h);
          tags = h.o.tag;
        }
        console.log(t, tags, h.o.x, h.n);
    """,
    "what_the_copy_cannot_hold_is_the_interpreters": """
        class P { constructor(x) { this.x = x; } }
        function add(q, v) { for (let i = 0; i < 2; i++) q.push(v); return q.length; }
        const q = [new P(1)];
        let t = 0;
        for (let r = 0; r < 200; r++) { t += add(q, new P(r)); q.length = 1; }
        t += add(q, 5) + add(q, "s") + add(q, undefined);
        console.log(t, q.length, q.map(x => typeof x).join(","));
        const names = ["a", "b"];
        function addName(q) { for (let i = 0; i < 2; i++) q.push("n" + i); return q.pop(); }
        let u = "";
        for (let r = 0; r < 200; r++) u = addName(names);
        console.log(u, names.length);
    """,
    "a_store_past_the_popped_end_and_a_length_cut_mid_run": """
        class P { constructor(x) { this.x = x; } }
        function f(q, k) {
          q.pop();
          q.pop();
          q[q.length + k] = new P(99);
          return q.length;
        }
        let t = 0;
        for (let r = 0; r < 200; r++) {
          const q = [new P(1), new P(2), new P(3), new P(4)];
          t += f(q, r % 3 === 0 ? 1 : 0);
          t += q.filter(p => p === undefined).length * 100;
        }
        console.log(t);
    """,
    "a_cut_longer_fractional_negative_or_nan_is_the_interpreters": """
        class P { constructor(x) { this.x = x; } }
        function cut(q, k) { q.push(new P(k)); q.length = k; return q.length; }
        const out = [];
        for (let r = 0; r < 200; r++) out.push(cut([new P(1), new P(2)], r % 3));
        for (const k of [5, 1.5, -1, NaN, 2 ** 32, "2"]) {
          try { out.push(cut([new P(1), new P(2)], k)); } catch (e) { out.push(e.constructor.name); }
        }
        console.log(out.slice(-8).join(","), out.reduce((s, x) => s + (typeof x === "number" ? x : 0), 0));
    """,
    "a_cut_then_a_deopt_is_undone": """
        class P { constructor(x) { this.x = x; } }
        function f(q, k) { for (let i = 2; i >= 1; i--) q.length = i; const small = [1]; return small[k] + q.length; }
        const q = [new P(1), new P(2), new P(3)];
        let t = 0;
        for (let r = 0; r < 200; r++) { t += f(q, 0); q.push(new P(r)); q.push(new P(r)); }
        t += f(q, 4) || 0;
        console.log(t, q.length, q.map(p => p.x).join(","));
    """,
    "an_empty_literal_whose_feedback_says_objects_given_numbers": """
        class P { constructor(x) { this.x = x; } }
        function build(n, objs) {
          const a = [];
          for (let i = 0; i < n; i++) { if (objs) a.push(new P(i)); else a[i] = i * 2; }
          return a;
        }
        let t = 0;
        for (let r = 0; r < 200; r++) { const a = build(6, true); t += a[5].x; }
        const nums = build(6, false);
        t += nums[5];
        nums.push(1.5);
        console.log(t, nums.join(","), build(3, true).length);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_push_and_pop_on_copies_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_the_push_callback_grows_only_a_resizable_copy():
    """The engine's push callback (``array_push``) given the address of a
    copy of numbers and holes, a read-only copy, an address no run holds,
    or a frozen array's copy: 0 (compiled code leaves), nothing noted, no
    word of any copy moved."""
    _, engine = run_program("let s = 0; for (let i = 0; i < 3000; i++) s += i; console.log(s);", jit=True)
    tier = engine.tier.real
    run: dict = {}
    harr = JSArray([1.0, HOLE])
    frozen = JSArray([None, None])
    frozen.locked = 3
    addrs = [
        number_array_in(harr, run),
        ref_array_in(JSArray([None]), [0], run, False),
        ref_array_in(frozen, [0, 0], run, True),
        12345678,
    ]
    kept = {a: (array("q", run[("keep", a)][0]), len(run[("keep", a)][1])) for a in addrs if ("keep", a) in run}
    tier.ic.run = run
    try:
        assert [tier._push_slow(a) for a in addrs] == [0, 0, 0, 0]
    finally:
        tier.ic.run = None
    assert not any(k[0] == "copies resized" for k in run if type(k) is tuple)
    for a, (desc, n) in kept.items():
        assert run[("keep", a)][0] == desc and len(run[("keep", a)][1]) == n
    good = ref_array_in(JSArray([None]), [HOLE_REF], run, True)
    tier.ic.run = run
    try:
        assert tier._push_slow(good) == 1  # (the real one is taken: the refusals above were not blanket)
    finally:
        tier.ic.run = None
