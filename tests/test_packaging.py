"""A built wheel is the whole product: installed into a fresh venv outside the
checkout, its commands find every file they open, and it installs no
top-level name but ``libmpk``.

Slow (a wheel build and a venv with numba); dependencies come from pip's
cache or the package index, as any user's install would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(cmd: list[str], cwd: Path, timeout: float = 900, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, **kw)


def _source_copy(dest: Path) -> Path:
    """The checkout's files as a fresh clone would have them (plus new files not
    yet committed): a build in the checkout itself could pick up a stale build/."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    src = _source_copy(tmp_path_factory.mktemp("src"))
    p = _run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(out), str(src)], out)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert "Deprecat" not in p.stdout + p.stderr, "the build prints deprecation warnings"
    (whl,) = out.glob("libmpk_py-*.whl")
    return whl


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory) -> Path:
    """A fresh venv (no site packages of ours), the wheel installed with its deps."""
    home = tmp_path_factory.mktemp("user")
    env_dir = home / "venv"
    p = _run([sys.executable, "-m", "venv", str(env_dir)], home)
    assert p.returncode == 0, p.stderr
    p = _run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", f"{wheel}[bench]"], home)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return env_dir


def test_wheel_installs_only_the_libmpk_top_level_package(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"libmpk"}, tops
    for sub in ("sandbox", "jit", "apps", "bench"):
        assert f"libmpk/{sub}/__init__.py" in names
    kernels = {Path(n).name for n in names if n.startswith("libmpk/bench/kernels/")}
    shipped = {p.name for p in (ROOT / "bench" / "kernels").iterdir() if p.suffix in (".js", ".py")}
    assert kernels == shipped


def test_installed_commands_run_outside_the_checkout(venv: Path, tmp_path: Path):
    mpk = str(venv / "bin" / "mpk")
    py = str(venv / "bin" / "python")
    code = "import libmpk.sandbox as s, libmpk.bench as b; print(s.__file__); print(b.__file__)"
    where = _run([py, "-c", code], tmp_path)
    assert where.returncode == 0, where.stderr
    assert all(str(venv) in line for line in where.stdout.split()), where.stdout  # not the checkout's copy

    prog = tmp_path / "prog.js"
    prog.write_text("function f(n){let s=0;for(let i=0;i<n;i++)s+=i;return s}\nconsole.log(f(100000));\n")
    p = _run([mpk, "run", str(prog)], tmp_path, timeout=300)
    assert (p.returncode, p.stdout) == (0, "4999950000\n"), p.stderr

    p = _run([mpk, "audit", "--self"], tmp_path, timeout=600)
    assert p.returncode in (0, 1), p.stderr[-2000:]  # 1: stray gadgets in libraries (libc's pkey_set, ...)

    out = tmp_path / "bench.json"
    p = _run([mpk, "bench", "--quick", "--json", str(out)], tmp_path, timeout=1500)
    assert p.returncode == 0, p.stderr[-3000:]
    report = json.loads(out.read_text())
    suites = {s["name"]: s for s in report["suites"]}
    assert set(suites) == {"switch", "sync", "jit", "js", "keyvault", "kvstore"}, set(suites)
    assert not [s["error"] for s in suites.values() if s.get("error")], suites
