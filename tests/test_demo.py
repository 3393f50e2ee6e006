"""The demo's second half -- the attacks the protection stops -- on both backends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("backend", ["mprotect", pytest.param("pku", marks=pytest.mark.pku)])
def test_what_it_stops(backend: str, tmp_path: Path):
    env = {**os.environ, "MPK_BACKEND": backend}
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "what_it_stops.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"backend {backend}" in p.stdout
    assert p.stdout.count("stopped: SIGSEGV") == 2 and "refused before it became executable" in p.stdout
    assert "all three stopped" in p.stdout
