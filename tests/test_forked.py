"""sandbox.forked.run_in_child: how a child's end is reported."""

from __future__ import annotations

import os
import signal
import time

from libmpk.sandbox.forked import run_in_child


def _value() -> int:
    return 42


def _hangs_in_a_named_place() -> None:
    def stuck_waiting_for_nothing() -> None:
        while True:
            time.sleep(0.01)

    stuck_waiting_for_nothing()


def test_a_value_and_a_crash_are_told_apart():
    out = run_in_child(_value)
    assert out.ok and out.value == 42
    out = run_in_child(lambda: os.kill(os.getpid(), signal.SIGKILL))
    assert out.signal == signal.SIGKILL and not out.ok and out.value is None
    out = run_in_child(lambda: 1 // 0)
    assert out.exitcode == 1 and "ZeroDivisionError" in out.error


def test_a_child_out_of_time_is_killed_and_says_where_it_was():
    """A hang far from here (the emulator, CI) must be diagnosable from the
    report alone: the child's Python stacks at the moment it was stopped."""
    t = time.monotonic()
    out = run_in_child(_hangs_in_a_named_place, timeout=2)
    assert time.monotonic() - t < 15
    assert out.signal == signal.SIGKILL and not out.ok
    assert "timed out after 2s" in out.error
    assert "stuck_waiting_for_nothing" in out.error and "_hangs_in_a_named_place" in out.error, out.error
