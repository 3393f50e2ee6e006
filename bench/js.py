"""The JS engine on classic kernels: interpreter, JIT under each W^X mode,
node, and the same algorithm in CPython -- each kernel times itself (the
figure includes JIT compilation, as node's includes its own)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sandbox

from .harness import Table

KERNELS = Path(__file__).parent / "kernels"
SIZES = {  # (quick, full)
    "fib": (25, 30),
    "loops": (20000, 200000),
    "mandelbrot": (150, 400),
    "sieve": (200000, 2000000),
    "nbody": (50000, 500000),
    "spectral": (150, 400),
    "collatz": (50000, 300000),
}
_MS = re.compile(r"ms ([0-9.eE+-]+)\s*$")


def _time(cmd: list[str], timeout: float) -> tuple[float | None, str]:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    m = _MS.search(p.stdout.strip().splitlines()[-1] if p.stdout.strip() else "")
    if p.returncode != 0 or not m:
        return None, (p.stderr.strip().splitlines() or ["failed"])[-1]
    return float(m.group(1)), p.stdout.strip().rsplit(" ms ", 1)[0]


def _with_size(src: Path, size: int, tmp: Path, suffix: str) -> Path:
    out = tmp / f"{src.stem}{suffix}"
    text = src.read_text()
    if suffix == ".js":
        out.write_text(f"const SIZE = {size};\n{text}")
    else:
        out.write_text(re.sub(r"^N = .*$", f"N = {size}", text, count=1, flags=re.M))
    return out


def run(quick: bool = False, modes: list[str] | None = None) -> list[Table]:
    pku = sandbox.info()["backend"] == "pku"
    modes = modes or ["interp", "none", "mprotect"] + (["pku"] if pku else [])
    node = shutil.which("node")
    cols = ["kernel", "size"] + [f"jit {m}" if m != "interp" else "interpreter" for m in modes]
    cols += ["node", "CPython", "jit/node", "CPython/jit", "interp/jit"]
    t = Table("JS kernels: time in ms (each kernel times itself; lower is better)", cols)
    best_jit = "pku" if pku else "mprotect"
    mpk = [sys.executable, "-m", "mpk", "run"]
    timeout = 120 if quick else 600
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, (qs, fs) in SIZES.items():
            size = qs if quick else fs
            js = _with_size(KERNELS / f"{name}.js", size, tmp, ".js")
            py = _with_size(KERNELS / f"{name}.py", size, tmp, ".py")
            times: dict[str, float | None] = {}
            answers = set()
            for m in modes:
                cmd = mpk + (["--no-jit"] if m == "interp" else ["--wx", m]) + [str(js)]
                ms, ans = _time(cmd, timeout if m != "interp" else timeout / 2)
                times[m] = ms
                if ms is not None:
                    answers.add(ans)
            times["node"], ans = _time([node, str(js)], timeout) if node else (None, "")
            if times["node"] is not None:
                answers.add(ans)
            times["cpython"], _ = _time([sys.executable, str(py)], timeout)
            jit = times.get(best_jit)

            def ratio(a, b):
                return f"{a / b:.2f}" if a is not None and b is not None and b > 0 else "-"

            row = [name, size] + [f"{times[m]:.1f}" if times[m] is not None else "-" for m in modes]
            row += [
                f"{times['node']:.1f}" if times["node"] else "-",
                f"{times['cpython']:.1f}" if times["cpython"] else "-",
            ]
            row += [ratio(jit, times["node"]), ratio(times["cpython"], jit), ratio(times.get("interp"), jit)]
            t.add(*row)
            if len(answers) > 1:
                t.notes.append(f"{name}: modes disagree on the result: {sorted(answers)}")
    t.notes.append(f"jit/node and CPython/jit use the '{best_jit}' W^X mode; '-' = timed out or unavailable")
    if not pku:
        t.notes.append("no PKU here: the pku W^X mode cannot run; none vs mprotect shows the W^X cost of this fallback")
    return t and [t]


__all__ = ["run", "os"]
