"""Attacks on inline caches that live in two builds of their module: the
baseline that runs first and the O2 build that replaces it mid-run
(apps.js.tier, apps.js.ics).  Each program runs long enough for the O2
build to land, then does what a cache must notice in both builds: a
prototype's method replaced (the call sites are reset in each copy), shapes
first seen after the switch (patched into both; past four ways the handler
serves them), a store site whose property changes kind (a deopt from
whichever build runs).  Each program calls ``settle()`` where the O2
builds must be in place, whatever the machine's speed.  The JIT's output
must be node's (each program runs about a million iterations, too long for
the interpreter to check it in a unit test), the switch must have
happened, and compiled code must have run."""

from __future__ import annotations

import pytest

from .jit_programs import run_program, settle

PROGRAMS = {  # (name: program, node's output, what must have happened)
    "a_method_replaced_after_the_switch": (
        """\
class A { f(i) { return i & 3; } }
class B { f(i) { return 2; } }
function run(xs, n) { let s = 0; for (let i = 0; i < n; i++) s = (s + xs[i & 1].f(i)) % 1000003; return s; }
const xs = [new A(), new B()];
let t = 0;
for (let k = 0; k < 300; k++) t = (t + run(xs, 2000)) % 1000003;
settle();
for (let k = 0; k < 50; k++) t = (t + run(xs, 2000)) % 1000003;
A.prototype.f = function (i) { return 10 + i; };
for (let k = 0; k < 50; k++) t = (t + run(xs, 1000)) % 1000003;
console.log(t);
""",
        "824961\n",
        lambda s: s["ic_invalidated"] >= 1,
    ),
    "shapes_first_seen_after_the_switch": (
        """\
function sum(ps, n, m) {
  let s = 0;
  for (let i = 0; i < n; i++) { const p = ps[i % m]; s = (s + p.x * 7 + p.y) % 1000003; }
  return s;
}
const ps = [{x: 1, y: 2}, {y: 3, x: 4}, {x: 5, y: 6, z: 0}, {w: 1, x: 7, y: 8}, {v: 1, x: 9, y: 10},
  {u: 2, y: 11, x: 12}];
let t = 0;
for (let k = 0; k < 300; k++) t = (t + sum(ps, 2000, 2)) % 1000003;
settle();
for (let k = 0; k < 100; k++) t = (t + sum(ps, 2000, 4)) % 1000003;
for (let k = 0; k < 100; k++) t = (t + sum(ps, 2000, 6)) % 1000003;
ps[0].x = 0.5;
for (let k = 0; k < 50; k++) t = (t + sum(ps, 2000, 6)) % 1000003;
console.log(t);
""",
        "132148\n",
        lambda s: s["ic_megamorphic"] >= 1,
    ),
    "a_stored_property_changes_kind_after_the_switch": (
        """\
function fill(os, n, v) {
  for (let i = 0; i < n; i++) { const o = os[i & 3]; o.a = v + i; o.b = o.a * 2; }
  return os[0].b;
}
const os = [{a: 0, b: 0}, {b: 0, a: 0}, {a: 0, b: 0, c: 1}, {c: 2, a: 0, b: 0}];
let t = 0;
for (let k = 0; k < 300; k++) t = (t + fill(os, 1000, k)) % 1000003;
settle();
for (let k = 0; k < 50; k++) t = (t + fill(os, 1000, k)) % 1000003;
for (let k = 0; k < 20; k++) t = (t + fill(os, 1000, k + 0.25)) % 1000003;
os[1].a = null;
for (let k = 0; k < 20; k++) t = (t + fill(os, 1000, k)) % 1000003;
console.log(t, os[1].a, os[3].b);
""",
        "869800 1016 2036\n",
        lambda s: s["deopts"] >= 1,
    ),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_inline_caches_hold_in_both_builds(name):
    program, node, happened = PROGRAMS[name]
    out, engine = run_program(program, jit=True, globals_={"settle": settle})
    assert out == node
    s = engine.tier.snapshot()
    assert s["native_calls"] + s["osr_entries"] > 0, s
    assert s["tier_ups"] >= 1 and s["tier_ups_failed"] == 0, s  # (the O2 build landed mid-run)
    assert happened(s), s
