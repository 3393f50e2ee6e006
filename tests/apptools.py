"""Run a server in a forked child that records its fault, for the planted-bug
demonstrations (the parent keeps talking to it over loopback)."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass

from libmpk.sandbox.hw import faults, syscalls


@dataclass
class Death:
    signal: int | None
    exitcode: int | None
    fault: faults.Fault | None


class ForkedServer:
    """``server`` is already bound (port known); the child serves it."""

    def __init__(self, server) -> None:
        self.server = server
        self.port = server.server_address[1]
        faults.clear()
        dies_with_us = syscalls.dies_with_us()  # (a killed test run leaves no server behind)
        self.pid = os.fork()
        if self.pid == 0:
            try:
                dies_with_us()
                faults.install()
                server.serve_forever()
            finally:
                os._exit(0)
        server.socket.close()  # only the child accepts

    def alive(self) -> bool:
        return os.waitpid(self.pid, os.WNOHANG) == (0, 0)

    def death(self, timeout: float = 30.0) -> Death:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return Death(
                    os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
                    os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
                    faults.last(),
                )
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return Death(signal.SIGKILL, None, faults.last())

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def spawn_cli(*args: str, ready: str, timeout: float = 120.0):
    """Start ``mpk ARGS`` as a process of its own and wait for its ``ready``
    line; (process, that line)."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "libmpk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=syscalls.dies_with_us(),  # (a killed test run leaves no server behind)
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"mpk {' '.join(args)} exited with {proc.wait()}")
        if ready in line:
            return proc, line
    proc.kill()
    raise RuntimeError(f"mpk {' '.join(args)} printed no {ready!r}")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie counts: it runs nothing)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True
