"""Attacks on the bump arena compiled code builds objects in (apps.js.arena).

The arena is reused by every run, so the guarantees to break are: no object
the interpreter can reach is ever left in it (each is copied out first), no
address the engine is handed resolves to arena bytes that are not an object
of the run in progress, and a class changed between runs (a setter added, a
prototype replaced) is checked again before compiled code builds its objects
itself.  Programs compare the JIT with the interpreter; the handles are
attacked directly with forged addresses.
"""

from __future__ import annotations

import numpy as np
import pytest

from libmpk.apps.js import shapes
from libmpk.apps.js.arena import CHUNK_WORDS, Arena
from libmpk.apps.js.native import C_ARENA, C_EPOCH, C_WORDS
from libmpk.apps.js.shapes import ARENA, run_value
from libmpk.apps.js.values import OBJECT_PROTO

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_setter_added_between_runs_runs_for_every_new_object": """
        class P { constructor(x) { this.x = x; } }
        const seen = [];
        function make(n) { let s = 0; for (let i = 0; i < n; i++) { const p = new P(i); s += p.x; } return s; }
        let t = 0;
        for (let r = 0; r < 60; r++) t += make(300);
        Object.defineProperty(P.prototype, "x", { set(v) { seen.push(v); }, get() { return 7; }, configurable: true });
        for (let r = 0; r < 3; r++) t += make(5);
        console.log(t, seen.length, seen.slice(0, 6).join());
    """,
    "a_prototype_replaced_between_runs_is_the_new_objects_prototype": """
        function Q(v) { this.v = v; }
        Q.prototype.k = 1;
        function make(n) { let last = null; for (let i = 0; i < n; i++) last = new Q(i); return last; }
        const a = [];
        for (let r = 0; r < 60; r++) a.push(make(300));
        Q.prototype = { k: 2 };
        for (let r = 0; r < 60; r++) a.push(make(300));
        let s = 0;
        for (const o of a) s += o.k * 1000 + o.v;
        console.log(s, Object.getPrototypeOf(a[0]) === Object.getPrototypeOf(a[119]), a[119].k, a[0].k);
    """,
    "objects_kept_from_a_run_survive_the_arena_being_reused": """
        class N { constructor(v) { this.v = v; this.next = null; } }
        function ring(n, base) {
            const first = new N(base); let cur = first;
            for (let i = 1; i < n; i++) { const nd = new N(base + i); cur.next = nd; cur = nd; }
            cur.next = first;
            return first;
        }
        function garbage(n) { let s = 0; for (let i = 0; i < n; i++) s += new N(i).v; return s; }
        const rings = [];
        for (let r = 0; r < 80; r++) { rings.push(ring(50, r * 100)); garbage(3000); }
        let s = 0, ok = true;
        for (const f of rings) {
            let nd = f;
            for (let i = 0; i < 50; i++) { s += nd.v; nd = nd.next; }
            ok = ok && nd === f;
        }
        console.log(s, ok);
    """,
    "a_deopt_mid_construction_leaves_no_half_built_object": """
        class P { constructor(a, b) { this.a = a; this.b = b; } }
        function build(xs, n) {
            const out = new Array(n);
            for (let i = 0; i < n; i++) out[i] = new P(i, xs[i] * 2);
            return out;
        }
        const xs = new Array(400).fill(1.5);
        for (let r = 0; r < 100; r++) build(xs, 400);
        const short = new Array(200).fill(2);
        let r;
        try { r = build(short, 400); } catch (e) { r = e.message; }
        console.log(r.length, r[199].a, r[199].b, r[200].a, r[200].b, r[399].b);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_arena_keeps_the_interpreters_rules(name):
    s = assert_jit_matches_interpreter(PROGRAMS[name])
    assert s["built_in_place"] >= 1000, s  # (compiled code built objects: the attack was tried)


def _arena_with_objects(n: int):
    """An arena (its own context words) holding ``n`` objects of a two-slot
    shape in run 1, as compiled code would build them."""
    words = memoryview(np.zeros(C_WORDS, dtype=np.int64))
    arena = Arena(words, {"native_allocations": 0, "built_in_place": 0})
    shape = shapes.intern(("x", "y"), (0b11, 0, 0, 0, 0, 0, 0, 0), OBJECT_PROTO)
    template = shapes.made_template(shape, [1.5, 2.5])
    words[C_EPOCH] = 1
    run: dict = {}
    arena.enter(run)
    addrs = []
    for _ in range(n):
        a = arena.take(template)
        if not a:
            arena.next_chunk()
            a = arena.take(template)
        addrs.append(a)
    return arena, run, words, addrs


def test_forged_addresses_into_the_arena_resolve_to_nothing():
    """Every address that is not an object's start in the run in progress
    -- inside an object, misaligned, past the cursor, in a chunk not taken,
    of an earlier run -- is no object (referent raises LookupError; it never
    reads the bytes there as one)."""
    arena, run, words, addrs = _arena_with_objects(CHUNK_WORDS // 5 + 10)  # (two chunks)
    for a in addrs:
        v = run_value(a, run)
        assert type(v) is memoryview and v[1] == a + 24
    first = addrs[0]
    for forged in (first + 8, first + 16, first + 24, first + 3, addrs[-1] + 40, words[C_ARENA], first - 8):
        assert run_value(forged, run) is None, hex(forged)
        with pytest.raises(LookupError):
            shapes.referent(forged, run)
    words[C_EPOCH] = 2  # (the next run began: this one's addresses are garbage)
    later: dict = {}
    arena.enter(later)
    assert run_value(first, run) is None and run_value(first, later) is None


def test_an_object_handed_out_mid_run_leaves_the_arena_when_the_run_ends():
    """One the interpreter sees while compiled code still runs keeps its
    arena address (compiled code may still write it) and is copied out by
    done(); one handed out after is copied at once.  Neither is left in
    the arena, and the run maps both old addresses to their objects."""
    arena, run, words, addrs = _arena_with_objects(3)
    run[shapes.FRESH] = []
    mid = shapes.referent(addrs[0], run)
    assert type(mid.native.desc) is memoryview and mid.native.addr == addrs[0]
    run_value(addrs[0], run)  # (the object, by its arena address)
    arena.done(run)
    assert type(mid.native.desc) is not memoryview and mid.native.addr != addrs[0]
    after = shapes.referent(addrs[1], run)
    assert type(after.native.desc) is not memoryview and after.native.addr != addrs[1]
    assert shapes.referent(addrs[0], run) is mid and shapes.referent(addrs[1], run) is after
    assert mid.props == {"x": 1.5, "y": 2.5} == after.props
    assert shapes.owner_at(mid.native.addr) is mid and shapes.owner_at(addrs[0]) is None
    assert run[ARENA][0] is arena
