"""Attacks on what compiled code takes as given without calling it.

Small leaf functions are copied into the modules of the loops and functions
that call them, for LLVM to inline (codegen.ModuleBuilder.private_copy): each
program below makes such a copy, then breaks what it relied on -- an int32
that overflows in the copy, the function replaced halfway through a loop, a
global it reads turning into a double then a string, a Math built-in it calls
replaced -- before and after the O2 build lands (``settle()``).

Built-ins compiled in as intrinsics (Math.f, Math.PI, Number.isInteger and
its kin, Number's constants, the globals isNaN and isFinite, console.log,
String.prototype.charCodeAt/codePointAt, Array.prototype.fill -- also behind
``const a = new Array(n); a.fill(v);``, compiled as one allocation -- and the arrays'
[Symbol.iterator] a compiled for-of reads past) are guarded at
every entry to be the engine's still (jittypes.Typer.builtin_property): each
program makes a loop hot on one, then replaces it, rebinds its global, makes
it a getter or deletes it.

The JIT's output must be node's (recorded here) and the interpreter's, and
compiled code must have run."""

from __future__ import annotations

import pytest

from libmpk.apps.js.values import UNDEFINED, Builtin

from .jit_programs import run_program, settle

COPIES = {  # (name: program, node's output)
    "copies_keep_negative_zero_NaN_booleans_and_doubles": (
        """\
function neg(x) { return -x; }
function isz(x) { return x === 0 && 1 / x < 0; }
function half(x, y) { return x % y; }
function cmp(a, b) { return a < b; }
function rnd(x) { return Math.round(x) + Math.trunc(-x) + Math.sign(x); }
function big(x) { return x * x * x; }
function run(n) {
  let s = 0, z = 0, b = 0, nan = 0;
  for (let i = 0; i < n; i++) {
    const v = neg(i % 3 === 0 ? 0 : i);
    if (isz(v)) z++;
    const h = half(i - 50, (i % 7) - 3);
    if (h !== h) nan++; else s += h;
    if (cmp(i % 5, 2)) b++;
    s += rnd(i / 4 - 10.5) + big(i % 2000);
  }
  return [s, z, b, nan].join();
}
let out = [];
neg(1); neg(2); isz(1); isz(2); half(1, 2); half(3, 4); cmp(1, 2); cmp(2, 1); rnd(1.5); rnd(2.5); big(2); big(3);
for (let k = 0; k < 10; k++) out.push(run(3000));
out.push(run(3000), run(100000));
console.log(out[0] === out[9], out[10], out[11]);
""",
        "true 4245501255621,1000,1200,429 199800050192692,33334,40000,14286\n",
    ),
    "the_copy_overflows_int32_after_the_switch": (
        """\
function sq(a, b) { return a * b + 1; }
function run(n, big) { let s = 0; for (let i = 0; i < n; i++) { s = (s + sq(i, big)) % 1000003; } return s; }
let t = sq(1, 2) + sq(2, 3) + sq(3, 4);
for (let k = 0; k < 30; k++) t += run(3000, 7);
settle();
t += run(3000, 2000000000);
t += run(3000, 5);
console.log(t);
""",
        "15351640\n",
    ),
    "the_copied_function_is_replaced_mid_loop": (
        """\
function A(i, j) { return i * 2 + j; }
function run(n) {
  let s = 0;
  for (let i = 0; i < n; i++) { s += A(i, 1); if (i === 1500 && n === 3001) A = function (i, j) { return i - j; }; }
  return s;
}
let t = A(1, 1) + A(2, 2) + A(3, 3);
for (let k = 0; k < 20; k++) t += run(3000);
settle();
t += run(3001);
t += run(3000);
console.log(t);
""",
        "190122769\n",
    ),
    "a_global_the_copy_reads_changes_kind": (
        """\
let scale = 3;
function f(x) { return x * scale + 1; }
function run(n) {
  let s = 0;
  for (let i = 0; i < n; i++) { s += f(i); if (i === 2000 && n === 3001) scale = 2.5; }
  return s;
}
let t = f(1) + f(2) + f(3);
for (let k = 0; k < 20; k++) t += run(3000);
settle();
t += run(3001);
t += run(3000);
scale = "x";
console.log(t, run(3000));
""",
        "293476522 NaN\n",
    ),
    "the_copy_deoptimises_and_its_math_builtin_is_replaced": (
        """\
function g(x, y) { const d = x - y; return d < 0 ? -d : Math.floor(d / 2) * 2; }
function run(a) { let s = 0; for (let i = 0; i + 1 < a.length; i++) s += g(a[i], a[i + 1]); return s; }
const a = []; for (let i = 0; i < 3000; i++) a[i] = (i * 7919) % 1013;
let t = g(1, 2) + g(5, 3) + g(0, 0);
for (let k = 0; k < 20; k++) t += run(a);
settle();
for (let k = 0; k < 20; k++) t += run(a);
a[1500] = 0.5;
t += run(a);
a[1700] = 2147483647; a[1701] = -2147483648;
t += run(a);
Math.floor = (x) => 1000;
t += run(a);
console.log(t);
""",
        "12928250853.5\n",
    ),
    "a_callee_reading_a_global_array_is_not_copied": (
        """\
const w = [1, 2, 3];
function cap(x) { return x * w[x % 3]; }
function run(n) { let s = 0; for (let i = 0; i < n; i++) s += cap(i); return s; }
let t = cap(1) + cap(2);
for (let k = 0; k < 20; k++) t += run(3000);
w[1] = 0.5;
t += run(3000);
console.log(t);
""",
        "186729758\n",
    ),
}

CODE_POINTS = (  # (program, node's output): surrogate pairs, lone surrogates, past the end, a fractional index
    """\
function codes(s) { let t = 0; for (let i = 0; i < s.length; i++) t += s.codePointAt(i); return t; }
function past(s) {
  let u = 0;
  for (let i = 0; i < s.length + 2; i++) { const c = s.codePointAt(i); if (c === undefined) u++; else u += c & 7; }
  return u;
}
function frac(s) { let t = 0; for (let i = 0; i < s.length; i++) t += s.codePointAt(i + 0.5); return t; }
let t = 0, u = 0, f = 0;
const s = "h\\u00e9llo \\ud83d\\ude00 w\\u00f6rld \\ud83d x\\ude00".repeat(30);
for (let k = 0; k < 200; k++) { t += codes(s); u += past(s); f += frac(s); }
console.log(t, u, f, s.codePointAt(s.length - 1), "\\ud83d".codePointAt(0));
""",
    "1794792000 264400 1794792000 56832 55357\n",
)

GUARDS = {  # (name: program, node's output)
    "Array_prototype_Symbol_iterator_replaced_and_restored": (
        """\
function sum(a) { let s = 0; for (const x of a) s += x; return s; }
const a = []; for (let i = 0; i < 500; i++) a.push(i);
let t = 0;
for (let k = 0; k < 50; k++) t += sum(a);
const orig = Array.prototype[Symbol.iterator];
Array.prototype[Symbol.iterator] = function* () { yield 1000; yield 2000; };
t += sum(a);
Array.prototype[Symbol.iterator] = orig;
t += sum(a);
a[Symbol.iterator] = function* () { yield 7; };
t += sum(a);
console.log(t);
""",
        "6365257\n",
    ),
    "an_arrays_own_Symbol_iterator_and_a_subclass_s": (
        """\
function sum(a) { let s = 0; for (const x of a) s += x; return s; }
const a = []; for (let i = 0; i < 500; i++) a.push(i);
const b = a.slice();
let t = 0;
for (let k = 0; k < 50; k++) t += sum(a) + sum(b);
b[Symbol.iterator] = function* () { yield 7; };
t += sum(a) + sum(b);
class Stack extends Array { *[Symbol.iterator]() { yield -1; } }
const st = new Stack(); for (let i = 0; i < 500; i++) st.push(i);
t += sum(st);
console.log(t, [...b], [...st], Array.from(st));
""",
        "12599756 [ 7 ] [ -1 ] [ -1 ]\n",
    ),
    "Array_and_its_fill_replaced_under_an_array_declared_then_filled": (
        """\
function make(n) { const a = new Array(n); a.fill(1); return a[0] + a[n - 1] * 2 + a.length; }
let t = 0;
for (let k = 0; k < 400; k++) t += make(3 + (k % 5));
settle();
for (let k = 0; k < 400; k++) t += make(3 + (k % 5));
const orig = Array.prototype.fill;
Array.prototype.fill = function (v) { orig.call(this, v + 1); };
t += make(30);
const getter = { get() { return function (v) { orig.call(this, -v); return 0; }; }, configurable: true };
Object.defineProperty(Array.prototype, "fill", getter);
t += make(30);
Object.defineProperty(Array.prototype, "fill", { value: orig, writable: true, configurable: true });
t += make(30);
const A = Array;
globalThis.Array = function (n) { return A.of(5, 6, 7); };
t += make(3);
globalThis.Array = A;
t += make(30);
console.log(t);
""",
        "6535\n",
    ),
    "Math_sqrt_replaced": (
        """\
function run(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
Math.sqrt = (x) => -x;
t += run(3000);
console.log(t);
""",
        "-2308161.6350468253\n",
    ),
    "the_Math_global_rebound": (
        """\
function run(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.abs(i - 1500); return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
Math = { abs: (x) => 1 };
t += run(3000);
console.log(t);
""",
        "45003000\n",
    ),
    "Math_max_made_a_getter": (
        """\
function run(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.max(i, 1000); return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
let reads = 0;
Object.defineProperty(Math, "max", { get() { reads++; return (a, b) => a + b; }, configurable: true });
t += run(3000);
console.log(t, reads);
""",
        "107478500 3000\n",
    ),
    "Math_PI_written_to": (
        """\
function run(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.PI * i; return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
Math.PI = 3;
t += run(3000);
console.log(t, Math.PI);
""",
        "296781545.5956473 3.141592653589793\n",
    ),
    "Number_isInteger_made_a_getter": (
        """\
function run(n) { let s = 0; for (let i = 0; i < n; i++) if (Number.isInteger(i / 3)) s += i; return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
let reads = 0;
Object.defineProperty(Number, "isInteger", { get() { reads++; return (v) => v > 900; }, configurable: true });
t += run(3000);
console.log(t, reads);
""",
        "30822150 3000\n",
    ),
    "the_Number_global_rebound": (
        """\
function run(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += Number.isNaN(i / (i % 4)) ? 1 : Number.EPSILON > 0 ? 2 : 3;
  return s;
}
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
Number = { isNaN: (v) => true, EPSILON: -1 };
t += run(3000);
console.log(t);
""",
        "122980\n",
    ),
    "Number_EPSILON_written_to": (
        """\
function run(n) { let s = 0; for (let i = 0; i < n; i++) s += Number.EPSILON * i + Number.MAX_SAFE_INTEGER; return s; }
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
Number.EPSILON = 5;
Number.MAX_SAFE_INTEGER = 0;
t += run(3000);
console.log(t, Number.EPSILON);
""",
        "567453553048682400000 2.220446049250313e-16\n",
    ),
    "isFinite_swapped_mid_loop": (
        """\
const orig = isFinite;
function flip() { isFinite = isFinite === orig ? (v) => false : orig; return 0; }
function run(n) {
  let s = 0;
  for (let i = 0; i < n; i++) { if (i % 700 === 699) s += flip(); if (isFinite(i / (i % 5))) s++; }
  return s;
}
let t = 0;
for (let k = 0; k < 20; k++) t += run(3000);
console.log(t);
""",
        "25600\n",
    ),
    "String_prototype_charCodeAt_replaced": (
        """\
function codes(s) { let t = 0; for (let i = 0; i < s.length; i++) t += s.charCodeAt(i); return t; }
let t = 0;
const s = "hello world, this is a string".repeat(20);
for (let k = 0; k < 300; k++) t += codes(s);
String.prototype.charCodeAt = function (i) { return 1; };
t += codes(s);
console.log(t);
""",
        "16248580\n",
    ),
    "String_prototype_codePointAt_deleted": (
        """\
function codes(s) { let t = 0; for (let i = 0; i < s.length; i++) t += s.codePointAt(i); return t; }
let t = 0;
const s = "héllo wörld ".repeat(40);
for (let k = 0; k < 300; k++) t += codes(s);
delete String.prototype.codePointAt;
try { t += codes(s); } catch (e) { console.log(e.constructor.name); }
console.log(t);
""",
        "TypeError\n16980000\n",
    ),
    "Array_prototype_fill_replaced": (
        """\
function make(n) {
  let t = 0;
  for (let r = 0; r < 50; r++) { const a = new Array(n).fill(2); for (let i = 0; i < n; i++) t += a[i]; }
  return t;
}
let t = 0;
for (let k = 0; k < 30; k++) t += make(100);
Array.prototype.fill = function (v) { for (let i = 0; i < this.length; i++) this[i] = 5; return this; };
t += make(100);
console.log(t);
""",
        "325000\n",
    ),
}


def _noop(engine) -> Builtin:
    return Builtin("settle", lambda args: UNDEFINED)


def _check(program: str, node: str) -> dict:
    """Run ``program`` with the JIT and in the interpreter; both must print
    node's output, and compiled code must have run.  (The JIT's counts.)"""
    out, engine = run_program(program, jit=True, globals_={"settle": settle})
    assert out == node
    expected, _ = run_program(program, jit=False, globals_={"settle": _noop})
    assert expected == node
    s = engine.tier.snapshot()
    assert s["native_calls"] + s["osr_entries"] > 0, s
    return s


@pytest.mark.parametrize("name", sorted(COPIES))
def test_a_copied_callee_behaves_as_the_original(name):
    program, node = COPIES[name]
    s = _check(program, node)
    if name.endswith("_is_not_copied"):  # (its elements may change kind: no copy)
        assert s["callees_copied"] == 0, s
    else:
        assert s["callees_copied"] >= 1, s  # (else the attack tried nothing)


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_a_replaced_builtin_is_noticed_by_compiled_code(name):
    program, node = GUARDS[name]
    _check(program, node)


def test_code_points_in_compiled_code_are_nodes():
    """codePointAt compiled (pairs joined, lone surrogates as themselves);
    past the end it is undefined, which compiled code leaves to the
    interpreter, never a number."""
    _check(*CODE_POINTS)
