"""pytest plugin: tests marked ``pku`` run where real PKU is.

- On a CPU with PKU they run natively, like any test.
- Otherwise every selected ``pku`` test is replaced by a proxy, and the first
  proxy to run boots the QEMU guest once and runs all of them there in one
  pytest session; each proxy then reports its own test's guest outcome.
- If the guest cannot run (no qemu, no apt, not root, $MPK_VM=0) they are
  skipped with the reason -- unless $MPK_REQUIRE_PKU=1, which turns a missing
  PKU, and any skip inside the guest, into a failure.

The guest works beside the host: it boots as the session's tests start and
runs while the host's own tests run, at a lower priority (``NICE``: it takes
the CPU they leave, most of a core as the host's suite is mostly one thread),
and the proxies come last, waiting for it.  Its output is kept and shown
when the first proxy reports.  Both sides compile numba code for one named
CPU (:func:`shared_target`) and the host compiles the library's natives
first (:mod:`libmpk.vm.warm`), so the guest loads machine code instead of
compiling it under emulation.

Enable with ``-p libmpk.vm.pytest_plugin`` (this project's pyproject does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest

REQUIRE = "MPK_REQUIRE_PKU"
REPORT = "MPK_VM_REPORT"
BOOTS = "boots_guest"
# The guest's whole time, its warm-up included, counted from the start of
# the session's tests: 28-35 min on a fresh clone, more on a slow day.  One
# slow run must not lose all its results -- and the guest must still end in
# time for the session to report within CI's 90 min (set-up takes minutes
# before pytest starts), so a slow guest is a red run with its results, not
# a CI killed with none.
GUEST_S = 4500
# The guest (and its warm-up) yield the CPU to the host's tests: those
# measure races and spin threads that a busy core beside them would starve
# (the tier-up switch test's poking thread took a whole core from its main
# thread for 15+ min); the guest gets what they leave -- most of a core, as
# the host's suite is mostly one thread.
NICE = 10
# A target both sides can run: the host's CPU is not the guest's (TCG's
# "max"), and numba keys its cache on the CPU.  x86-64-v3 (AVX2, BMI2, FMA)
# where the host has it and QEMU emulates it (TCG has AVX2 since 7.2).
_V3_FLAGS = {"avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm", "xsave"}
_V2_FLAGS = {"cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"}


def _required() -> bool:
    return os.environ.get(REQUIRE) == "1"


def _cpu_flags() -> frozenset[str]:
    from libmpk.sandbox.hw import cpu  # (no numba behind it: safe before numba's settings)

    return cpu.read_cpuinfo().flags


def _qemu_version() -> tuple[int, int]:
    from .guest import QEMU

    try:
        p = subprocess.run([QEMU, "--version"], capture_output=True, text=True, timeout=30)
        words = p.stdout.split()
        v = words[words.index("version") + 1].split(".")
        return int(v[0]), int(v[1])
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return (0, 0)


def shared_target(flags: set[str] | None = None, qemu: tuple[int, int] | None = None) -> dict[str, str]:
    """numba's CPU settings for a host and its guest to share one disk cache:
    the newest x86-64 level both can run."""
    flags = _cpu_flags() if flags is None else flags
    if not _V2_FLAGS <= flags:
        return {"NUMBA_CPU_NAME": "generic"}  # (x86-64 baseline; numba's own default features: none)
    qemu = _qemu_version() if qemu is None else qemu
    name = "x86-64-v3" if _V3_FLAGS <= flags and qemu >= (7, 2) else "x86-64-v2"
    return {"NUMBA_CPU_NAME": name, "NUMBA_CPU_FEATURES": ""}


def _guest_needed() -> bool:
    """Cheaply, before anything imports numba: will pku tests go to a guest?"""
    if os.environ.get("MPK_VM") == "0" or os.environ.get("MPK_IN_VM"):
        return False
    return not {"pku", "ospke"} <= _cpu_flags()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args) -> None:
    """Name the shared numba target before any conftest or test imports numba
    (numba reads it once, at import).  A target the user set is kept."""
    if _guest_needed() and "NUMBA_CPU_NAME" not in os.environ and "numba" not in sys.modules:
        os.environ.update(shared_target())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pku: needs real PKU (natively where the CPU has it, else in the QEMU guest)")
    config.addinivalue_line("markers", f"{BOOTS}: boots a QEMU guest of its own (runs after the session's guest)")
    if os.environ.get(REPORT):
        config.pluginmanager.register(_Reporter(Path(os.environ[REPORT])), "mpk-vm-reporter")


class _Reporter:
    """Inside the guest: write every test's outcome for the host to read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.results: dict[str, dict] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        r = self.results.setdefault(report.nodeid, {"outcome": "passed", "text": ""})
        if report.failed:
            r["outcome"] = "failed"
            r["text"] += f"[{report.when}] {report.longreprtext}\n"
        elif report.skipped and r["outcome"] == "passed":
            r["outcome"] = "skipped"
            r["text"] = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else report.longreprtext
        if report.when == "teardown":
            self._write()  # after every test: a guest killed at its time limit keeps what it finished

    def pytest_sessionfinish(self) -> None:
        self._write()

    def _write(self) -> None:
        part = self.path.with_name(self.path.name + ".part")
        part.write_text(json.dumps(self.results))
        os.replace(part, self.path)  # (the host never reads half a file)


@dataclass
class _GuestRun:
    """One guest session for all proxied tests of this pytest run, started
    in a thread when the session's tests start (:meth:`start`) and waited
    for by the first proxy (:meth:`ensure`)."""

    config: pytest.Config
    nodeids: list[str] = field(default_factory=list)
    results: dict[str, dict] | None = None
    error: str | None = None
    seconds: float = 0.0
    status: int | None = None
    _thread: threading.Thread | None = None
    _log: BinaryIO | None = None
    _shown: bool = False

    def start(self) -> None:
        if self._thread is not None:
            return
        self._log = tempfile.TemporaryFile(prefix="mpkvm-out-")
        self._thread = threading.Thread(target=self._run, name="mpk-vm-guest", daemon=True)
        self._thread.start()

    def ensure(self) -> None:
        self.start()
        assert self._thread is not None and self._log is not None
        self._thread.join()
        if not self._shown:
            self._shown = True
            tr = self.config.pluginmanager.get_plugin("terminalreporter")
            capman = self.config.pluginmanager.get_plugin("capturemanager")
            self._log.seek(0)
            text = self._log.read().decode(errors="replace")
            if tr is not None and text.strip():
                with capman.global_and_fixture_disabled():
                    tr.write_line(f"\n[pku guest] its output ({self.seconds:.0f} s):")
                    tr.write(text if text.endswith("\n") else text + "\n")

    def _run(self) -> None:
        start = time.monotonic()
        try:
            self._guest()
        except Exception as e:  # (a thread's exception would otherwise vanish)
            self.error = f"the PKU guest could not run: {type(e).__name__}: {e}"
        finally:
            self.seconds = time.monotonic() - start

    def _guest(self) -> None:
        deadline = time.monotonic() + float(os.environ.get("MPK_VM_TIMEOUT", GUEST_S))
        if os.environ.get("MPK_VM") == "0":
            self.error = "MPK_VM=0: the PKU guest is disabled"
            return
        from . import GuestError, run
        from .guest import ensure_tool

        assert self._log is not None
        root = Path(str(self.config.rootpath))
        fd, report = tempfile.mkstemp(prefix=".mpkvm-report-", suffix=".json", dir=root)
        os.close(fd)
        env = {**os.environ, REPORT: report, "PY_COLORS": "0"}
        argv = [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--color=no",
            "--durations=25",
            *self.nodeids,
        ]
        log = self._log
        try:
            # The count tests trace with strace and step with gdb; the guest
            # sees the host's root read-only, so they must be installed out here.
            ensure_tool("strace", "strace", log=lambda m: None)
            ensure_tool("gdb", "gdb", log=lambda m: None)
            _warm(env, log, min(900.0, (deadline - time.monotonic()) / 2))
            _say(log, f"[pku guest] no PKU on this CPU: running {len(self.nodeids)} pku tests in the guest")
            timeout = max(60.0, deadline - time.monotonic())
            self.status = run(
                argv, cwd=root, env=env, timeout=timeout, stdout=log, stderr=log, log=lambda m: _say(log, m), nice=NICE
            )
            self.results = json.loads(Path(report).read_text() or "{}")
        except GuestError as e:
            self.error = f"the PKU guest could not run: {e}"
        except (OSError, ValueError) as e:
            self.error = f"the PKU guest gave no results (exit {self.status}): {e}"
        finally:
            Path(report).unlink(missing_ok=True)
            Path(report + ".part").unlink(missing_ok=True)


def _say(log, message: str) -> None:
    log.write((message + "\n").encode())
    log.flush()


def _warm(env: dict[str, str], log, seconds: float) -> None:
    """Compile the library's natives here, for the guest's target (see
    :mod:`libmpk.vm.warm`), for at most ``seconds``; a failure only costs the
    guest time."""
    if "NUMBA_CPU_NAME" not in env:
        return
    t = time.monotonic()
    try:
        p = subprocess.run(
            [sys.executable, "-m", "libmpk.vm.warm"],
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds,
            preexec_fn=lambda: os.nice(NICE),
        )
        took = time.monotonic() - t
        _say(log, f"[pku guest] natives compiled on the host for {env['NUMBA_CPU_NAME']} ({took:.0f} s)")
        if p.returncode != 0:
            _say(log, f"[pku guest] warm-up exit {p.returncode}: {(p.stdout + p.stderr).strip()[-800:]}")
    except (OSError, subprocess.SubprocessError) as e:
        _say(log, f"[pku guest] warm-up failed: {e}")


class GuestFailure(Exception):
    pass


class GuestProxy(pytest.Item):
    """Stands in for a ``pku`` test that runs in the guest."""

    def __init__(self, *, original: pytest.Item, guest: _GuestRun, **kw) -> None:
        super().__init__(**kw)
        self.original_nodeid = original.nodeid
        self.guest = guest
        self.own_markers = list(original.iter_markers())
        self.keywords.update(original.keywords)
        self._location = original.location

    @property
    def location(self):  # type: ignore[override]
        return self._location

    def reportinfo(self):
        return self._location

    def runtest(self) -> None:
        self.guest.ensure()
        if self.guest.error:
            if _required():
                raise GuestFailure(f"{REQUIRE}=1 but {self.guest.error}")
            pytest.skip(self.guest.error)
        r = (self.guest.results or {}).get(self.original_nodeid)
        if r is None:
            raise GuestFailure(f"did not run in the guest (guest pytest exit {self.guest.status})")
        if r["outcome"] == "failed":
            raise GuestFailure(f"failed in the PKU guest:\n{r['text']}")
        if r["outcome"] == "skipped":
            if _required():
                raise GuestFailure(f"{REQUIRE}=1 but it was skipped in the guest: {r['text']}")
            pytest.skip(f"skipped in the guest: {r['text']}")

    def repr_failure(self, excinfo, style=None):  # type: ignore[override]
        if isinstance(excinfo.value, GuestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    from libmpk.sandbox.hw import cpu

    support = cpu.detect()
    marked = [i for i, item in enumerate(items) if item.get_closest_marker("pku")]
    if support.available or not marked:
        return
    if os.environ.get("MPK_IN_VM"):  # a guest without PKU: nothing can help
        for i in marked:
            items[i].add_marker(pytest.mark.skip(reason=f"in the guest, still no PKU: {support.reason}"))
        return
    guest = _GuestRun(config)
    config._mpk_guest = guest  # type: ignore[attr-defined]
    for i in marked:
        orig = items[i]
        guest.nodeids.append(orig.nodeid)
        items[i] = GuestProxy.from_parent(orig.parent, name=orig.name, original=orig, guest=guest)
    # The proxies last: the host's own tests run while the guest works.  Tests
    # that boot a guest of their own wait for the session's to end: a second
    # QEMU beside it booted for 11+ min without running `sh -c exit` (CI
    # pre-check), where alone it boots in ~30 s.
    items.sort(key=lambda item: 1 if isinstance(item, GuestProxy) else 2 if item.get_closest_marker(BOOTS) else 0)


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    guest: _GuestRun | None = getattr(session.config, "_mpk_guest", None)  # (only where there are proxies)
    if guest is not None and not session.config.option.collectonly:
        guest.start()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    guest: _GuestRun | None = getattr(config, "_mpk_guest", None)
    if guest is None or (guest.results is None and guest.error is None):
        return
    tr = terminalreporter
    tr.section("PKU guest")
    if guest.error:
        tr.write_line(guest.error)
        return
    counts: dict[str, int] = {}
    for nodeid in guest.nodeids:
        outcome = (guest.results or {}).get(nodeid, {}).get("outcome", "not run")
        counts[outcome] = counts.get(outcome, 0) + 1
    text = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    tr.write_line(f"pku tests inside the QEMU guest: {text} (of {len(guest.nodeids)}; {guest.seconds:.0f} s)")
