"""Optimising compilation off the thread that runs the code.

A JIT's first tier must be cheap to build (:data:`.compiler.BASELINE`); its
optimised tier is worth building only if the code keeps running -- so it is
built meanwhile, on another core.  Not on another thread: llvmlite runs one
LLVM call at a time in a process, so a thread running an O2 pipeline (10-30
ms) would hold up every baseline build behind it.  The worker is a forked
copy of this process (LLVM already set up, no interpreter to start): IR text
goes down a pipe, object bytes come back.  Only bytes come back: loading
them into the code cache (and redirecting callers) stays with the caller,
which alone writes the cache.  Where fork fails, a thread does the work.

The child ignores Ctrl-C, holds no standard streams, and leaves when its
pipe closes; closing the compiler (this process's exit does) kills it.  It is
forked by the thread that starts the compiler, usually the main one: a
child of the main thread allocates from glibc's main arena, already grown,
and built 30-50% faster than one forked from a fresh thread (measured: a
5k-character module, 8-9 ms against 11-17).  A child that hangs (on a lock
some other thread held at the fork) is ended by its own alarm, never by
waiting on it: its death signal follows the forking thread, so it is set
only for a child of the main thread, whose end is the process's.
"""

from __future__ import annotations

import atexit
import os
import queue
import signal
import struct
import threading
from collections.abc import Callable

from libmpk.sandbox.errors import SandboxError
from libmpk.sandbox.hw import syscalls

from .compiler import emit_object, warm_up

Done = Callable[[bytes | None, BaseException | None], None]
BUILD_LIMIT_S = 120  # seconds a build (or the warm-up) may take before the child's alarm ends it
CLOSE_WAIT_S = 1.0  # seconds close() gives the child to leave before killing it


class BuildError(Exception):
    """A background build failed (the worker's exception, as text)."""


def _read_exact(fd: int, n: int) -> bytes:
    parts, got = [], 0
    while got < n:
        b = os.read(fd, min(n - got, 1 << 20))
        if not b:
            raise EOFError("background compiler closed its pipe")
        parts.append(b)
        got += len(b)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _child(rfd: int, wfd: int, opt: int, main_thread: bool) -> None:
    """The forked worker: compile until the pipe closes; never returns."""
    status = 0
    try:
        if main_thread:  # (the signal follows the forking thread: only the main one ends with the process)
            try:
                syscalls.die_with_parent(signal.SIGKILL)
            except SandboxError:
                pass
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the watchdog: its default action ends the child
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        signal.alarm(BUILD_LIMIT_S)
        warm_up((opt,))  # (its first build would otherwise copy-fault in LLVM's pages: ~2x slower)
        signal.alarm(0)
        while True:
            try:  # (idle: no alarm -- the pipe's end, or the parent's, is EOF here)
                (n,) = struct.unpack("<Q", _read_exact(rfd, 8))
            except EOFError:
                break
            ir = _read_exact(rfd, n).decode()
            signal.alarm(BUILD_LIMIT_S)
            try:
                reply = b"O" + emit_object(ir, opt)
            except BaseException as e:
                reply = b"E" + f"{type(e).__name__}: {e}".encode()
            signal.alarm(0)
            _write_all(wfd, struct.pack("<Q", len(reply)) + reply)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


class BackgroundCompiler:
    """One worker compiling IR text to object bytes, in order."""

    def __init__(self, opt: int = 2) -> None:
        self.opt = opt
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._to: syscalls.KeptFile | None = None  # (the pipes' ends, checked before each use:
        self._from: syscalls.KeptFile | None = None  # the program may close or reuse their numbers)
        self._closed = False
        atexit.register(self.close)

    @property
    def forked(self) -> bool:
        """Whether builds run in a child process (else on a thread here)."""
        return self._pid > 0

    def start(self) -> None:
        """Fork the worker now (a JIT's load is the time: later the program
        may hold locks a fork would copy held).  Idempotent."""
        with self._lock:
            if self._thread is not None or self._closed:
                return
            down = up = None
            # (read before the fork: in the child, the forking thread is the main one)
            main = threading.current_thread() is threading.main_thread()
            try:
                down, up = os.pipe(), os.pipe()
                pid = os.fork()
            except OSError:
                for fd in (down or ()) + (up or ()):
                    os.close(fd)
                pid = -1
            if pid == 0:
                os.close(down[1])
                os.close(up[0])
                _child(down[0], up[1], self.opt, main)
            if pid > 0:
                os.close(down[0])
                os.close(up[1])
                self._pid = pid
                self._to = syscalls.KeptFile(down[1], "the JIT worker's request pipe")
                self._from = syscalls.KeptFile(up[0], "the JIT worker's reply pipe")
            self._thread = threading.Thread(target=self._work, name="mpk-jit-opt", daemon=True)
            self._thread.start()

    def submit(self, ir: str, done: Done) -> bool:
        """Queue ``ir``; ``done(obj, None)`` or ``done(None, error)`` runs on
        the worker thread once it is built.  False (nothing queued) once
        closed."""
        self.start()
        with self._lock:
            if self._closed:
                return False
            self._jobs.put((ir, done))
        return True

    def _build(self, ir: str) -> bytes:
        if self._pid <= 0:
            return emit_object(ir, self.opt)
        data = ir.encode()
        _write_all(self._to.use(), struct.pack("<Q", len(data)) + data)
        (n,) = struct.unpack("<Q", _read_exact(self._from.use(), 8))
        reply = _read_exact(self._from.use(), n)
        if reply[:1] != b"O":
            raise BuildError(reply[1:].decode(errors="replace"))
        return reply[1:]

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            ir, done = job
            if self._closed:
                continue
            try:
                obj = self._build(ir)
            except (EOFError, OSError) as e:  # the child is gone: no more builds
                with self._lock:
                    self._closed = True
                done(None, e)
            except BaseException as e:
                done(None, e)
            else:
                done(obj, None)

    def close(self) -> None:
        """Drop the queued jobs and end the worker.  The build in hand gets
        CLOSE_WAIT_S to finish; then the child is killed, not waited for: it
        holds nothing of ours (only object bytes come back, through the pipe),
        and a child still in its warm-up would see the pipe's end only after
        it -- 20-40 ms of every short program's exit here."""
        with self._lock:
            self._closed = True
            thread, self._thread = self._thread, None
            self._jobs.put(None)
        mine = thread is not None and thread is not threading.current_thread()
        if mine:
            thread.join(CLOSE_WAIT_S)
        if self._pid > 0:
            pid, self._pid = self._pid, 0
            try:
                os.kill(pid, signal.SIGKILL)  # (its pipe ends close: a thread still reading sees EOF)
            except ProcessLookupError:
                pass  # (reaped by someone else: a waitpid(-1), or SIGCHLD ignored)
            if mine and thread.is_alive():
                thread.join()
            for end in (self._to, self._from):  # (no thread uses them now)
                end.close()  # (only if still ours)
            self._to = self._from = None
            try:
                os.waitpid(pid, 0)  # (a killed child: no wait beyond the kernel's teardown)
            except ChildProcessError:
                pass  # (reaped by someone else)


_shared: BackgroundCompiler | None = None
_shared_lock = threading.Lock()


def _after_fork_in_child() -> None:
    """A forked child has its own JIT, if any: the parent's pipes are not its
    to use (nor its worker thread, which fork did not copy)."""
    global _shared, _shared_lock
    _shared_lock = threading.Lock()
    old, _shared = _shared, None
    if old is not None:
        old._closed = True
        old._thread = None
        for end in (old._to, old._from):
            if end is not None:
                end.close()  # (only if still ours)
        old._pid = 0
        old._to = old._from = None


os.register_at_fork(after_in_child=_after_fork_in_child)


def shared() -> BackgroundCompiler:
    """The process's background compiler (one worker: the JIT's own thread
    keeps the other core)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared._closed:
            _shared = BackgroundCompiler()
        return _shared
