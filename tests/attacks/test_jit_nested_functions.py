"""Attacks on functions declared inside functions (apps.js.tier's rebind).

A nested function calling itself, or a sibling, by name is a direct call
guarded to find that function in its maker's variable still.  Its code is
compiled for one closure -- it reads and writes that closure's captured
variables through their cells -- and each later call of the maker makes a
new closure, which enters the same code with *its* cells in their slots.
The attacks give later closures other values and other types, make them
leave compiled code midway (a cold branch, an int32 overflow: the
interpreter resumes with the closure that entered), rebind the name between
entries, reach the first closure through a global from a later one (its
call must run the first closure, with its own variables), share a maker's
variables between siblings, and make closures in a loop's fresh bindings;
each run compares the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter, compiler_faults, run_program

PROGRAMS = {
    "each_makers_call_keeps_its_own_variables": """
        function perms(xs) {
            let n = 0, s = 0;
            function go(k) {
                if (k === xs.length) { n++; s += xs[0] * 10 + xs[xs.length - 1]; return; }
                for (let i = k; i < xs.length; i++) {
                    [xs[k], xs[i]] = [xs[i], xs[k]];
                    go(k + 1);
                    [xs[k], xs[i]] = [xs[i], xs[k]];
                }
            }
            go(0);
            return n * 100000 + s;
        }
        for (let r = 0; r < 14; r++) console.log(perms(r & 1 ? [3, 1, 4, 1, 5, 9] : [2, 7, 1, 8, 2]));
    """,
    "a_cold_branch_in_a_later_closure_resumes_with_its_own_variables": """
        function outer(lim, tag) {
            let hits = 0, s = 0;
            function walk(k) {
                for (let i = 0; i < k; i++) {
                    s += i;
                    if (s > lim) { hits += Object.keys({ a: 1, b: 2 }).length; s = tag; }
                }
                return s;
            }
            let t = 0;
            for (let i = 0; i < 300; i++) t += walk(20);
            return t + hits * 1000000 + tag;
        }
        for (let r = 0; r < 20; r++) console.log(outer(r < 10 ? 1e12 : 500 + r, r));
    """,
    "an_int32_overflow_in_a_later_closure_resumes_with_its_own_variables": """
        function mk(m) {
            let out = 0;
            function f(k) { let x = 1; for (let i = 0; i < m; i++) x = x * 3; out += x % 7; return out + k; }
            let t = 0;
            for (let i = 0; i < 400; i++) t += f(i);
            return t + out;
        }
        for (let r = 0; r < 16; r++) console.log(mk(r < 8 ? 8 : 16 + r));
    """,
    "a_later_closures_variable_of_another_type_is_left_to_the_interpreter": """
        function mk(init) {
            let acc = init;
            function f(k) { for (let i = 0; i < k; i++) acc = acc + 1; return k; }
            for (let i = 0; i < 300; i++) f(5);
            return acc;
        }
        for (let r = 0; r < 14; r++) console.log(mk(r % 5 === 4 ? "s" : r));
    """,
    "the_name_rebound_between_entries_is_the_function_called": """
        function chooser(flip) {
            function step(k) { return k <= 0 ? 0 : 1 + step(k - 1); }
            if (flip) step = function (k) { return k <= 0 ? 0 : 2 + step(k - 1); };
            let s = 0;
            for (let i = 0; i < 300; i++) s += step(i & 15);
            return s;
        }
        for (let r = 0; r < 30; r++) console.log(chooser(r % 4 === 3));
    """,
    "siblings_share_their_makers_variables": """
        function mk(step) {
            let n = 0;
            function bump(k) { n += step * k; return n; }
            function run(k) { let t = 0; for (let i = 0; i < k; i++) t += bump(i) % 97; return t; }
            let s = 0;
            for (let i = 0; i < 300; i++) s += run(9);
            return s + n;
        }
        for (let r = 0; r < 14; r++) console.log(mk(r + 1));
    """,
    "closures_of_a_loops_fresh_bindings_keep_theirs": """
        function mk() {
            const fs = [];
            for (let i = 0; i < 6; i++) {
                let hits = 0;
                const g = (k) => { hits++; return k <= 0 ? i * 100 + hits % 100 : g(k - 1) + 1; };
                fs.push(g);
            }
            return fs;
        }
        const all = mk().concat(mk());
        let s = 0;
        for (let round = 0; round < 200; round++) for (let j = 0; j < all.length; j++) s += all[j](j % 5);
        console.log(s);
        for (let j = 0; j < all.length; j++) console.log(all[j](0));
    """,
    "escaped_closures_count_on_their_own": """
        function counter(step) {
            let total = 0;
            function add(k) { if (k === 0) return total; total += step; return add(k - 1); }
            return add;
        }
        const adders = [];
        for (let r = 0; r < 8; r++) adders.push(counter(r + 1));
        let sum = 0;
        for (let round = 0; round < 60; round++) for (let r = 0; r < 8; r++) sum += adders[r](20);
        console.log(sum);
        for (let r = 0; r < 8; r++) console.log(adders[r](0));
    """,
}


# A call of another closure of the function being compiled: its code reads
# the compiled closure's cells, so such a call must not become a call of it.
REFUSED = {
    "a_global_holding_the_first_closure_runs_it_with_its_variables": """
        var first;
        function mk(base, keep) {
            let v = base;
            function f(k) { if (k === 0) return v; v += 1; return (k === 3 ? first(k - 1) : 0) + f(k - 1); }
            if (keep) first = f;
            return f;
        }
        mk(5, true);
        let s = 0;
        for (let r = 0; r < 20; r++) {
            const g = mk(r * 1000, false);
            for (let i = 0; i < 200; i++) s += g(6);
            console.log(s);
        }
        console.log(first(0));
    """,
    "a_closure_calling_another_closure_of_its_function_runs_that_ones_code": """
        function mk(prev, base) {
            let v = base;
            function f(k) { v += 1; return k > 0 ? prev(k - 1) + v : v; }
            return f;
        }
        let chain = mk(null, 0);
        chain = mk(chain, 1000);
        const top = mk(chain, 2000000);
        let s = 0;
        for (let i = 0; i < 3000; i++) s += top(i % 3 === 0 ? 2 : 1);
        console.log(s, top(0), chain(0));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_nested_functions_keep_the_interpreters_rules(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_later_closures_enter_the_first_ones_code():
    """(The attacks above are tried on rebound closures, not only on the first.)"""
    s = assert_jit_matches_interpreter(PROGRAMS["a_cold_branch_in_a_later_closure_resumes_with_its_own_variables"])
    assert s["closures_rebound"] + s["loops_rebound"] >= 5, s
    assert s["cold_exits"] + s["deopts"] > 0, s


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_call_of_another_closure_is_not_a_call_of_this_code(name):
    expected, _ = run_program(REFUSED[name], jit=False)
    out, engine = run_program(REFUSED[name], jit=True)
    assert out == expected
    assert "calls another closure of its own function" in engine.tier.reasons["f"]
    assert not compiler_faults(engine.stats())
