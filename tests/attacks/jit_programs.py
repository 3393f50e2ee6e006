"""The check every JS-level JIT attack makes: a program's output with the
JIT must be the interpreter's, and compiled code must have run (else the
attack tried nothing)."""

from __future__ import annotations

import io
import time

from libmpk.apps.js.engine import Engine
from libmpk.apps.js.scope import Cell
from libmpk.apps.js.values import UNDEFINED, Builtin


def run_program(src: str, jit: bool, globals_: dict | None = None) -> tuple[str, Engine]:
    """(``globals_``: name -> a function of the engine making a global's value)"""
    out = io.StringIO()
    engine = Engine(out=out, jit=jit)
    for name, make in (globals_ or {}).items():
        engine.globals[name] = Cell(make(engine), name)
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
    assert not compiler_faults(engine.stats())
    return s


def compiler_faults(stats: dict) -> list:
    """The compiler's own faults in a run (Engine.stats()): the interpreter's
    right answer hides them, the code just stays interpreted."""
    faults = [r for r in stats.get("not_compiled_reasons", {}).values() if "internal compiler error" in r]
    return faults + (["internal_errors counted"] if stats.get("internal_errors") else [])


def settle(engine) -> Builtin:
    """``settle()`` for a program: wait for every optimised build queued so
    far and put it in place -- at the program's top level, where no
    compiled code runs -- so each phase after it runs the O2 builds,
    whatever the machine's speed (node: a no-op the program defines)."""

    def settle(args):
        tier = engine.tier.real
        deadline = time.monotonic() + 60
        while tier.built < tier.stats["tier_ups_queued"] and time.monotonic() < deadline:
            time.sleep(0.005)
        tier.install_ready()
        return UNDEFINED

    return Builtin("settle", settle)
