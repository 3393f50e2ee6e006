"""The JS JIT's second tier under attack (apps/js/tier.py, jit/background.py),
on both backends.

What comes back from the background compiler is bytes from another process:
it is trusted no more than any object.  It goes through the loader -- laid
out, relocated, scanned at every offset -- before a byte of it can run, and
only then are entries switched and entry pads patched (themselves scanned,
through ``CodeCache.patch``).  So:

- a build that carries a PKRU gadget is refused by the scan: nothing of it
  becomes executable, no entry or pad moves, and the program finishes on
  its baseline with the right answer;
- a build that fails (the worker's error, a dead worker) leaves the
  baseline running, and says so in ``--stats`` (``failed``);
- garbage instead of an object is refused the same way.
"""

from __future__ import annotations

import io

import pytest

from libmpk.apps.js.engine import Engine
from libmpk.jit import emit_object
from libmpk.jit.background import BackgroundCompiler

from ..test_js_tiers import CALLS, LOOP

EVIL = """
define void @"jsevil"() {
  call void asm sideeffect ".byte 0x0f, 0x01, 0xef", ""()
  ret void
}
"""


class _Forged(BackgroundCompiler):
    """A background compiler whose builds are replaced by the attacker's."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how

    def start(self) -> None:  # (no child: the forgery happens here)
        with self._lock:
            if self._thread is None and not self._closed:
                import threading

                self._thread = threading.Thread(target=self._work, daemon=True)
                self._thread.start()

    def _build(self, ir: str) -> bytes:
        if self.how == "gadget":
            return emit_object(ir + EVIL)  # the real build, with a WRPKRU beside it
        if self.how == "garbage":
            return b"\x7fELF" + bytes(200)
        raise RuntimeError("the optimiser crashed")


def _mode(sb) -> str:
    return "pku" if sb.backend_name() == "pku" else "mprotect"


def _reference(src: str, wx: str) -> str:
    out = io.StringIO()
    assert Engine(out=out, wx=wx, background_jit=False).run_source(src, "ref.js").error is None
    return out.getvalue()


@pytest.mark.parametrize("how", ["gadget", "garbage", "crash"])
@pytest.mark.parametrize("src", [LOOP, CALLS], ids=["loop", "calls"])
def test_a_forged_or_failed_optimised_build_never_runs(sb, how, src):
    out = io.StringIO()
    e = Engine(out=out, wx=_mode(sb))
    tier = e.tier.load()
    forged = _Forged(how)
    tier.background = forged
    try:
        assert e.run_source(src, "forged.js").error is None
    finally:
        forged.close()
    s = tier.snapshot()
    assert out.getvalue() == _reference(src, _mode(sb))
    assert s["tier_ups_queued"] >= 1, s
    assert s["tier_ups"] == 0 and s["tier_ups_failed"] == s["tier_ups_queued"], s
    assert s["tier_up_redirects_refused"] == 0  # (no pad was touched)
    if how == "gadget":
        assert s["scan_hits"] >= 1 and s["refused"] >= 1, s
    assert tier.cache.stats.patches == 0  # no entry pad moved


POKES = 400


def test_a_switch_requested_at_every_moment_never_changes_a_result():
    """Another thread raises the switch flag every half millisecond while
    every conformance program and JIT case runs with every loop compiled at
    once: each loop unit leaves at whatever back-edge it is at -- an inner
    loop of a nest, a loop entered in the middle of its nest, one inside a
    function -- and the interpreter resumes there.  Every output must be
    what node printed.

    The flag is raised again only once the program has taken it down, and
    at most POKES times a program: a loop that leaves after each iteration
    makes one iteration per entry, and where an entry costs more than the
    half millisecond (a slow machine, a busy core) a 10^5-iteration loop ran
    for over 15 minutes of CI."""
    import threading
    import time
    from pathlib import Path

    from libmpk.apps.js.native import C_TIER_UP

    here = Path(__file__).parent.parent / "js"
    paths = sorted((here / "conformance").glob("*.js")) + sorted((here / "jit").glob("*.js"))
    current: list = []
    stop = threading.Event()

    pokes = {}

    def poke() -> None:
        while not stop.is_set():
            for e in list(current):
                real = getattr(e.tier, "real", None)
                if real is not None and real.ctx.words[C_TIER_UP] == 0 and pokes.get(id(e), 0) < POKES:
                    pokes[id(e)] = pokes.get(id(e), 0) + 1
                    real.ctx.words[C_TIER_UP] = 1
            time.sleep(0.0005)

    poker = threading.Thread(target=poke, daemon=True)
    poker.start()
    wrong, exits = [], 0
    try:
        for p in paths:
            out = io.StringIO()
            e = Engine(out=out, hot_loops=1)
            current[:] = [e]
            r = e.run_source(p.read_text(), str(p))
            if r.error is not None or out.getvalue() != p.with_suffix(".out").read_text():
                wrong.append(p.name)
            exits += e.tier.snapshot()["tier_up_exits"] if e.tier.loaded else 0
    finally:
        stop.set()
        poker.join()
    assert wrong == []
    assert exits >= 50  # (the flag did catch loops mid-run)


def _flag_first_entries(monkeypatch, times: int) -> None:
    """Make each loop unit's first ``times`` entries find the switch flag
    up, so that it leaves at the first back-edge it reaches."""
    from libmpk.apps.js import tier as T
    from libmpk.apps.js.native import C_TIER_UP

    real_enter = T.Tier._enter_loop
    entries: dict = {}

    def enter_flagged(self, unit, loop, f, at=None):
        n = entries.get(id(unit), 0)
        if n < times and not getattr(unit.entry, "flagging", False):
            entries[id(unit)] = n + 1
            real_entry, words = unit.entry, self.ctx.words

            def flagged(ctx, frame):
                words[C_TIER_UP] = 1  # (after _enter_loop's own look at the flag)
                unit.entry = real_entry
                return real_entry(ctx, frame)

            flagged.flagging = True
            unit.entry = flagged
        return real_enter(self, unit, loop, f, at)

    monkeypatch.setattr(T.Tier, "_enter_loop", enter_flagged)


def test_a_switch_at_each_of_the_first_back_edges_never_changes_a_result(monkeypatch):
    """Deterministically: each loop unit's first 20 entries find the switch
    flag up, so it leaves at the first back-edge it reaches -- an inner loop
    of a nest, a loop entered mid-nest, a labelled one, a loop in a
    function -- and the interpreter resumes there, 20 times per unit."""
    from pathlib import Path

    _flag_first_entries(monkeypatch, 20)
    here = Path(__file__).parent.parent / "js"
    paths = sorted((here / "conformance").glob("*.js")) + sorted((here / "jit").glob("*.js"))
    wrong, exits = [], 0
    for p in paths:
        out = io.StringIO()
        e = Engine(out=out, hot_loops=1)
        r = e.run_source(p.read_text(), str(p))
        if r.error is not None or out.getvalue() != p.with_suffix(".out").read_text():
            wrong.append(p.name)
        exits += e.tier.snapshot()["tier_up_exits"] if e.tier.loaded else 0
    assert wrong == []
    assert exits >= 500


def test_objects_only_compiled_code_holds_come_back_as_themselves(monkeypatch):
    """A list reversed in place, a stack drained, an array of objects popped:
    when the loop leaves at a switch, its write-back overwrites the last
    property (or cuts the last element) referencing the object in ``cur``,
    ``b`` or ``o``.  That object was freed before the variable was resolved
    -- the interpreter resumed with the variable's stale value and the list
    became a cycle (found at 50f5339; apps.js.shapes.replaced_values holds
    what the write-back replaces until the run's references are resolved)."""
    from pathlib import Path

    _flag_first_entries(monkeypatch, 20)
    p = Path(__file__).parent.parent / "js" / "jit" / "objects_held_only_by_compiled_code.js"
    out = io.StringIO()
    e = Engine(out=out, hot_loops=1)
    r = e.run_source(p.read_text(), str(p))
    assert r.error is None and out.getvalue() == p.with_suffix(".out").read_text()
    assert e.tier.snapshot()["tier_up_exits"] >= 50
