"""The pytest plugin's scheduling (libmpk/vm/pytest_plugin.py), on the host.

The guest's own behaviour is tests/test_vm.py's; here: the guest's tests are
proxied and run last, after the host's, and both sides name one numba CPU
target so that what the host compiled loads in the guest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from libmpk.vm import pytest_plugin as P

V2 = {"cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"}
V3 = V2 | {"avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "abm", "xsave"}


def test_the_shared_target_is_one_both_sides_can_run():
    assert P.shared_target(V3, (7, 2)) == {"NUMBA_CPU_NAME": "x86-64-v3", "NUMBA_CPU_FEATURES": ""}
    # QEMU before 7.2 emulates no AVX2, and a host without it cannot run v3's code
    assert P.shared_target(V3, (7, 1))["NUMBA_CPU_NAME"] == "x86-64-v2"
    assert P.shared_target(V3 - {"avx2"}, (8, 0))["NUMBA_CPU_NAME"] == "x86-64-v2"
    assert P.shared_target(V2 - {"popcnt"}, (8, 0)) == {"NUMBA_CPU_NAME": "generic"}


def test_this_session_compiles_for_the_shared_target_when_a_guest_runs():
    """Set before numba was imported, or numba would key this process's cache
    on the host's CPU and the guest would compile everything again."""
    import numba.core.config as config

    if not P._guest_needed() or os.environ.get("NUMBA_CPU_NAME") is None:
        assert config.CPU_NAME == os.environ.get("NUMBA_CPU_NAME")
        return
    assert config.CPU_NAME == os.environ["NUMBA_CPU_NAME"]
    assert config.CPU_NAME in ("x86-64-v3", "x86-64-v2", "generic")


def test_proxies_run_after_the_hosts_tests(tmp_path: Path):
    """A pku test declared first still reports after the host's tests: the
    host's run while the guest works; one that boots its own guest runs
    after the session's.  (MPK_VM=0: the proxies skip.)"""
    (tmp_path / "test_order.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.pku\n"
        "def test_a_first_in_the_file():\n    pass\n\n"
        "def test_b_host():\n    pass\n\n"
        "def test_c_host():\n    pass\n\n"
        "@pytest.mark.boots_guest\n"
        "def test_0_boots_its_own():\n    pass\n"
    )
    env = {**os.environ, "MPK_VM": "0"}
    env.pop("MPK_REQUIRE_PKU", None)
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "libmpk.vm.pytest_plugin",
            "-v",
            "-p",
            "no:cacheprovider",
            "test_order.py",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [ln for ln in p.stdout.splitlines() if "test_order.py::" in ln]
    names = [ln.split("::")[1].split()[0] for ln in lines]
    if not {"pku", "ospke"} <= P._cpu_flags():
        assert names == ["test_b_host", "test_c_host", "test_a_first_in_the_file", "test_0_boots_its_own"], p.stdout
        assert "SKIPPED" in lines[-2] and "MPK_VM=0" in p.stdout, p.stdout
    else:  # (a PKU CPU: nothing is proxied, the file's order stays)
        assert names[0] == "test_a_first_in_the_file", p.stdout


def test_a_guest_session_killed_part_way_keeps_what_it_finished(tmp_path: Path):
    """The guest's reporter writes after every test: a guest stopped at its
    time limit (CI's 90 min) reports the tests it ran, and only the rest
    read "did not run" -- before, one slow test lost every result."""
    (tmp_path / "test_cut.py").write_text(
        "import os, signal\n\n"
        "def test_one():\n    pass\n\n"
        "def test_two():\n    assert False, 'seen failing'\n\n"
        "def test_killed_here():\n    os.kill(os.getpid(), signal.SIGKILL)\n\n"
        "def test_never_reached():\n    pass\n"
    )
    report = tmp_path / "report.json"
    env = {**os.environ, "MPK_VM": "0", P.REPORT: str(report)}
    argv = ["-m", "pytest", "-p", "libmpk.vm.pytest_plugin", "-q", "-p", "no:cacheprovider", "test_cut.py"]
    p = subprocess.run(
        [sys.executable, *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == -9, p.stdout + p.stderr
    got = json.loads(report.read_text())
    assert got["test_cut.py::test_one"]["outcome"] == "passed"
    two = got["test_cut.py::test_two"]
    assert two["outcome"] == "failed" and "seen failing" in two["text"]
    assert "test_cut.py::test_killed_here" not in got and "test_cut.py::test_never_reached" not in got
    assert not list(tmp_path.glob("*.part"))
