"""The check every JS-level JIT attack makes: a program's output with the
JIT must be the interpreter's, and compiled code must have run (else the
attack tried nothing)."""

from __future__ import annotations

import io

from libmpk.apps.js.engine import Engine


def run_program(src: str, jit: bool) -> tuple[str, Engine]:
    out = io.StringIO()
    engine = Engine(out=out, jit=jit)
    result = engine.run_source(src, "attack.js")
    assert result.error is None, result.error_text
    return out.getvalue(), engine


def assert_jit_matches_interpreter(src: str) -> dict:
    """(The JIT's --stats counts, for what an attack checks further.)"""
    expected, _ = run_program(src, jit=False)
    out, engine = run_program(src, jit=True)
    assert out == expected
    s = engine.tier.snapshot()
    assert s["native_calls"] + s["osr_entries"] > 0, s  # (compiled code ran: the attack was tried)
    return s
