"""tests/fresh.py's zygote: its children are fresh processes, as the
attacks and counts that use it assume."""

from __future__ import annotations

import signal

import pytest

_STATE = """
import sys, threading, atexit
from numba.core.dispatcher import Dispatcher
from libmpk.sandbox import switch
from libmpk.sandbox.hw import sync
loaded = sum(len(v.overloads) for m in (switch, sync) for v in vars(m).values() if isinstance(v, Dispatcher))
print(loaded, threading.active_count(), sys.argv[1:], __name__)
atexit.register(lambda: print("atexit ran"))
threading.Thread(target=lambda: (__import__("time").sleep(0.2), print("thread joined"))).start()
"""


def test_a_child_is_a_fresh_process_that_ends_as_one(fresh):
    """Nothing of the library loaded, one thread, the script's argv, run
    as __main__; it ends as an interpreter does: threads joined, atexit."""
    out = fresh.run(_STATE, "a", "b c")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["0 1 ['a', 'b c'] __main__", "thread joined", "atexit ran"]
    out = fresh.run(_STATE)  # the second child too: the zygote itself ran nothing
    assert out.stdout.splitlines()[0] == "0 1 [] __main__"


def test_a_childs_end_is_reported_as_subprocess_reports_it(fresh):
    assert fresh.run("raise SystemExit(3)").returncode == 3
    assert fresh.run("import sys; sys.exit('why')").returncode == 1
    out = fresh.run("1 / 0")
    assert out.returncode == 1 and "ZeroDivisionError" in out.stderr
    assert fresh.run("import os, signal; os.kill(os.getpid(), signal.SIGKILL)").returncode == -signal.SIGKILL


def test_a_child_out_of_time_is_killed_and_the_zygote_serves_on(fresh):
    with pytest.raises(TimeoutError, match="past 2s"):
        fresh.run("import time\nwhile True: time.sleep(0.01)", timeout=2)
    assert fresh.run("print('next')").stdout == "next\n"


def test_a_dead_zygote_is_replaced(fresh):
    fresh.proc.kill()
    fresh.proc.wait()
    assert fresh.run("print('again')").stdout == "again\n"


def test_strace_sees_the_child_and_its_threads_from_the_scripts_start(fresh):
    script = "import os, threading\nos.getppid()\nt = threading.Thread(target=os.getuid)\nt.start()\nt.join()\n"
    out = fresh.run(script, traced=True)
    assert out.returncode == 0, out.stderr
    lines = out.trace
    pids = {line.split()[0] for line in lines}
    assert len(pids) >= 2  # the child and its thread, both traced
    calls = [line.split(None, 1)[1] for line in lines]
    assert any(c.startswith("getppid(") for c in calls) and any(c.startswith("getuid(") for c in calls)


def test_a_tracer_that_never_attaches_leaves_no_stopped_child(fresh, monkeypatch: pytest.MonkeyPatch):
    """The child waits stopped for its tracer; one that never comes must
    not leave it (and the zygote waiting on it) stopped for good."""
    monkeypatch.setattr(fresh, "strace", "/bin/true")
    with pytest.raises(RuntimeError, match="did not attach"):
        fresh.run("print('never')", traced=True, timeout=3)
    assert fresh.run("print('next')").stdout == "next\n"
