"""A fresh Python process for the tests that need one, forked from a zygote.

Some attacks need the library's first call to happen inside the scenario (a
native never loaded, a dispatcher never typed), and the cost counts trace a
whole process with strace.  A new interpreter pays numba's import each time:
a second or two here, minutes in the emulated PKU guest that runs this
suite's pku tests (CI's long pole).  The zygote pays it once: it imports what
each such script imports first -- numpy, numba and the library, none of
which loads a native -- and forks a child per script.  The child has run
nothing of the library, as a new interpreter has not; it runs the script as
``__main__`` and ends as an interpreter ends (its threads joined, atexit
run), so its exit status is the script's.  Under strace the child stops
itself before the script and strace attaches to it (``-f``: its threads too).
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from libmpk.vm.guest import ensure_tool

ROOT = Path(__file__).resolve().parent.parent

_ZYGOTE = r"""
import json, os, signal, sys, traceback
import numpy, numba  # (what every script imports first: paid once, here)
from libmpk import sandbox  # (importing loads no native: the child's first call is its own)

proto = os.fdopen(os.dup(1), "w", buffering=1)

def child(req):
    proto.close()
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(os.open(req["out"], os.O_WRONLY), 1)
    os.dup2(os.open(req["err"], os.O_WRONLY), 2)
    if req["hold"]:  # until the tracer has attached
        os.kill(os.getpid(), signal.SIGSTOP)
    sys.argv = ["-c", *req["argv"]]
    code = 0
    try:
        exec(compile(req["script"], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    except SystemExit as e:
        code = e.code
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.exit(code)  # (out of the loop below: the interpreter ends as a fresh one would)

for line in sys.stdin:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        child(req)
    proto.write(f"pid {pid}\n")
    _, status = os.waitpid(pid, 0)
    proto.write(f"status {status}\n")
"""


@dataclass
class Ran:
    returncode: int  # negative: killed by that signal, as subprocess says it
    stdout: str
    stderr: str
    trace: list[str] | None = None  # strace's lines (``traced``): "<pid> <call>(...) = ..."


class Zygote:
    """One warmed interpreter; :meth:`run` forks a fresh-process child of it."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.strace: str | None = None  # (found, or installed, at the first traced run)
        self._start()

    def _start(self) -> None:
        if self.proc is not None:
            self.close()
        # One BLAS thread: numpy's pool starts at import, here, and the
        # strace'd scripts count their own threads' system calls.
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE], cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0
        )
        self._pending = b""

    def run(self, script: str, *argv: str, timeout: float = 600, traced: bool = False) -> Ran:
        """Run ``script`` with ``argv`` in a fresh child; ``traced``: under
        strace, its system calls and its threads' in ``Ran.trace``."""
        if traced and self.strace is None:
            self.strace = ensure_tool("strace", "strace", log=lambda m: None)
        with tempfile.TemporaryDirectory() as tmp:
            out, err, trace = Path(tmp, "out"), Path(tmp, "err"), Path(tmp, "trace")
            out.touch()
            err.touch()
            req = {"script": script, "argv": list(argv), "out": str(out), "err": str(err), "hold": traced}
            if self.proc is None or self.proc.poll() is not None:
                self._start()  # (one that died, or was stopped by a test's timeout, is replaced)
            assert self.proc is not None and self.proc.stdin is not None
            self.proc.stdin.write((json.dumps(req) + "\n").encode())
            deadline = time.monotonic() + timeout
            try:
                pid = int(self._line("pid", deadline))
            except TimeoutError:
                self.proc.kill()  # (a zygote that does not answer is not trusted again)
                raise
            tracer = None
            try:
                if traced:
                    tracer = subprocess.Popen([self.strace, "-f", "-qq", "-o", str(trace), "-p", str(pid)])
                    _wait_traced(pid, deadline)
                    os.kill(pid, signal.SIGCONT)
                status = int(self._line("status", deadline))
            except BaseException as e:  # (out of time, or strace never attached: the child goes, the zygote stays)
                os.kill(pid, signal.SIGKILL)
                self._line("status", time.monotonic() + 60)
                if isinstance(e, TimeoutError):
                    raise TimeoutError(f"the fresh child ran past {timeout}s: {err.read_text()[-3000:]}") from None
                raise
            finally:
                if tracer is not None:
                    try:
                        tracer.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        tracer.kill()
                        tracer.wait()
            lines = trace.read_text().splitlines() if traced else None
            return Ran(os.waitstatus_to_exitcode(status), out.read_text(), err.read_text(), lines)

    def _line(self, tag: str, deadline: float) -> str:
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError(f"no '{tag}' from the zygote")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"the zygote ended (exit {self.proc.poll()})")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        words = line.decode().split()
        if words[:1] != [tag]:
            raise RuntimeError(f"the zygote answered {line!r}, not {tag!r}")
        return words[1]

    def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_traced(pid: int, deadline: float) -> None:
    """Until ``pid`` has a tracer (strace attached), or the deadline."""
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/status") as f:
            if any(line.startswith("TracerPid:") and line.split()[1] != "0" for line in f):
                return
        time.sleep(0.01)
    raise RuntimeError(f"strace did not attach to {pid}")
