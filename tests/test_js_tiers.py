"""apps/js JIT's two tiers: a module runs as a quick baseline build while
its O2 build is made by the background compiler, then switches -- loops at
a back-edge, functions at their entry pads -- with its inline caches as warm
as the baseline's.  Every program here must print what node prints whichever
build ran which part."""

from __future__ import annotations

import ctypes
import io
import subprocess
import sys

import pytest

from libmpk.apps.js.engine import Engine
from libmpk.apps.js.scope import Cell

from .attacks.jit_programs import run_program, settle

# Long enough (hundreds of ms even as O2) that the O2 build lands mid-run
# on any machine that runs the suite; the array writes go through the undo
# log, so a switch commits real state.
LOOP = """
const n = 30000000;
const a = new Array(64).fill(0);
let s = 0;
for (let i = 0; i < n; i++) {
  a[i & 63] = a[(i + 1) & 63] + (i % 7);
  s = (s + a[i & 63]) % 1000003;
}
console.log(s, a[0], a[63]);
"""

CALLS = """
function step(a, k) {
  let t = 0;
  for (let j = 0; j < a.length; j++) { a[j] = (a[j] * 31 + k + j) % 65521; t += a[j]; }
  return t;
}
const a = new Array(256).fill(1);
let total = 0;
for (let k = 0; k < 60000; k++) total = (total + step(a, k)) % 1000000007;
console.log(total, a[0], a[255]);
"""

# Loopless: the recursion in progress when the O2 build lands (tens of ms
# after the baseline) must follow the entry pads -- and a call with a new
# argument type after the switch compiles a new build of its own.
RECURSION = """
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
console.log(fib(34), fib(20.5), fib(25));
"""


def _reference(src: str) -> str:
    """The same program on one tier (O2 at once): the engine's answer
    without any switch, checked against node in the JIT cases elsewhere."""
    out = io.StringIO()
    e = Engine(out=out, background_jit=False)
    assert e.run_source(src, "ref.js").error is None
    return out.getvalue()


def _tiered(src: str) -> tuple[str, dict]:
    out = io.StringIO()
    e = Engine(out=out)
    assert e.run_source(src, "tiered.js").error is None
    return out.getvalue(), e.tier.snapshot()


def test_a_loop_switches_to_its_optimised_build_at_a_back_edge():
    out, s = _tiered(LOOP)
    assert out == _reference(LOOP)
    assert s["tier_ups_queued"] >= 1
    assert s["tier_ups"] >= 1, s
    assert s["tier_up_exits"] >= 1, s  # (the running baseline left and came back as O2)
    assert s["tier_up_exits"] <= 2 * s["tier_ups"], s  # (once per switch: the flag comes down)
    assert s["osr_entries"] <= 2 * s["tier_ups"] + 4, s
    assert s["deopts"] == 0 and s["tier_ups_failed"] == 0


def test_a_loop_of_calls_switches_through_the_callees_entry_pad():
    out, s = _tiered(CALLS)
    assert out == _reference(CALLS)
    assert s["tier_ups"] >= 1, s
    assert s["tier_up_redirects_refused"] == 0
    assert s["tier_up_exits"] <= 2 * s["tier_ups"], s  # (after a switch from a callee's entry, too)


def test_recursion_in_progress_switches_through_its_entry_pad():
    out, s = _tiered(RECURSION)
    assert out == _reference(RECURSION) == "5702887 12238 75025\n"
    assert s["tier_ups_queued"] >= 1 and s["tier_ups"] >= 1, s  # (loopless, yet two tiers)
    assert s["tier_up_redirects"] >= 1 and s["tier_up_redirects_refused"] == 0, s
    assert s["deopts"] == 0 and s["tier_ups_failed"] == 0, s


# Eight property sites, each seeing two shapes; settle() puts the O2 build in
# place mid-run (tests/attacks/jit_programs.py; node, with a no-op settle: 749934).
WARM = """
function norm(ps, n) {
  let s = 0;
  for (let i = 0; i < n; i++) { const p = ps[i & 1]; s = (s + p.x * p.x + p.y * 3 + p.z) % 1000003; }
  return s;
}
const ps = [{x: 1, y: 2, z: 3}, {z: 4, y: 5, x: 6}];
let t = 0;
for (let k = 0; k < 300; k++) t = (t + norm(ps, 2000)) % 1000003;
settle();
for (let k = 0; k < 50; k++) t = (t + norm(ps, 2000)) % 1000003;
console.log(t);
"""


def test_the_optimised_build_starts_with_the_baselines_inline_cache_entries():
    """Each site misses once per shape over both builds: what the baseline
    patched is patched into the O2 build as it loads, so the new tier does
    not miss (nor fall back to the handler: a shape a site knows is never
    patched twice).  Every copy of each entry, in both builds, holds it."""
    out, e = run_program(WARM, jit=True, globals_={"settle": settle})
    assert out == "749934\n"
    s = e.tier.snapshot()
    assert s["tier_ups"] >= 1 and s["tier_ups_failed"] == 0 and s["deopts"] == 0, s
    sites = [site for site in e.tier.real.ic.sites[1:] if site.imms]
    assert sites and s["ic_misses"] == sum(len(site.ids) for site in sites) == 2 * len(sites), s
    for site in sites:
        assert len({h for way in site.addrs for h, _ in way}) == 2, site.name  # (baseline and O2)
        for way, imm in enumerate(site.imms):
            assert all(ctypes.string_at(a, 8) == imm for _, a in site.addrs[way]), site.name


def test_two_programs_in_one_process_both_get_their_optimised_builds():
    """Each run_source runs its program on a thread of its own, and the
    background compiler forked by the first must survive that thread."""
    src = "let s = 0;\nfor (let i = 0; i < 20000000; i++) s = (s + i % 7) % 1000003;\nconsole.log(s);\n"
    for _ in range(2):
        e = Engine(out=io.StringIO())
        assert e.run_source(src, "p.js").error is None
        s = e.tier.snapshot()
        assert s["tier_ups"] >= 1 and s["tier_ups_failed"] == 0, (s, e.tier.real.reasons)


def test_a_deopt_after_the_switch_resumes_correctly():
    """The O2 build speculates as the baseline did: an index past the end
    late in the run deoptimises it, and the interpreter finishes."""
    src = LOOP.replace(
        "console.log(s, a[0], a[63]);",
        "let z = 0; for (let i = 0; i < 70; i++) z += a[i] === undefined ? 1 : 0;\nconsole.log(s, z);",
    )
    src = src.replace(
        "for (let i = 0; i < n; i++) {",
        "for (let i = 0; i < n; i++) {\n  if (i === n - 5) s += a.length > 64 ? 1 : (a[64] === undefined ? 2 : 3);",
    )
    out, s = _tiered(src)
    assert out == _reference(src)
    assert s["tier_ups"] >= 1


def test_an_int32_overflow_after_the_switch_recompiles_with_doubles():
    """The O2 build overflows an int32 (a local: globals are doubles) at the
    end of the run: it exits flagged, is retired and compiled again with
    doubles, and the answer is node's."""
    src = (
        "function main() {\n"
        "  let p = 1, s = 0;\n"
        "  for (let i = 0; i < 30000000; i++) {\n"
        "    if (i === 29999990) p = 2147483640;\n"
        "    p = p + 1; s = (s + (p & 1023)) % 1000003;\n"
        "  }\n"
        "  return [p, s];\n"
        "}\n"
        "console.log(main());\n"
    )
    out, s = _tiered(src)
    assert out == _reference(src) == "[ 2147483650, 896634 ]\n"
    assert s["int_overflows"] >= 1 and s["int_recompiles"] >= 1 and s["tier_ups"] >= 1, s


def test_one_tier_is_still_there():
    out = io.StringIO()
    e = Engine(out=out, background_jit=False)
    assert e.run_source(CALLS, "one.js").error is None
    s = e.tier.snapshot()
    assert s["tier_ups_queued"] == 0 and s["tier_ups"] == 0
    assert s["functions_compiled"] + s["loops_compiled"] >= 1


def test_mpk_run_stats_name_the_second_tier_and_exit_promptly():
    """The statistics line exists, and the process (with its forked
    compiler) exits without waiting on queued builds."""
    r = subprocess.run(
        [sys.executable, "-m", "libmpk", "run", "--stats", "-e", CALLS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "queued for O2 in the background" in r.stderr
    r1 = subprocess.run(
        [sys.executable, "-m", "libmpk", "run", "--stats", "--no-background-jit", "-e", CALLS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r1.returncode == 0 and r1.stdout == r.stdout
    assert "0 baseline modules queued" in r1.stderr


@pytest.mark.parametrize("src", [LOOP, CALLS, RECURSION], ids=["loop", "calls", "recursion"])
def test_tiered_runs_match_node(src, tmp_path):
    import shutil

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the one-tier comparison above still runs)")
    p = tmp_path / "p.js"
    p.write_text(src)
    want = subprocess.run([node, str(p)], capture_output=True, text=True, timeout=120).stdout
    out, _ = _tiered(src)
    assert out == want


@pytest.mark.pku
@pytest.mark.parametrize("src", [LOOP, CALLS], ids=["loop", "calls"])
def test_the_switch_under_pku_windows(src):
    """The same switch with W^X on protection keys: the O2 build is loaded
    and the entry pads patched in this thread's code window (no system
    call: test_sync_cost counts a patch); the program's answer is unchanged."""
    out = io.StringIO()
    e = Engine(out=out, wx="pku")
    assert e.run_source(src, "pku.js").error is None
    s = e.tier.snapshot()
    assert s["wx"] == "pku"
    assert out.getvalue() == _reference(src)
    assert s["tier_ups"] >= 1, s
    if src is LOOP:
        assert s["tier_up_exits"] >= 1, s
    assert s["tier_ups_failed"] == 0 and s["tier_up_redirects_refused"] == 0


def test_an_optimised_build_whose_baseline_never_loaded_is_dropped():
    """A module's O2 build is queued before its baseline is built (the other
    core starts at once), so it can land for a baseline that failed to load.
    It must be dropped -- there is no entry pad to redirect -- while later
    modules still switch, and the program's answer stays node's."""
    from libmpk.jit.errors import JitError

    src = (
        "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\n"
        "function step(s, i) { return (s * 31 + i) % 1000003; }\n"
        "const f = fib(24);\n"
        "let s = 0;\n"
        "for (let k = 0; k < 200; k++) { for (let i = 0; i < 2000; i++) s = step(s, i); }\n"
        "settle();\n"  # (step's O2 build in place, however busy the machine)
        "for (let k = 0; k < 200; k++) { for (let i = 0; i < 2000; i++) s = step(s, i); }\n"
        "console.log(f, s);\n"
    )
    out = io.StringIO()
    e = Engine(out=out)
    e.globals["settle"] = Cell(settle(e), "settle")
    tier = e.tier.load()
    loads = []
    real_load = tier.loader.load_object

    def load_object(*args, **kw):
        loads.append(None)
        if len(loads) == 1:
            raise JitError("forged: the code cache refused this baseline")
        return real_load(*args, **kw)

    tier.loader.load_object = load_object
    r = e.run_source(src, "dropped.js")
    assert r.error is None, r.error_text
    assert out.getvalue() == _reference(src.replace("settle();", ""))
    s = e.tier.snapshot()
    assert "forged" in tier.reasons.get("fib", ""), tier.reasons
    assert s["tier_ups_queued"] >= 2 and s["tier_ups"] >= 1, s  # (step's module switched)
    assert s["tier_ups_failed"] == 0 and not s.get("internal_errors"), (s, tier.reasons)


def test_a_mirror_leaves_the_address_map_before_its_address_is_reused():
    """Compiled code hands objects around as their mirrors' descriptor
    addresses, and the engine maps an address back to its object
    (shapes.mirror_at).  A dead object's address is freed memory that a new
    mirror may get: the map must never answer with the dead one, and must
    answer with the new one -- for mirrors freed by reference counting and
    by the cycle collector (a mirror and its object refer to each other)."""
    import gc

    from libmpk.apps.js import shapes
    from libmpk.apps.js.values import JSObject

    for rounds in range(3):
        objs = [JSObject({"a": float(i)}, None) for i in range(2000)]
        addrs = [shapes.mirror_of(o).addr for o in objs]
        assert all(shapes.mirror_at(a).owner is o for a, o in zip(addrs, objs, strict=True))
        del objs
        gc.collect()
        assert all(shapes.mirror_at(a) is None for a in addrs)
        again = [JSObject({"b": 1.0}, None) for _ in range(2000)]
        fresh = [shapes.mirror_of(o).addr for o in again]
        assert set(fresh) & set(addrs) or rounds < 2  # (the allocator reuses freed descriptors)
        assert all(shapes.mirror_at(a).owner is o for a, o in zip(fresh, again, strict=True))
        del again
        gc.collect()


ALLOCATING = """
class P { constructor(x, y) { this.x = x; this.y = y; } }
function churn(n) {
  let s = 0;
  for (let i = 0; i < n; i++) { const p = new P(i, 1); const q = new P(p.x, p.y); s += q.x + p.y; }
  return s;
}
function deep(n, k) { let s = 0; for (let i = 0; i < n; i++) { s += new P(i, k).x; } return s; }
let t = 0;
for (let r = 0; r < 40; r++) t += churn(5000);
console.log(t, deep(3000, 1), deep(3000, 0.5), deep(3000, true));
"""


def test_objects_compiled_code_allocates_go_by_reference_count():
    """An object compiled code built and the program dropped is freed when
    its run ends, by its reference count: a mirror holds its object
    weakly, so the two make no cycle for the collector to find -- with
    the collector off the whole time, only the last run's objects stay
    mapped.  And compiled runs turn the collector off only while they
    run: it is on again after each (a deopt that resumes in the
    interpreter included), as the program left it."""
    import gc

    from libmpk.apps.js import shapes

    out = io.StringIO()
    e = Engine(out=out, background_jit=False)
    gc.collect()
    gc.disable()
    try:
        before = sum(1 for r in shapes._BY_ADDRESS.values() if r() is not None)  # (earlier tests' objects)
        assert e.run_source(ALLOCATING, "alloc.js").error is None
        assert e.tier.snapshot()["native_allocations"] >= 100000, e.tier.snapshot()
        live = sum(1 for r in shapes._BY_ADDRESS.values() if r() is not None) - before
        assert live < 20000, live  # (400,000 objects were allocated natively)
        assert not gc.isenabled()  # (off by the program's choice: kept)
    finally:
        gc.enable()
    out2 = io.StringIO()
    e2 = Engine(out=out2, background_jit=False)
    assert e2.run_source(ALLOCATING, "alloc.js").error is None
    assert gc.isenabled()
    assert out.getvalue() == out2.getvalue() == "500100000 4498500 4498500 4498500\n", out.getvalue()


@pytest.mark.parametrize(
    "src",
    [
        # a function entry that deopts and resumes in the interpreter, which throws
        "class P { constructor(v) { this.v = v; } }\n"
        "function f(ps, n) { let s = 0; for (let i = 0; i < n; i++) s += ps[i % ps.length].v; return s; }\n"
        "f([new P(1)], 5000);\n"
        "f([new P(1), new P(2)], 5000);\n"
        "f([new P(1), new P('x'), null], 5000);\n",
        # a loop entry that deopts and resumes, then throws from the interpreter
        "let s = 0; const a = new Array(100).fill(1);\n"
        "for (let i = 0; i < 200000; i++) {\n"
        "  s += a[i % 100]; if (i === 150000) a[5] = 'x'; if (i === 190000) null.x;\n"
        "}\n",
    ],
)
def test_the_collector_is_on_after_a_run_that_deopts_or_throws(src):
    """A compiled run turns the cycle collector off; every way out of it --
    a deopt that resumes in the interpreter, an error thrown there --
    turns it back on."""
    import gc

    e = Engine(out=io.StringIO(), background_jit=False)
    assert gc.isenabled()
    r = e.run_source(src, "throws.js")
    assert r.error is not None and "TypeError" in r.error_text
    s = e.tier.snapshot()
    assert s["native_calls"] + s["osr_entries"] >= 1 and s["deopts"] + s["cold_exits"] >= 1, s
    assert gc.isenabled()
