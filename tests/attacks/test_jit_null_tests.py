"""Attacks on compiled null tests (``o.p === null`` answered from the
shape, apps.js.codegen ``_null_test``): a slot whose word is zero but holds
no reference -- the number 0, false, a string, a function -- must not read
as null; a slot that moves between kinds while compiled code runs, or an
object the site has never seen past its fourth shape, must still get the
interpreter's answer.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter

PROGRAMS = {
    "a_zero_word_that_is_no_reference_is_not_null": """
        class O { constructor(p) { this.p = p; } }
        function nulls(os, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                const o = os[i % os.length];
                if (o.p === null) s += 1;
                if (o.p == null) s += 10;
                if (o.p !== undefined) s += 100;
            }
            return s;
        }
        nulls([new O(null), new O(new O(1))], 5000);
        console.log(nulls([new O(0), new O(false), new O(""), new O(-0), new O(() => 0)], 5000));
        console.log(nulls([new O(null), new O(undefined), new O(0)], 5000));
    """,
    "a_slot_that_changes_kind_mid_run_is_tested_by_its_new_kind": """
        class O { constructor() { this.p = null; this.n = 0; } }
        function churn(os, n) {
            let s = 0;
            for (let i = 0; i < n; i++) {
                const o = os[i % os.length];
                if (o.p === null) { o.p = new Array(2); s += 1; } else { o.p = null; s += 2; }
                if (o.p !== null) s += 10;
            }
            return s;
        }
        const os = [new O(), new O(), new O()];
        console.log(churn(os, 6000), os.map((o) => o.p === null).join());
        os[1].p = "s"; os[2].p = 0;
        console.log(churn(os, 7), os.map((o) => typeof o.p).join());
    """,
    "many_shapes_at_one_site_keep_the_interpreters_answers": """
        function nulls(os, n) { let s = 0; for (let i = 0; i < n; i++) if (os[i % os.length].p != null) s++; return s; }
        const os = [];
        for (let k = 0; k < 12; k++) {
            const o = {};
            for (let j = 0; j < k; j++) o["x" + j] = j;
            o.p = k % 3 === 0 ? null : k % 3 === 1 ? [k] : "s" + k;
            os.push(o);
        }
        console.log(nulls(os.slice(0, 2), 4000), nulls(os, 12000));
        os[4].p = undefined; delete os[5].p;
        console.log(nulls(os, 12000));
    """,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_compiled_null_tests_give_the_interpreters_answers(name):
    assert_jit_matches_interpreter(PROGRAMS[name])
