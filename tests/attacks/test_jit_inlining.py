"""Attacks on what the JIT compiles in place of a call: a forEach arrow's
body (and the variables of enclosing functions it reaches), a method
given an arrow (apps.js.inlining), a constructor's stores, a polymorphic
call's choice of function.

Each program makes a function hot on ordinary values (so it compiles with
the call in place), then does what would expose a difference from the
call the interpreter makes: a callback that writes ahead of the iteration
or deoptimises halfway, a constructor argument whose method changes a
global the constructor reads next or whose getter counts its calls, a
constructor whose value throws after the object exists, a method replaced
by a getter.  The JIT's output must be the interpreter's, and compiled
code must have run.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_callback_writes_ahead_and_counts_in_a_captured_variable": """
        function spread(a, n) {
            let calls = 0;
            for (let r = 0; r < n; r++) {
                a.forEach((x, i) => { calls++; if (i + 1 < a.length) a[i + 1] = x + 1; });
            }
            return calls + a[a.length - 1];
        }
        let t = 0;
        for (let k = 0; k < 200; k++) t += spread([1, 2, 3, 4, 5], 20);
        console.log(t);
    """,
    "a_callback_deoptimises_halfway_through_an_array": """
        class P { constructor(v) { this.v = v; this.seen = 0; } }
        function visit(list) {
            let s = 0, n = 0;
            list.forEach((p) => { p.seen += 1; n++; s += p.v; });
            return s + n;
        }
        const list = [];
        for (let i = 0; i < 10; i++) list.push(new P(i));
        let t = 0;
        for (let k = 0; k < 300; k++) t += visit(list);
        list[5].v = true;
        t += visit(list);
        console.log(t, list.map((p) => p.seen).join());
    """,
    "a_callback_reads_and_writes_variables_of_functions_further_out": """
        function outer2() {
            let scale = 5;
            const bump = () => { scale += 1; };
            function outer() {
                let scale2 = 2;
                const peek = () => scale2;
                function f(a) {
                    let s = 0;
                    a.forEach((x) => { s += x * scale2; scale2 += 0; });
                    return s;
                }
                let r = 0;
                for (let i = 0; i < 3000; i++) { r += f([1, 2, 3, 4]); if (i === 1500) scale2 = 7; }
                return r + peek();
            }
            bump();
            return [outer(), scale];
        }
        console.log(outer2().join());
    """,
    "a_callback_throws_halfway_through_a_compiled_callee": """
        class V { constructor(a) { this.a = a; } each(fn) { for (let i = 0; i < this.a.length; i++) fn(this.a[i]); } }
        class Box { constructor(v) { this.v = v; this.hits = 0; } }
        function visit(v, lim) {
            let n = 0;
            v.each((b) => { b.hits++; n++; if (b.v > lim) { throw new Error("over " + b.v + " after " + n); } });
            return n;
        }
        const v = new V([new Box(1), new Box(2), new Box(3), new Box(4)]);
        let t = 0;
        for (let k = 0; k < 300; k++) t += visit(v, 10);
        try { visit(v, 2); } catch (e) { console.log(e.message); }
        console.log(t, v.a.map((b) => b.hits).join());
    """,
    "a_callee_that_keeps_or_replaces_its_callback": """
        class K {
            constructor() { this.saved = null; this.n = 0; }
            keep(fn) { this.saved = fn; this.n += fn(1); }
            swap(fn) { fn = (x) => x * 100; this.n += fn(2); }
            each(fn) { fn(this.n); fn(1); }
        }
        function use(k, d) { k.keep((x) => x + d); k.swap((x) => x - d); return k.n; }
        function score(k, d) { let s = 0; k.each((x) => { s += x % 7 + d; }); return s; }
        const k = new K();
        let t = 0;
        for (let i = 0; i < 300; i++) t += use(k, i % 5) + score(k, i);
        console.log(t, k.saved(10), k.n);
    """,
    "a_callback_passed_down_a_recursive_walk": """
        class T {
            constructor(v, l, r) { this.v = v; this.left = l; this.right = r; }
            walk(fn) {
                if (this.left !== null) this.left.walk(fn);
                fn(this);
                if (this.right !== null) this.right.walk(fn);
            }
        }
        function sum(t, k) {
            let s = 0, order = 0;
            t.walk((n) => { order = order * 3 + n.v; s += n.v * k; });
            return s + order % 1000;
        }
        const leaf = (v) => new T(v, null, null);
        const tree = new T(4, new T(2, leaf(1), leaf(3)), new T(6, null, leaf(7)));
        let t = 0;
        for (let i = 0; i < 400; i++) t += sum(tree, i % 3);
        console.log(t);
    """,
    "a_receiver_of_another_class_reaches_a_call_compiled_with_its_callback": """
        class A { constructor() { this.x = 1; } each(fn) { fn(this.x); } }
        class B { constructor() { this.x = 2; } each(fn) { fn(this.x); fn(this.x * 10); } }
        function add(o) { let s = 0; o.each((v) => { s += v; }); return s; }
        const a = new A(), b = new B();
        let t = 0;
        for (let i = 0; i < 400; i++) t += add(a);
        for (let i = 0; i < 5; i++) t += add(i % 2 ? a : b);
        console.log(t);
    """,
    "a_callback_and_its_callee_share_names_and_this": """
        class C {
            constructor(n) { this.n = n; this.acc = 0; }
            times(fn) { let i = 0; while (i < this.n) { fn(i); i++; } this.acc += i; return this.acc; }
            run(k) { let i = 100; const r = this.times((i) => { this.acc += i * k; }); return r + i; }
        }
        const c = new C(5);
        let t = 0;
        for (let j = 0; j < 300; j++) t += c.run(j % 4);
        console.log(t, c.acc);
    """,
    "a_callback_grows_what_its_callee_iterates": """
        class Vec {
            constructor() { this.s = new Array(12).fill(null); this.n = 0; }
            push(x) { if (this.n < this.s.length) { this.s[this.n] = x; this.n++; } }
            forEach(fn) { for (let i = 0; i < this.n; i++) fn(this.s[i]); }
        }
        class E { constructor(v) { this.v = v; } }
        function grow(vec) {
            let seen = 0;
            vec.forEach((e) => { seen += e.v; if (e.v < 3) vec.push(new E(e.v + 1)); });
            return seen;
        }
        let t = 0;
        for (let r = 0; r < 300; r++) {
            const vec = new Vec();
            vec.push(new E(0));
            vec.push(new E(2));
            t += grow(vec) + vec.n;
        }
        console.log(t);
    """,
    "a_constructor_argument_changes_a_global_the_constructor_reads_next": """
        let LIMIT = 0;
        class R { constructor() { this.n = 0; } bump() { this.n++; LIMIT += 2; return this.n; } }
        class C { constructor(r) { this.a = r.bump(); this.b = LIMIT; this.c = r.bump() + LIMIT; } }
        function make(r, n) {
            let s = 0;
            for (let i = 0; i < n; i++) { const c = new C(r); s += c.a * 3 + c.b + c.c; }
            return s;
        }
        const r = new R();
        let t = 0;
        for (let k = 0; k < 200; k++) t += make(r, 20);
        console.log(t, LIMIT, r.n);
    """,
    "a_getter_read_by_a_constructor_runs_once_per_construction": """
        let gets = 0;
        class S { constructor(v) { this.size = v; } }
        class C { constructor(src) { this.v = src.size; } }
        function make(srcs, n) { let s = 0; for (let i = 0; i < n; i++) s += new C(srcs[i % srcs.length]).v; return s; }
        const srcs = [new S(1), new S(2), new S(3)];
        let t = 0;
        for (let k = 0; k < 200; k++) t += make(srcs, 30);
        const odd = new S(0);
        Object.defineProperty(odd, "size", { get() { gets++; return 100; } });
        srcs[1] = odd;
        t += make(srcs, 30);
        console.log(t, gets);
    """,
    "a_constructor_value_throws_after_the_object_exists": """
        class R { check(x) { if (x > 25) { throw new Error("too big " + x); } return x; } }
        class C { constructor(r, x) { this.a = x; this.b = r.check(x); } }
        function make(r, n, base) { let s = 0; for (let i = 0; i < n; i++) s += new C(r, base + i).b; return s; }
        const r = new R();
        let t = 0;
        for (let k = 0; k < 200; k++) t += make(r, 10, 0);
        try { t += make(r, 10, 20); } catch (e) { console.log(e.message); }
        console.log(t);
    """,
    "a_method_replaced_by_a_getter_is_not_called_as_the_compiled_function": """
        class A { f() { return 1; } }
        class B { f() { return 2; } }
        function sum(list, n) {
            let s = 0;
            for (let r = 0; r < n; r++) for (let i = 0; i < list.length; i++) s += list[i].f();
            return s;
        }
        const list = [new A(), new B(), new A()];
        let t = 0;
        for (let k = 0; k < 100; k++) t += sum(list, 30);
        Object.defineProperty(B.prototype, "f", { get() { return () => 20; }, configurable: true });
        t += sum(list, 30);
        console.log(t);
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_what_is_compiled_in_place_keeps_the_calls_semantics(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
