"""Attacks on unnamed function expressions compiled in place as arrows are
(apps.js.inlining ``arrow_like``): ``each(xs, function (v, i) {..})``,
``a.map(function (x) { return .. })``.

Called plainly, such a function differs from the arrow with its body only
in what the call gives it of its own -- ``this``, ``arguments`` -- and in
being a function object (constructible, with a length, a name it may call
itself by).  The attacks give a callee already compiled with a plain
function in place functions that read ``this`` (sloppy and strict),
``arguments`` or their own name, and callees that construct the function
with ``new``, read its ``length``, ``name`` and ``prototype``, call it
through ``.call``, or keep it; and compare the JIT with the interpreter.
"""

from __future__ import annotations

import pytest

from .jit_programs import assert_jit_matches_interpreter, run_program

_RUN = """
    function plain(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += PLAIN;
        return s;
    }
    function hostile(n) {
        let s = 0;
        for (let i = 0; i < n; i++) s += BODY;
        return s;
    }
    for (let r = 0; r < 10; r++) { plain(300); hostile(300); }
    console.log(plain(3000), hostile(3000));
"""


def _program(helpers: str, body: str, plain: str = "") -> str:
    """``body`` beside a call of the same callee with a function it may
    compile in place (``plain``, else ``body`` with a plain function)."""
    return helpers + _RUN.replace("PLAIN", plain or _plain(body)).replace("BODY", body)


def _plain(body: str) -> str:
    callee = body.split("(", 1)[0]
    return f"{callee}(function (x) {{ return x + 1; }}, i)"


PROGRAMS = {
    "this_in_a_sloppy_function": _program(
        "var v = 3; function call(f, x) { return f(x); }",
        "call(function (x) { return this === undefined ? -x : x + (this.v === 3 ? 1 : 2); }, i)",
    ),
    "this_in_a_strict_function": _program(
        "function call(f, x) { return f(x); }",
        'call(function (x) { "use strict"; return this === undefined ? -x : x; }, i)',
    ),
    "a_named_function_calling_itself_by_its_name": _program(
        "function call(f, x) { return f(x % 12); }",
        "call(function fact(k) { return k <= 1 ? 1 : k * fact(k - 1); }, i)",
    ),
    "a_named_function_reading_its_name": _program(
        "function call(f, x) { return f(x); }",
        "call(function g(x) { return typeof g === 'function' ? x : -x; }, i)",
    ),
    "arguments_counted": _program(
        "function call(f, x) { return f(x, x, x); }",
        "call(function (x) { return arguments.length * 1000 + x; }, i)",
    ),
    "a_var_it_declares_and_a_variable_it_writes": """
        function each(a, f) { for (let k = 0; k < a.length; k++) f(a[k], k); }
        function run(n) {
            let t = 0;
            for (let i = 0; i < n; i++) {
                each([i, i + 1, i + 2], function (x, k) { var y = x * k; if (k === 1) { var z = y; t += z; } t += y; });
            }
            return t;
        }
        for (let r = 0; r < 10; r++) run(300);
        console.log(run(3000));
    """,
    "callbacks_of_array_methods": """
        function run(n) {
            let s = 0, c = 0;
            for (let i = 0; i < n; i++) {
                const a = [i, i + 1, i + 2, i + 3];
                s += a.map(function (x) { return x * 3; }).reduce(function (p, x) { return p + x; }, 0);
                a.forEach(function (x, k) { if (k === 2) a.pop(); c += x; });
                s += a.filter(function (x) { return x % 2 === 0; }).length;
                if (a.some(function (x) { return x === 7; })) c++;
            }
            return [s, c];
        }
        for (let r = 0; r < 10; r++) run(300);
        console.log(run(3000).join(" "));
    """,
}


# The callee uses the function other than by calling it: nothing can be
# compiled in place there, for an arrow either -- the interpreter's answers
REFUSED = {
    "constructed_with_new": _program(
        "function build(F, x) { const o = new F(x); return o.v; }",
        "build(function (x) { return { v: x * 2 }; }, i)",
    ),
    "its_length_name_and_prototype_read": _program(
        "function probe(f, x) { return f.length * 100 + (f.name === '' ? 7 : 9) + typeof f.prototype + f(x); }",
        "probe(function (a, b) { return a + 1; }, i).length",
    ),
    "called_through_call_and_apply": _program(
        "function via(f, x) { return f.call(null, x) + f.apply(null, [x]); }",
        "via(function (x) { return x + 1; }, i)",
    ),
    "kept_by_the_callee": _program(
        "var kept = null; function keep(f, x) { kept = f; return f(x); }",
        "keep(function (x) { return x + 1; }, i) + (kept === null ? 0 : kept(1))",
        "keep((x) => x + 2, i)",
    ),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_function_expressions_keep_the_interpreters_results(name):
    assert_jit_matches_interpreter(PROGRAMS[name])


def test_a_function_expression_is_compiled_in_place():
    """``each(xs, function (v, i) {..})`` in a hot loop: the loop compiles
    (it was refused, "Func expressions") with ``each`` and the function's
    body in place."""
    s = assert_jit_matches_interpreter(
        """
        function each(a, f) { for (let k = 0; k < a.length; k++) f(a[k], k); }
        let t = 0;
        function run(n) { for (let i = 0; i < n; i++) each([i, 2], function (x, k) { t += x * k; }); }
        run(3000);
        console.log(t);
    """
    )
    assert s["loops_compiled"] >= 1, s
    assert not any("Func expressions" in r for r in s.get("not_compiled_reasons", {}).values()), s


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_callee_using_the_function_as_a_value_keeps_the_interpreters_results(name):
    expected, _ = run_program(REFUSED[name], jit=False)
    out, engine = run_program(REFUSED[name], jit=True)
    assert out == expected
    why = " ".join(engine.stats().get("not_compiled_reasons", {}).values())
    assert "used other than by calling it" in why or "new of something" in why, why
