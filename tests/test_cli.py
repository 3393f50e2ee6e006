"""``mpk info`` on this machine."""

from __future__ import annotations

import json
import subprocess
import sys

from libmpk.sandbox.hw import cpu

KEYS = {"backend", "pku_available", "pku_reason", "hw_keys", "cpu_vendor", "cpu_model", "kernel", "version"}


def mpk(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "libmpk", *args], capture_output=True, text=True, env=env, timeout=300)


def test_info_json_reports_backend_and_reason():
    p = mpk("info", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert KEYS <= d.keys()
    support = cpu.detect()
    assert d["pku_available"] is support.available
    if support.available:
        assert d["backend"] == "pku" and d["hw_keys"] >= 1
    else:
        assert d["backend"] == "mprotect" and d["hw_keys"] == 0
        assert "pku" in d["pku_reason"] or "pkey_alloc" in d["pku_reason"]
        assert "process-wide" in d["guarantees"]["begin_end"]


def test_info_text_and_forced_fallback():
    import os

    p = mpk("info", env={**os.environ, "MPK_BACKEND": "mprotect"})
    assert p.returncode == 0, p.stderr
    assert "backend     mprotect" in p.stdout and "MPK_BACKEND=mprotect" in p.stdout


def test_info_backend_pku_works_or_refuses_cleanly():
    p = mpk("info", "--backend", "pku", "--json")
    if cpu.detect().available:
        assert p.returncode == 0 and json.loads(p.stdout)["backend"] == "pku"
    else:
        assert p.returncode == 2
        assert "PKU is unavailable" in p.stderr and "Traceback" not in p.stderr
