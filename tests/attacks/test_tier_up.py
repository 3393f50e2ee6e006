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
