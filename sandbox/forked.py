"""Run a function in a forked child and report how it ended.

A protection fault is only real if it kills the process, so code that wants
to show one (tests, demos) runs the access in a child: the parent learns the
signal from waitpid and the fault's si_code / address / key from
sandbox.hw.faults' shared record.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .hw import faults


@dataclass
class Outcome:
    exitcode: int | None
    signal: int | None
    fault: faults.Fault | None
    value: Any = None
    error: str | None = None

    @property
    def segv(self) -> bool:
        return self.signal == signal.SIGSEGV

    @property
    def ok(self) -> bool:
        return self.exitcode == 0 and self.signal is None

    def __str__(self) -> str:
        how = f"signal {self.signal}" if self.signal else f"exit {self.exitcode}"
        f = self.fault
        fault = f", fault {f.code_name} at {f.address:#x} pkey {f.pkey}" if f else ""
        err = f"\n{self.error}" if self.error else ""
        return f"child ended with {how}{fault}{err}"


def run_in_child(fn: Callable[..., Any], *args: Any, timeout: float = 120.0) -> Outcome:
    """Fork; in the child record faults, call ``fn(*args)`` and send back its result."""
    faults.clear()
    with tempfile.TemporaryFile() as stacks:  # where a child that runs out of time shows where it was
        return _run(fn, args, timeout, stacks)


def _run(fn: Callable[..., Any], args: tuple, timeout: float, stacks) -> Outcome:
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        code = 0
        try:
            faulthandler.register(signal.SIGQUIT, file=stacks, all_threads=True)
            faults.install()
            payload: tuple = ("value", fn(*args))
        except BaseException:
            payload = ("error", traceback.format_exc())
            code = 1
        try:
            data = pickle.dumps(payload)
        except Exception:
            data = pickle.dumps(("error", "result not picklable"))
        with os.fdopen(wfd, "wb") as f:
            f.write(data)
        os._exit(code)
    os.close(wfd)
    deadline = time.monotonic() + timeout
    chunks = []
    with os.fdopen(rfd, "rb", buffering=0) as f:
        while True:  # read to EOF first: a big result must not block the child
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([f], [], [], left)[0]:
                return Outcome(None, signal.SIGKILL, faults.last(), error=_stop(pid, stacks, timeout))
            chunk = f.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    data = b"".join(chunks)
    kind, value = pickle.loads(data) if data else ("value", None)
    out = Outcome(
        os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        faults.last(),
    )
    if kind == "error":
        out.error = value
    else:
        out.value = value
    return out


def _stop(pid: int, stacks, timeout: float) -> str:
    """Kill a child that ran out of time, with its threads' Python stacks
    (faulthandler's, written from its SIGQUIT handler) in the message: a
    hang far from here -- in an emulator, on CI -- is then diagnosable."""
    os.kill(pid, signal.SIGQUIT)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not os.fstat(stacks.fileno()).st_size:
        time.sleep(0.05)
    time.sleep(0.2)  # (the other threads' stacks)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    stacks.seek(0)
    text = stacks.read().decode(errors="replace")[-6000:]
    return f"timed out after {timeout}s; its stacks then:\n{text}" if text else f"timed out after {timeout}s"
