"""A per-test time limit kept by a separate process.

A test that hangs must end the run -- red, with every thread's stack and
the test's name -- rather than stall CI until it is killed with nothing to
show (a natively forked child once waited forever for a GIL switch its
parent had asked for).  The limit is kept by a process, not a thread: the
library's process-wide sync looks at this process's thread count (one
thread: nothing to signal), and the counting tests assert what it does.
Nothing runs in this process until a limit passes.

The pytest process tells the watchdog over a pipe when each test starts
(its limit and name) and ends.  A test past its limit: the watchdog says
so on stderr, has this process write every thread's stack there
(faulthandler, on ``DUMP``), interrupts it (SIGINT: pytest ends the
session with its summary) and, if it is still there a minute later,
kills it.  The watchdog ends with this process (its pipe closes, and
SIGKILL where that cannot happen).
"""

from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import sys

DUMP = signal.SIGUSR2
GRACE_S = 60.0

_WATCH = r"""
import os, select, signal, sys, time
signal.signal(signal.SIGINT, signal.SIG_IGN)  # (a test's Ctrl-C to its process group is not for it)
pid, dump, grace = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
fd = sys.stdin.fileno()
buf, test, until = b"", None, None
def alive():
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
while True:
    wait = None if until is None else max(0.0, until - time.monotonic())
    if select.select([fd], [], [], wait)[0]:
        chunk = os.read(fd, 65536)
        if not chunk:
            break  # the pytest process has ended
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line == b"-":
                test, until = None, None
            else:
                limit, _, name = line.decode().partition(" ")
                test, until = name, time.monotonic() + float(limit)
        continue
    sys.stderr.write(f"\n[watchdog] {test} ran past its limit: every thread's stack, then the run is interrupted\n")
    sys.stderr.flush()
    os.kill(pid, dump)
    time.sleep(2)
    os.kill(pid, signal.SIGINT)
    end = time.monotonic() + grace
    while alive() and time.monotonic() < end:
        time.sleep(0.5)
    if alive():
        sys.stderr.write(f"[watchdog] still running {grace:.0f} s after the interrupt: killed\n")
        sys.stderr.flush()
        os.kill(pid, signal.SIGKILL)
    break
"""


class Watchdog:
    """This process's per-test limits (see the module's docstring)."""

    def __init__(self) -> None:
        from libmpk.sandbox.hw.syscalls import dies_with_us

        self._stderr = os.dup(2)  # (now: while a test runs, fd 2 is pytest's capture)
        faulthandler.register(DUMP, file=self._stderr, all_threads=True)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _WATCH, str(os.getpid()), str(int(DUMP)), str(GRACE_S)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            preexec_fn=dies_with_us(),
        )

    def started(self, name: str, limit_s: float) -> None:
        self._say(f"{limit_s:.0f} {name}\n")

    def ended(self) -> None:
        self._say("-\n")

    def _say(self, line: str) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(line.encode())
            self._proc.stdin.flush()
        except BrokenPipeError:  # (the watchdog is gone: the tests go on without it)
            pass

    def close(self) -> None:
        faulthandler.unregister(DUMP)
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # (it fired, and waits for this process to end)
            self._proc.kill()
            self._proc.wait()
        os.close(self._stderr)
