"""Random programs against the JIT: objects of random layouts and value
kinds (numbers, -0, NaN, booleans, null, objects, numeric arrays, strings)
flow through a compiled loop that loads, tests and stores their
properties; then the program changes what compiled code has learnt -- a
property's kind, a deleted or inherited key, a getter, a new layout -- and
runs the loop again.  A second family does the same with instances of
three classes: method calls through call caches, references between the
objects, and twists to prototypes and own methods; a third with packed
arrays (numbers, booleans) and arrays of objects, their elements, holes
and lengths, twisted by a push, a shrink, a getter, a string, a freeze; a fourth
with arrows compiled in place three functions deep, writing variables of
every enclosing function.  The array family swaps elements by
destructuring, filters arrays its arrow pops, searches them (some, every,
findIndex), appends by storing at the length, scans for values
(includes, indexOf, lastIndexOf), reads patterns in place and spreads
into Math.max/min.  Stores
include read-modify-writes whose key has a side effect (``xs[k++] += v``).  Whatever compiled,
deoptimised, exited cold or fell back, the output (every sum, every
object's final state, an error's message) must be the interpreter's."""

from __future__ import annotations

import io
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from libmpk.apps.js.engine import Engine

from .jit_programs import compiler_faults

VALUES = {
    "a": ["1", "2.5", "-3", "-0", "NaN", "2147483647", "true", "null", "L[0]", '"s"'],
    "b": ["true", "false", "0", "1.5", "null"],
    "c": ["null", "L[0]", "L[1]", "L[2]", "7", "undefined"],
    "d": ["[1, 2, 3]", "[0.5]", "null", "[true, false]", "[]"],
    "e": ['"e"', "0", "null"],
}

LOADS = [
    "o.a",
    "(o.a | 0)",
    "(o.b ? 1 : 2)",
    "(o.c === null ? 3 : o.c.a)",
    "(o.c !== null && o.c !== undefined ? o.c.a * 2 : 4)",
    "(o.d === null ? 0 : o.d.length)",
    "(o.d !== null && o.d.length > 0 ? o.d[i % o.d.length] : 5)",
    "(o.a * 2 + i)",
    "(i > 300 ? o.a : 7)",
    "(o.e === null ? 1 : 0)",
    "(o.a > i ? o.a : i)",
    "(o.a ?? 11)",
    "((o.c ?? L[1]).a)",
]

STORES = [
    "o.a = {load};",
    "o.a = o.a + 1;",
    "o.b = !o.b;",
    "o.c = (i & 1) ? null : L[i % 3];",
    "o.d = (i & 3) === 0 ? null : A;",
    "if (o.b) {{ s += 1; }} else {{ o.a = i; }}",
    "s += {load};",
    "s = (s + {load}) % 1000003;",
    # read-modify-writes: the object and key are evaluated once, before the right-hand side
    "o.a += {load};",
    "o.a++;",
    "{{ let k = i; objs[k++ % objs.length].a -= k; s += k; }}",
    "{{ let k = i; --objs[k++ % objs.length].a; s += k; }}",
]

TWISTS = [
    "objs[0].a = true;",
    "objs[objs.length - 1].c = 5;",
    "delete objs[0].a;",
    "objs.push({e: 1, a: 2, d: null});",
    'Object.defineProperty(objs[0], "a", {get() { return 9; }, configurable: true});',
    "Object.setPrototypeOf(objs[0], {a: 4, c: null});",
    "objs[0].d = [4, 5];",
    "objs[0].c = {a: 1, q: 2};",
    "objs[0].b = null;",
    "L[0].a = 0.25;",
    "objs.reverse();",
    "",
]

DUMP = """
function fmt(v) {
  if (v === null || typeof v !== "object") return Object.is(v, -0) ? "-0" : String(v);
  return Array.isArray(v) ? "[" + v.join(",") + "]" : "obj" + fmt(v.a);
}
console.log(out.map(fmt).join(" "));
console.log(objs.map((o) => Object.keys(o).map((k) => k + "=" + fmt(o[k])).join(";")).join("|"));
"""


OBJ_ARG = "objs[i % objs.length]"  # (what each iteration steps: one of the objects in turn)


@st.composite
def programs(draw) -> str:
    objs = []
    for _ in range(draw(st.integers(1, 4))):
        keys = draw(st.permutations(list(VALUES)))[: draw(st.integers(1, 5))]
        objs.append("{" + ", ".join(f"{k}: {draw(st.sampled_from(VALUES[k]))}" for k in keys) + "}")
    body = []
    for _ in range(draw(st.integers(1, 5))):
        stmt = draw(st.sampled_from(STORES))
        body.append("  " + stmt.format(load=draw(st.sampled_from(LOADS))))
    return (
        "const L = [{a: 1}, {a: 2.5}, {a: -3}];\n"
        "const A = [1, 2, 3];\n"
        f"const objs = [{', '.join(objs)}];\n" + _hot_twice(body, draw(st.sampled_from(TWISTS))) + DUMP
    )


def _hot_twice(body: list, twist: str, params: str = "o", run_params: str = "objs", args: str = OBJ_ARG) -> str:
    """``step(params, i)`` (its statements ``body``, returning their sum)
    called 600 times from a loop -- hot enough to compile -- then ``twist``,
    then 600 more; each phase's total goes to ``out``."""
    return (
        f"function step({params}, i) {{\n  let s = 0;\n" + "\n".join(body) + "\n  return s;\n}\n"
        f"function run({run_params}, n) {{\n"
        "  let t = 0;\n"
        f"  for (let i = 0; i < n; i++) t += step({args}, i);\n"
        "  return t;\n"
        "}\n"
        f"const out = [run({run_params}, 600)];\n"
        f"{twist}\n"
        f"out.push(run({run_params}, 600));\n"
    )


def _assert_jit_matches_interpreter(src: str) -> None:
    want, _ = _run(src, jit=False)
    got, stats = _run(src, jit=True)
    assert got == want, src
    # (a compiler bug declines the code and the interpreter's answer stands:
    # right output, and a slow program nobody would see -- unless asked)
    assert not compiler_faults(stats), src


# When the compiler loads decides what is compiled together: loaded at the
# first hot code, units come one by one; loaded later, a loop and the
# function around it, or a function and its callees, share one module
# (and one batch of typing).  Each program gets one of these, by its hash.
LOAD_POINTS = [(0, 0), (50, 300), (400, 1000)]  # (load_calls, load_loops)


def _run(src: str, jit: bool) -> tuple[str, dict | None]:
    out = io.StringIO()
    calls, loops = LOAD_POINTS[zlib.crc32(src.encode()) % len(LOAD_POINTS)]
    engine = Engine(out=out, jit=jit, hot_loops=100, load_calls=calls, load_loops=loops)
    r = engine.run_source(src, "fuzz.js")
    text = out.getvalue() + ("" if r.error is None else r.error_text.splitlines()[-1])
    return text, engine.stats() if jit else None


@settings(max_examples=60, deadline=None)
@given(programs())
def test_random_programs_print_what_the_interpreter_prints(src):
    _assert_jit_matches_interpreter(src)


CLASSES = """
class P { constructor(a) { this.a = a; this.n = null; } m(i) { return this.a + i; } }
class Q extends P { m(i) { return this.a * 2; } }
class R { constructor() { this.a = 1.5; this.n = null; this.f = true; } m(i) { return i & 7; } }
"""

INSTANCES = ["new P(1)", "new P(-2.5)", "new Q(3)", "new Q(0.5)", "new R()", "{a: 2, n: null, m(i) { return 1; }}"]

METHOD_STMTS = [
    "s += o.m(i);",
    "o.n = objs[i % objs.length];",
    "s += o.n === null ? 0 : o.n.a;",
    "o.a = o.a + 1;",
    "s += o.a;",
    "if (o.n !== null) {{ o.n.a = o.n.a * 0.5; }}",
    "s = (s + o.m(i) * 3) % 1000003;",
    "o.n = null;",
]

METHOD_TWISTS = [
    "P.prototype.m = function (i) { return -i; };",
    "objs[0].m = function () { return 100; };",
    'Object.defineProperty(Q.prototype, "m", {get() { return () => 5; }, configurable: true});',
    "objs.push(new R());",
    "delete Q.prototype.m;",
    "objs[0].a = null;",
    "objs[0].n = 3;",
    "Object.setPrototypeOf(objs[0], R.prototype);",
    "",
]


@st.composite
def method_programs(draw) -> str:
    objs = draw(st.lists(st.sampled_from(INSTANCES), min_size=1, max_size=4))
    body = ["  " + draw(st.sampled_from(METHOD_STMTS)).format() for _ in range(draw(st.integers(1, 5)))]
    return (
        CLASSES + f"const objs = [{', '.join(objs)}];\n" + _hot_twice(body, draw(st.sampled_from(METHOD_TWISTS))) + DUMP
    )


@settings(max_examples=40, deadline=None)
@given(method_programs())
def test_random_method_programs_print_what_the_interpreter_prints(src):
    _assert_jit_matches_interpreter(src)


ARRAYS = {
    "xs": ["new Array(8).fill(0)", "[1, 2.5, -0, NaN, 4]", "[true, false, true]", "new Array(5).fill(true)", "[]"],
    "os": ["[L[0], L[1], L[2]]", "[L[0], null, L[2]]", "[L[1]]", "new Array(3)", "[L[0], undefined]"],
}

ARRAY_STMTS = [
    "s += xs.length;",
    "if (xs.length > 0) {{ s += xs[i % xs.length]; }}",
    "if (xs.length > 0) {{ xs[i % xs.length] = xs[(i + 1) % xs.length] + 1; }}",
    "if (xs.length > 0) {{ xs[i % xs.length] = (i & 1) === 0; }}",
    "if (os.length > 0) {{ const o = os[i % os.length]; s += o === null || o === undefined ? 1 : o.a; }}",
    "if (os.length > 1) {{ os[i % os.length] = os[(i + 1) % os.length]; }}",
    "if (os.length > 0) {{ os[0] = (i & 3) === 0 ? null : L[i % 3]; }}",
    "s = (s + (xs.length > 2 ? xs[2] * 3 : 0)) % 1000003;",
    "if (xs.length > 1) {{ let k = i; xs[k++ % xs.length] += xs[k % xs.length]; s += k; }}",
    "if (xs.length > 0) {{ let k = i; xs[k++ % xs.length]++; s += k; }}",
    "if (xs.length > 0) {{ let k = i; xs[k % xs.length] = (k = k + 1); s += k; }}",
    # swaps (values first, then each target's key and store) and callbacks that shrink their array
    "if (xs.length > 1) {{ const j = i % (xs.length - 1); [xs[j], xs[j + 1]] = [xs[j + 1], xs[j]]; }}",
    "if (os.length > 1) {{ [os[0], os[os.length - 1]] = [os[os.length - 1], os[0]]; }}",
    "{{ let k = i; [xs[k++ % 4], s] = [s % 7, s + k]; }}",
    "s += os.filter((o) => o !== null && o !== undefined && o.a > 0).length;",
    "s += xs.filter((x) => x > 0.5 && (i % 97 !== 5 || xs.pop() !== undefined)).length;",
    # stores at the length (appends), and fresh arrays filled by index
    "if (xs.length < 40) {{ xs[xs.length] = i & 7; }}",
    "if (os.length < 30) {{ os[os.length] = L[i % 3]; }}",
    "{{ const t = []; for (let j = 0; j < 3; j++) t[j] = xs.length + j; s += t[2] + t.length; }}",
    "{{ const t = []; t[0] = (i & 1) === 0; t[1] = t[0]; s += t[1] ? 1 : 0; }}",
    # searches that stop at the first answer
    "if (xs.some((x) => x > 2 || (i % 89 === 3 && xs.pop() !== undefined))) {{ s += 1; }}",
    "if (xs.every((x) => x === x)) {{ s += 2; }}",
    "s += xs.findIndex((x) => x > 1) + os.findIndex((o) => o !== null && o !== undefined && o.a > 1);",
    # scans for a value, and patterns read in place
    "s += xs.indexOf(i % 5) + xs.lastIndexOf(1, (i % 9) - 4) + (xs.includes(NaN) ? 3 : 0);",
    "s += os.indexOf(L[i % 3]) + (os.includes(null, i % 4) ? 5 : 0) + os.lastIndexOf(L[0]);",
    "if (xs.length > 1) {{ const [p, q] = xs; s = (s + p * 2 + q) % 1000003; }}",
    "if (xs.length > 0) {{ s = (s + Math.max(...xs) - Math.min(...xs) * 2) % 1000003; }}",
    # global functions by name, and function expressions, where an arrow would be
    "s = (s + xs.map(dbl).reduce(sumUp, 0)) % 1000003;",
    "s += os.filter(hasA).length + (xs.some(pos) ? 4 : 0) + xs.findIndex(pos);",
    "xs.forEach(tally);",
    "xs.forEach(function (x, k) {{ s += x * k; }});",
    "s += xs.filter(function (x) {{ return x > 1; }}).length;",
]

ARRAY_TWISTS = [
    "xs.push(7);",
    "xs.length = 1;",
    'xs[1] = "s";',
    "xs[20] = 1;",
    "os.push({a: 9, b: 1});",
    "os[0] = 5;",
    "os.length = 0;",
    "L[1].a = null;",
    'Object.defineProperty(xs, "0", {get() { return 3; }, configurable: true});',
    "Object.setPrototypeOf(xs, {0: 11});",
    "Object.freeze(xs);",
    "Object.preventExtensions(os);",
    "pos = function (x) { return x < 0.5; };",
    "dbl = (x) => x - 1;",
    "sumUp = 3;",
    "",
]

ARRAY_HELPERS = """
let tallied = 0;
function pos(x) { return x > 0.5; }
function dbl(x, k) { return x * 2 + k; }
function sumUp(p, x) { return p + x; }
function hasA(o) { return o !== null && o !== undefined && o.a > 0; }
function tally(x, k) { tallied = (tallied + x * 3 + k) % 1000003; }
"""

ARRAY_DUMP = """
function fmt(v) {
  if (v === null || typeof v !== "object") return Object.is(v, -0) ? "-0" : String(v);
  return Array.isArray(v) ? "[" + v.map(fmt).join(",") + "]" : "obj" + fmt(v.a);
}
console.log(out.map(fmt).join(" "), fmt(xs), fmt(os), L.map(fmt).join(), tallied);
"""


@st.composite
def array_programs(draw) -> str:
    body = ["  " + draw(st.sampled_from(ARRAY_STMTS)).format() for _ in range(draw(st.integers(1, 5)))]
    return (
        "const L = [{a: 1}, {a: 2.5}, {a: -3}];\n"
        + ARRAY_HELPERS
        + f"const xs = {draw(st.sampled_from(ARRAYS['xs']))};\n"
        f"const os = {draw(st.sampled_from(ARRAYS['os']))};\n"
        + _hot_twice(body, draw(st.sampled_from(ARRAY_TWISTS)), "xs, os", "xs, os", "xs, os")
        + ARRAY_DUMP
    )


@settings(max_examples=40, deadline=None)
@given(array_programs())
def test_random_array_programs_print_what_the_interpreter_prints(src):
    _assert_jit_matches_interpreter(src)


# A fourth family: arrows compiled in place (a method that calls its callback,
# Array.prototype.forEach) inside a hot loop three functions deep, reading and
# writing variables of every enclosing function.  Each variable must be found
# in the frame of the function that declares it.
NESTED = """
class Bag {{
  constructor(xs) {{ this.xs = xs; }}
  each(fn) {{ for (let i = 0; i < this.xs.length; i++) fn(this.xs[i]); }}
  passOn(fn) {{ this.each(fn); }}
  wrapped(fn) {{ const k = this.xs.length; this.each((y) => fn(y + k)); }}
}}
function level0() {{
  let a0 = 1, b0 = 2, c0 = 3;
  const keep0 = () => [a0, b0, c0];
  function level1() {{
    let a1 = 10, b1 = 20, c1 = 30;
    const keep1 = () => [a1, b1, c1];
    function level2(bag, xs, i) {{
      let a2 = 100, b2 = 200, c2 = 300, t = 0;
      {body}
      return a2 * 1000003 + b2 * 1009 + c2 * 31 + t;  // (a number: a function unit compiles)
    }}
    const out = [];
    const bag = new Bag([1, 2, 3]);
    for (let r = 0; r < {calls_of_level2}; r++) out.push(level2(bag, [4, 5], r));
    return out.concat(keep1());
  }}
  return level1().concat(keep0());
}}
console.log(level0().join(" "));
"""
NESTED_VARS = ["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2", "t"]
NESTED_STMTS = ["{v} = {v} + x;", "t += {v};", "{v} = ({v} * 3 + x + i) % 1009;", "if (x > 2) {{ {v} -= 1; }}"]
NESTED_CALLS = [
    "bag.each((x) => {{ {stmts} }});",
    "xs.forEach((x) => {{ {stmts} }});",
    "bag.passOn((x) => {{ {stmts} }});",  # (the callback handed on to another method)
    "bag.wrapped((x) => {{ {stmts} }});",  # (called from an arrow of the callee's own)
]


@st.composite
def nested_programs(draw) -> str:
    calls = []
    for _ in range(draw(st.integers(1, 2))):
        stmts = [
            draw(st.sampled_from(NESTED_STMTS)).format(v=draw(st.sampled_from(NESTED_VARS)))
            for _ in range(draw(st.integers(1, 3)))
        ]
        calls.append(draw(st.sampled_from(NESTED_CALLS)).format(stmts=" ".join(stmts)))
    calls = "\n        ".join(calls)
    if draw(st.booleans()):  # a hot loop inside level2 (a loop unit), level2 called 3 times
        return NESTED.format(body=f"for (let i = 0; i < 300; i++) {{\n        {calls}\n      }}", calls_of_level2=3)
    keep = "const keep2 = () => a2;" if draw(st.booleans()) else ""  # (a closure not inlined, or none)
    return NESTED.format(body=f"{keep}\n      {calls}", calls_of_level2=300)  # (a function unit)


@settings(max_examples=40, deadline=None)
@given(nested_programs())
def test_random_callbacks_in_place_print_what_the_interpreter_prints(src):
    _assert_jit_matches_interpreter(src)
