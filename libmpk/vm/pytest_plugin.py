"""pytest plugin: tests marked ``pku`` run where real PKU is.

- On a CPU with PKU they run natively, like any test.
- Otherwise every selected ``pku`` test is replaced by a proxy, and the first
  proxy to run boots the QEMU guest once and runs all of them there in one
  pytest session; each proxy then reports its own test's guest outcome.
- If the guest cannot run (no qemu, no apt, not root, $MPK_VM=0) they are
  skipped with the reason -- unless $MPK_REQUIRE_PKU=1, which turns a missing
  PKU, and any skip inside the guest, into a failure.

Enable with ``-p libmpk.vm.pytest_plugin`` (this project's pyproject does).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REQUIRE = "MPK_REQUIRE_PKU"
REPORT = "MPK_VM_REPORT"
# The whole guest run.  It takes 28-35 min on a fresh clone (every native
# compiles under emulation); one slow run must not lose all its results.
GUEST_S = 3600


def _required() -> bool:
    return os.environ.get(REQUIRE) == "1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "pku: needs real PKU (natively where the CPU has it, else in the QEMU guest)")
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

    def pytest_sessionfinish(self) -> None:
        self.path.write_text(json.dumps(self.results))


@dataclass
class _GuestRun:
    """One guest session for all proxied tests of this pytest run."""

    config: pytest.Config
    nodeids: list[str] = field(default_factory=list)
    results: dict[str, dict] | None = None
    error: str | None = None
    seconds: float = 0.0
    status: int | None = None

    def ensure(self) -> None:
        if self.results is not None or self.error is not None:
            return
        if os.environ.get("MPK_VM") == "0":
            self.error = "MPK_VM=0: the PKU guest is disabled"
            return
        from . import GuestError, run
        from .guest import ensure_tool

        root = Path(str(self.config.rootpath))
        fd, report = tempfile.mkstemp(prefix=".mpkvm-report-", suffix=".json", dir=root)
        os.close(fd)
        env = {**os.environ, REPORT: report, "PY_COLORS": "0"}
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--color=no", *self.nodeids]
        tr = self.config.pluginmanager.get_plugin("terminalreporter")
        capman = self.config.pluginmanager.get_plugin("capturemanager")
        start = time.monotonic()
        try:
            # The count tests trace with strace and step with gdb; the guest
            # sees the host's root read-only, so they must be installed out here.
            ensure_tool("strace", "strace", log=lambda m: None)
            ensure_tool("gdb", "gdb", log=lambda m: None)
            with capman.global_and_fixture_disabled():
                if tr is not None:
                    tr.write_line(
                        f"\n[pku guest] no PKU on this CPU: running {len(self.nodeids)} pku tests in the guest"
                    )
                self.status = run(argv, cwd=root, env=env, timeout=float(os.environ.get("MPK_VM_TIMEOUT", GUEST_S)))
            self.results = json.loads(Path(report).read_text() or "{}")
        except GuestError as e:
            self.error = f"the PKU guest could not run: {e}"
        except (OSError, ValueError) as e:
            self.error = f"the PKU guest gave no results (exit {self.status}): {e}"
        finally:
            self.seconds = time.monotonic() - start
            Path(report).unlink(missing_ok=True)


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
