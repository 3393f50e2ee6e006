"""Attacks on loops that call their function's nested functions (apps.js.tier's
``_closures_called`` and ``_closure_cells``).

Such a loop's unit calls the nested function's compiled code directly, and
both read and write the function's captured variables through the same
cells' slots -- the cells of the call that made the closure the code is
bound to, mapped to the entering call's own cells at every entry.  The
attacks share a counter both ways, give each call other values and other
types, rebind the name to an earlier call's closure or to another nested
function between entries, call a sibling through the callee, leave compiled
code inside the callee in a later call (a cold branch, an int32 overflow),
let the closure escape and run on its own, and capture per-iteration
bindings; each run compares the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_counter_the_nested_function_writes_and_the_loop_reads": """
        function run(n) {
            let size = 0, total = 0;
            const seen = new Array(n * n).fill(false);
            function visit(k) {
                if (k < 0 || k >= n * n || seen[k]) return;
                seen[k] = true;
                size++;
                if (k % 7 !== 3) visit(k + 1);
            }
            for (let k = 0; k < n * n; k++) { size = 0; visit(k); total += size * size; }
            return total + size;
        }
        for (let r = 0; r < 7; r++) console.log(run(60 + r));
    """,
    "the_loop_writes_what_the_nested_function_reads": """
        function run(n) {
            let scale = 1;
            function f(x) { return x * scale; }
            let s = 0;
            for (let i = 0; i < n; i++) { scale = (i % 3) + 1; s += f(i); }
            return s + scale;
        }
        for (let r = 0; r < 8; r++) console.log(run(20000 + r));
    """,
    "each_call_its_own_values_and_once_another_type": """
        function run(n, base) {
            let off = base;
            function f(x) { return x + off; }
            let s = 0;
            for (let i = 0; i < n; i++) s += f(i);
            return s;
        }
        for (let r = 0; r < 8; r++) console.log(run(20000, r === 5 ? "x" : r * 1000));
    """,
    "the_name_rebound_to_an_earlier_calls_closure": """
        let keep = null;
        function run(n, swap) {
            let base = n;
            function f(x) { return x + base; }
            if (keep === null) keep = f;
            let g = f;
            if (swap) g = keep;
            let s = 0;
            for (let i = 0; i < 20000; i++) s += g(i);
            return s;
        }
        for (let r = 0; r < 8; r++) console.log(run(r, r % 3 === 2));
    """,
    "the_name_rebound_to_another_nested_function": """
        function run(n, which) {
            let k = n;
            function up(x) { return x + k; }
            function down(x) { return x - k; }
            const h = which ? down : up;
            let s = 0;
            for (let i = 0; i < 20000; i++) s += h(i);
            return s;
        }
        for (let r = 0; r < 8; r++) console.log(run(r + 1, r >= 4));
    """,
    "the_name_rebound_to_another_nested_function_using_no_variables": """
        function run(n, which) {
            function up(x) { return x + 1; }
            function down(x) { return x - 1; }
            const h = which ? down : up;
            let s = 0;
            for (let i = 0; i < n; i++) s += h(i);
            return s;
        }
        for (let r = 0; r < 8; r++) console.log(run(20000 + r, r >= 4));
    """,
    "an_earlier_calls_closure_keeps_its_own_variables": """
        let keep = null;
        function run(n, swap) {
            let base = n;
            function f(x) { base += 1; return x + base; }
            if (keep === null) keep = f;
            const g = swap ? keep : f;
            let s = 0;
            for (let i = 0; i < 20000; i++) s = (s + g(i) + base) % 1000003;
            return s + base;
        }
        for (let r = 0; r < 8; r++) console.log(run(r * 100, r % 3 === 2));
        console.log(keep(0));
    """,
    "siblings_entered_from_the_interpreter": """
        function run(n) {
            let calls = 0;
            function leaf(k) { calls++; return k * 2; }
            function sum(k) { let s = 0; for (let i = 0; i < k; i++) s += leaf(i); return s; }
            let t = 0;
            for (let j = 0; j < 600; j++) { t += sum(n + (j & 3)); t += Object.keys({ a: j }).length; }
            return t + calls;
        }
        for (let r = 0; r < 8; r++) console.log(run(5 + r));
    """,
    "siblings_calling_each_other": """
        function run(n) {
            const memo = new Array(n + 1).fill(-1);
            let calls = 0;
            function fib(k) {
                calls++;
                if (k < 2) return k;
                if (memo[k] >= 0) return memo[k];
                const v = (fib(k - 1) + fib(k - 2)) % 1000007;
                memo[k] = v;
                return v;
            }
            function twice(k) { return fib(k) * 2; }
            let s = 0;
            for (let i = 0; i < n; i++) s = (s + twice(i)) % 1000007;
            return s * 10 + (calls % 10);
        }
        for (let r = 0; r < 8; r++) console.log(run(3000 + r));
    """,
    "a_cold_branch_in_the_callee_in_a_later_call": """
        function run(n, lim) {
            let acc = 0, hits = 0;
            function add(x) {
                acc += x;
                if (acc > lim) { hits += Object.keys({ a: 1, b: 2 }).length; acc = 0; }
            }
            for (let i = 0; i < n; i++) add(i % 13);
            return acc + hits * 1000000;
        }
        for (let r = 0; r < 10; r++) console.log(run(20000, r < 5 ? 1e12 : 5000 + r));
    """,
    "an_int32_overflow_in_the_callee_in_a_later_call": """
        function run(n, m) {
            let out = 0;
            function f(k) { let x = 1; for (let i = 0; i < m; i++) x = x * 3; out += x % 7; return k; }
            let s = 0;
            for (let i = 0; i < n; i++) s += f(i);
            return s + out;
        }
        for (let r = 0; r < 8; r++) console.log(run(4000, r < 4 ? 5 : 25));
    """,
    "the_nested_function_escapes_and_runs_on_its_own": """
        const kept = [];
        function run(n) {
            let c = n;
            function bump(x) { c += x; return c; }
            let s = 0;
            for (let i = 0; i < 20000; i++) s += bump(1) % 5;
            kept.push(bump);
            return s + c;
        }
        for (let r = 0; r < 6; r++) console.log(run(r * 10));
        let t = 0;
        for (let i = 0; i < 3000; i++) t += kept[i % kept.length](2);
        console.log(t, run(1), kept[0](0), kept[5](0));
    """,
    "a_loop_making_closures_over_its_own_bindings": """
        function run(n) {
            let acc = 0;
            const fs = [];
            function add(x) { acc += x; }
            for (let i = 0; i < n; i++) { add(i); if (i < 3) fs.push(() => i + acc); }
            return acc + fs[0]() + fs[2]();
        }
        for (let r = 0; r < 6; r++) console.log(run(20000 + r));
    """,
    "the_loop_counter_itself_captured": """
        function run(n) {
            let i, hits = 0, acc = 0;
            function peek() { return i * 2 + hits; }
            for (i = 0; i < n; i++) { hits++; acc += peek(); hits += 1; acc -= i; }
            return acc + hits + i;
        }
        for (let r = 0; r < 6; r++) console.log(run(20000 + r));
    """,
    "an_arrow_held_in_a_const_made_midway": """
        function run(n) {
            let s = 0, base = n % 7;
            for (let i = 0; i < 10; i++) s += i;
            const f = (x) => x * base + s % 3;
            for (let i = 0; i < n; i++) s = (s + f(i)) % 100003;
            base = -1;
            return s + f(2);
        }
        for (let r = 0; r < 6; r++) console.log(run(20000 + r));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_loops_calling_nested_functions_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_later_calls_loops_run_their_own_closures():
    """(The attacks are tried on later calls' loops, not only on the first.)"""
    for name in ("a_counter_the_nested_function_writes_and_the_loop_reads", "siblings_calling_each_other"):
        s = assert_jit_matches_interpreter(PROGRAMS[name])
        assert s["loops_rebound"] >= 4, (name, s)
    s = assert_jit_matches_interpreter(PROGRAMS["siblings_entered_from_the_interpreter"])
    # (each call's sum enters the first one's code, calling its own leaf: not declined at the guard)
    assert s["closures_rebound"] >= 5 and s["guard_declines"] < 50, s
    s = assert_jit_matches_interpreter(PROGRAMS["a_cold_branch_in_the_callee_in_a_later_call"])
    assert s["loops_rebound"] >= 3 and s["cold_exits"] + s["deopts"] > 0, s
