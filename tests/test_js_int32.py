"""apps/js JIT: int32 arithmetic and inline caches in compiled code against
the interpreter (which the conformance suite pins to node).  Random expressions over
integer edge values -- 0, -1, the int32 limits, powers of two -- in a hot
loop: each either stays int32 with every check passing, or fails a check
(overflow, -0, a negative remainder) and is compiled again with doubles;
either way the program prints what the interpreter prints, bit for bit."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from libmpk.apps.js.engine import Engine

EDGES = [0, 1, -1, 2, 3, 7, -7, 31, 32, 255, 65535, 65536, 2**30, 2**31 - 1, -(2**31), -(2**31) + 1, 46341]
BINARY = ["+", "-", "*", "%", "&", "|", "^", "<<", ">>", ">>>"]


def exprs() -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(["a", "b", "i"]), st.sampled_from(EDGES).map(str))
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            st.tuples(st.sampled_from(["-", "~", "+"]), inner).map(lambda t: f"({t[0]} {t[1]})"),
        ),
        max_leaves=6,
    )


def _run(src: str, jit: bool) -> tuple[str, dict]:
    out = io.StringIO()
    engine = Engine(out=out, jit=jit, hot_loops=1)
    r = engine.run_source(src, "int32.js")
    assert r.error is None, r.error_text
    return out.getvalue(), (engine.stats() if jit else {})


def engine_reasons(stats: dict) -> list[str]:
    return list(stats.get("not_compiled_reasons", {}).values())


@settings(max_examples=60, deadline=None)
@given(exprs(), st.sampled_from(EDGES), st.sampled_from(EDGES))
def test_int32_arithmetic_in_compiled_loops_matches_the_interpreter(expr, a, b):
    src = (
        "function f() {\n"
        f"  let a = {a}, b = {b}, s = 0, last = 0;\n"
        f"  for (let i = 0; i < 3000; i++) {{ last = {expr}; s = (s + (last | 0)) | 0; }}\n"
        "  console.log(s, last, Object.is(last, -0));\n"
        "}\n"
        "f();\n"
    )
    want, _ = _run(src, jit=False)
    got, stats = _run(src, jit=True)
    assert got == want, (src, stats)
    assert stats["loops_compiled"] >= 1, stats  # the loop ran compiled (and again with doubles if a check failed)


VALUES = ["1", "2.5", "-0", "NaN", '"7"', "true", "undefined", "null", "{valueOf() { return 3; }}"]


def objects() -> st.SearchStrategy[str]:
    prop = st.tuples(st.sampled_from(["x", "y", "z", "w"]), st.sampled_from(VALUES))
    return st.lists(prop, max_size=4).map(lambda ps: "{" + ", ".join(f"{k}: {v}" for k, v in ps) + "}")


@settings(max_examples=40, deadline=None)
@given(st.lists(objects(), min_size=1, max_size=6), st.sampled_from(["o.x + k", "o.x * o.y", "(o.y | 0) + k", "o.y"]))
def test_inline_caches_on_random_shapes_match_the_interpreter(objs, update):
    """Objects of random key orders and value kinds (numbers, -0, NaN, a
    string, a boolean, an accessor-free valueOf, missing keys) through load
    and store caches -- ``o.x = o.y`` copies whatever ``y`` holds, a string
    into a number's slot among them: hits, patches, megamorphic sites and
    deopts alike leave every object and sum as the interpreter leaves them.  (f runs in
    g's compiled loop: a loopless leaf taking objects is not entered from
    the interpreter by itself, apps.js.jittypes.entry_declined.)"""
    src = (
        f"const objs = [{', '.join(objs)}];\n"
        f"function f(o, k) {{ o.x = {update}; return o.y * 2 + o.x; }}\n"
        "function g(objs, r) { let s = 0; for (let j = 0; j < objs.length; j++) s += f(objs[j], r); return s; }\n"
        "let s = 0;\n"
        "for (let r = 0; r < 30; r++) s += g(objs, r);\n"
        "console.log(String(s), JSON.stringify(objs), objs.map((o) => Object.is(o.x, -0)).join());\n"
    )
    want, _ = _run(src, jit=False)
    got, stats = _run(src, jit=True)
    assert got == want, (src, stats)
    # f ran compiled, through its caches -- unless a property only ever held
    # objects or strings where f does arithmetic on it (typed so: refused),
    # or f's string sums made g's total both a number and a string
    why = engine_reasons(stats)
    refused = tuple(f"'{op}' on {t}" for op in "+*|" for t in ("obj", "str"))
    mixed = re.compile(r"'\w+' holds both \w+ and (str|obj)$|'\w+' holds both (str|obj) and ")
    assert stats["ic_sites"] >= 1 or any(r.startswith(refused) or mixed.match(r) for r in why), stats
