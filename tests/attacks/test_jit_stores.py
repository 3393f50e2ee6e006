"""Attacks on what compiled JS may write: a program that tries to make the
JIT's stores break a rule the interpreter keeps.

Each program first makes a function hot on ordinary values (so it is
compiled for them), then hands it values that must not be written the
compiled way -- a frozen array, a hole that must stay one, an inherited
setter, a replaced forEach -- or makes it deoptimise after thousands of
logged stores.  The JIT's output must be the interpreter's, and compiled
code must have run (else the attack tried nothing).
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "frozen_arrays_of_objects_are_not_stored_into": """
        class P { constructor(v) { this.v = v; } }
        function put(a, o, n) { for (let i = 0; i < n; i++) a[i % a.length] = o; return a.length; }
        function strictPut(a, o, n) { "use strict"; for (let i = 0; i < n; i++) a[i % a.length] = o; return a.length; }
        put([new P(1), new P(2)], new P(3), 5000);
        strictPut([new P(1), new P(2)], new P(3), 5000);
        const f = Object.freeze([new P(4), null]);
        const s = Object.seal([new P(5), new P(6), , null]);
        const x = Object.preventExtensions(new Array(2));
        put(f, new P(7), 5000); put(s, new P(8), 5000); put(x, new P(9), 5000);
        console.log(f[0].v, f[1], s.map((p) => p && p.v).join(), 2 in s, 0 in x, x[1]);
        for (const a of [f, s, x]) { try { strictPut(a, new P(1), 10); } catch (e) { console.log(e.message); } }
    """,
    "frozen_and_sealed_packed_arrays_are_not_stored_into": """
        function fill(a, n) { for (let i = 0; i < n; i++) a[i % a.length] = i; return a[0]; }
        fill([1, 2, 3], 5000);
        const f = Object.freeze([1, 2, 3]);
        console.log(fill(f, 5000), f.join());
        function grow(a, n) { for (let i = 0; i < n; i++) a[i] = i; return a.length; }
        grow([0, 0], 3000);
        const ne = Object.preventExtensions([0, 0, 0]);
        console.log(grow(ne, 3000), ne.join());
    """,
    "a_deleted_element_is_a_hole_compiled_code_reads_as_undefined": """
        class P { constructor(v) { this.v = v; } }
        function sum(a, n) {
            let s = 0;
            for (let i = 0; i < n; i++) { const o = a[i % a.length]; if (o) s += o.v; }
            return s;
        }
        function setOdd(a, o, n) { for (let i = 1; i < n; i += 2) a[i % a.length] = o; return a.length; }
        const a = [new P(1), new P(2), new P(3), new P(4)];
        sum(a, 5000); setOdd(a, new P(5), 5000);
        delete a[0]; delete a[2];
        console.log(sum(a, 5000), setOdd(a, new P(6), 5001), 0 in a, 1 in a, 2 in a, Object.keys(a).join());
    """,
    "an_inherited_setter_added_later_runs_for_every_store": """
        class P { constructor(v) { this.v = v; this.w = 0; } }
        function bump(list, n) {
            for (let i = 0; i < n; i++) { const p = list[i % list.length]; p.w = p.w + p.v; }
            return list[0].w;
        }
        const list = [new P(1), new P(2)];
        bump(list, 5000);
        let calls = 0;
        class Q extends P { set w(x) { calls++; } get w() { return 1; } }
        const q = new Q(3);
        console.log(bump([q, new P(4)], 3000), calls, Object.keys(q).join());
    """,
    "a_replaced_or_shadowed_forEach_is_called_not_inlined": """
        function total(a) { let t = 0; a.forEach((x) => { t += x; }); return t; }
        const plain = [1, 2, 3];
        let tt = 0;
        for (let k = 0; k < 3000; k++) tt += total(plain);
        const getter = { get() { return function (f) { f(50); }; }, configurable: true };
        Object.defineProperty(Array.prototype, "forEach", getter);
        tt += total(plain);
        delete Array.prototype.forEach;
        try { total(plain); } catch (e) { console.log(e.constructor.name); }
        class Odd extends Array { forEach(f) { f(-1000); } }
        console.log(tt, total(Odd.from([1, 2])));
    """,
    "thousands_of_logged_stores_then_a_deopt_roll_back_whole": """
        class P { constructor(v) { this.v = v; } }
        function churn(a, objs, n) {
            let s = 0;
            for (let i = 0; i < n; i++) { a[i % a.length] = objs[(i * 7) % objs.length]; s += a[(i * 3) % a.length].v; }
            const t = a[0]; a[0] = a[1]; a[1] = t;
            return s;
        }
        const objs = []; for (let i = 0; i < 50; i++) objs.push(new P(i));
        const a = new Array(13).fill(null).map((_, i) => objs[i]);
        let s = 0;
        for (let k = 0; k < 20; k++) s += churn(a, objs, 20000);
        objs[49] = new P(true);
        s += churn(a, objs, 20000);
        console.log(s, a.map((p) => p.v).join());
    """,
    # A slot whose kind a compiled store changes (an object, then an array
    # of objects, then null): the object moves to a new shape, so a site
    # compiled for the old kind misses instead of reading one as the other.
    "a_store_that_changes_a_slots_kind_is_not_read_as_the_old_kind": """
        class P { constructor(v) { this.v = v; this.q = null; } }
        function flip(ps, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                const p = ps[i % ps.length];
                p.q = new Array(2);
                p.q[1] = p;
                s += p.q[1].v;
                p.q = p;
                s += p.q.v;
            }
            ps[0].q = new Array(3);
            ps[1].q = null;
            return s;
        }
        function readQ(ps, n) { let s = 0; for (let i = 0; i < n; i++) s += ps[i % ps.length].q.v; return s; }
        const ps = [new P(1), new P(2), new P(3)];
        console.log(flip(ps, 5000), Array.isArray(ps[0].q), ps[0].q.length, ps[1].q, ps[2].q === ps[2]);
        for (const p of ps) p.q = p;
        readQ(ps, 5000);
        ps[1].q = new Array(4);
        try { console.log(readQ(ps, 5000)); } catch (e) { console.log(e.constructor.name); }
        console.log(flip(ps, 10), readQ([ps[2]], 10));
    """,
    # An arm of ?: that never ran is a cold exit: taken after stores in the
    # same iteration (and inside a method compiled in place), they roll back.
    "a_cold_arm_taken_after_stores_rolls_them_back": """
        class P { constructor(v) { this.v = v; } }
        class C {
            constructor() { this.a = new P(1); this.b = new P(2); this.n = 0; this.on = true; }
            next() { this.n += 1; return this.on ? this.a : this.b; }
        }
        function run(c, log, n) {
            let s = 0;
            for (let i = 0; i < n; i++) { log[i % log.length] = i; s += c.next().v; c.n += 1; }
            return s;
        }
        const c = new C(), log = [0, 0, 0];
        console.log(run(c, log, 5000), c.n, log.join());
        c.on = false;
        console.log(run(c, log, 5000), c.n, log.join());
        c.on = true;
        console.log(run(c, log, 5001), c.n, log.join());
    """,
    "an_array_stored_into_two_objects_stays_one_array": """
        class H { constructor() { this.items = null; } }
        function share(hs, n) {
            for (let i = 0; i + 1 < n; i += 2) {
                const a = new Array(2);
                const x = new H();
                const y = new H();
                x.items = a;
                y.items = a;
                a[0] = x;
                hs[i % hs.length] = x;
                hs[(i + 1) % hs.length] = y;
            }
            return hs.length;
        }
        const hs = [new H(), new H(), new H(), new H()];
        share(hs, 6000);
        console.log(hs[0].items === hs[1].items, hs[1].items === hs[2].items, hs[2].items === hs[3].items);
        console.log(hs[0].items[0] === hs[0], hs[0].items[1], 1 in hs[0].items, hs[3].items.length);
    """,
    "a_read_only_or_accessor_property_is_not_given_another_kind": """
        class H { constructor() { this.items = null; } }
        function give(hs, n) { for (let i = 0; i < n; i++) hs[i % hs.length].items = new Array(1); return hs.length; }
        give([new H(), new H()], 5000);
        const ro = new H();
        Object.defineProperty(ro, "items", { value: null, writable: false });
        let log = 0;
        const acc = new H();
        Object.defineProperty(acc, "items", { get() { return "got"; }, set(v) { log += v.length; } });
        give([ro, acc, new H()], 3000);
        console.log(ro.items, acc.items, log);
    """,
    "a_narrow_store_undone_restores_its_own_bytes_only": """
        const kinds = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Float32Array];
        for (const K of kinds) {
            const f = new Function("a", "e", "n",  // (a unit per kind) the stores, then e[i] past e's end leaves
                "let s = 0; for (let i = 0; i < n; i++) { a[i] = i * 37 + 1; a[(i + 1) % a.length] += 7; s += e[i]; }"
                + " return s;");
            for (let r = 0; r < 200; r++) f(new K(13), new Array(13).fill(1), 13);
            for (const cut of [0, 5, 11, 12]) {
                const a = new K(13).fill(9);            // the last element at the buffer's end
                console.log(K.name, cut, f(a, new Array(cut).fill(1), cut + 1), Array.from(a).join());
            }
        }
    """,
    "a_push_undone_after_its_buffer_grew_lands_in_the_new_buffer": """
        function pushThenLeave(a, extra, n) {
            let s = 0;
            for (let i = 0; i < n; i++) { a[0] += 1; a.push(i); a.push(-i); s += extra[i]; }
            return s;
        }
        for (let r = 0; r < 200; r++) pushThenLeave([0], new Array(40).fill(1), 40);
        for (let cut = 0; cut < 40; cut += 3) {
            const a = [0];
            pushThenLeave(a, new Array(cut).fill(1), 40);
            console.log(cut, a.length, a[0], a[a.length - 1], a.slice(1, 7).join());
        }
    """,
    "a_hole_among_numbers_is_never_read_as_a_number": """
        function nans(a) { let n = 0; for (let i = 0; i < a.length; i++) if (a[i] !== a[i]) n++; return n; }
        function put(a, i, v) { a[i] = v; return a.length; }
        for (let r = 0; r < 500; r++) { nans([NaN, 1, , 3]); put([1, , 3], r % 3, r); }
        const bits = new Uint32Array(2); bits[0] = 1; bits[1] = 0x7ff40000;  // a hole's own bits, as a number
        const odd = new Float64Array(bits.buffer)[0];
        const h = [1, , 3, , 5];
        put(h, 3, odd);
        console.log(nans([NaN, , , NaN]), nans(h), 1 in h, 3 in h, Object.keys(h).join());
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_compiled_stores_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
