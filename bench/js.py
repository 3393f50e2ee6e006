"""The JS engine on classic kernels: interpreter, JIT under each W^X mode,
node, and the same algorithm in CPython -- each kernel times itself (the
figure includes JIT compilation, as node's includes its own)."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from libmpk import sandbox
from libmpk.apps.js.hotness import LOAD_CALLS

from .harness import Sample, Table, progress
from .tools import ensure

KERNELS = Path(__file__).parent / "kernels"
SIZES = {  # (quick, full)
    "fib": (25, 30),
    "loops": (20000, 200000),
    "mandelbrot": (150, 400),
    "sieve": (200000, 2000000),
    "nbody": (50000, 500000),
    "spectral": (150, 400),
    "collatz": (50000, 300000),
    "pairs": (50000, 300000),
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


def _geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def run(quick: bool = False, modes: list[str] | None = None) -> list[Table]:
    pku = sandbox.info()["backend"] == "pku"
    modes = modes or ["interp", "none", "mprotect"] + (["pku"] if pku else [])
    missing = ensure({"node": "nodejs"})
    node = shutil.which("node")
    names = {m: ("interpreter" if m == "interp" else f"jit {m}") for m in modes} | {
        "node": "node",
        "cpython": "CPython",
    }
    cols = ["kernel", "size"] + list(names.values()) + ["jit/node", "CPython/jit", "interp/jit"]
    t = Table("JS kernels: each kernel's own time (lower is better)", cols)
    best_jit = "pku" if pku else "mprotect"
    # (--no-cache: each run parses and compiles, as node's does -- kept trees and objects
    # would leave LLVM out of every run after the first)
    mpk = [sys.executable, "-m", "libmpk", "run", "--no-cache"]
    timeout = 120 if quick else 600
    repeat = 3
    ratios: dict[str, list[float]] = {"jit/node": [], "CPython/jit": [], "interp/jit": []}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, (qs, fs) in SIZES.items():
            size = qs if quick else fs
            progress(f"{name} ({size})")
            js = _with_size(KERNELS / f"{name}.js", size, tmp, ".js")
            py = _with_size(KERNELS / f"{name}.py", size, tmp, ".py")
            cmds = {
                m: mpk + (["--no-jit"] if m == "interp" else ["--preload-jit", "--wx", m]) + [str(js)] for m in modes
            }
            if node:
                cmds["node"] = [node, str(js)]
            cmds["cpython"] = [sys.executable, str(py)]
            runs: dict[str, list[float]] = {m: [] for m in cmds}
            answers: set[str] = set()
            for rep in range(repeat):  # interleaved, so drift hits every column alike
                for m, cmd in cmds.items():
                    if runs[m] is None or (m == "interp" and quick and rep):
                        continue  # failed before; the interpreter runs once in --quick
                    ms, ans = _time(cmd, timeout if m != "interp" else timeout / 2)
                    if ms is None:
                        runs[m] = None
                        continue
                    runs[m].append(ms / 1e3)
                    if m != "cpython":
                        answers.add(ans)
            med = {m: Sample(r) for m, r in runs.items() if r}

            def ratio(a: str, b: str, key: str, med=med) -> float | str:
                if a not in med or b not in med:
                    return "-"
                value = med[a].median / med[b].median
                ratios[key].append(value)
                return value

            row: list[object] = [name, size] + [med.get(m, "-") for m in names]
            row += [ratio(best_jit, "node", "jit/node"), ratio("cpython", best_jit, "CPython/jit")]
            row += [ratio("interp", best_jit, "interp/jit")]
            t.add(*row)
            if len(answers) > 1:
                t.notes.append(f"{name}: modes disagree on the result: {sorted(answers)}")
    for key, values in ratios.items():
        g = _geomean(values)
        if g is not None:
            t.headline.append((f"JS: {key}, geometric mean over {len(values)} kernels", g))
    t.notes.append(f"ratios use the '{best_jit}' W^X mode; '-' = timed out or unavailable; JIT compile time included")
    t.notes.append(
        "JIT columns run with --preload-jit: the compiler loads before the kernel starts its clock, as node's "
        "does; what the load costs a whole run is the start-up table's last row"
    )
    t.notes.append(f"median of {repeat} runs" + (" (the interpreter: 1 run in --quick)" if quick else ""))
    if not node:
        t.notes.append(f"node not found ({missing} could not be installed): the node column is empty")
    if not pku:
        t.notes.append("no PKU here: the pku W^X mode cannot run; none vs mprotect shows the W^X cost of this fallback")
    return [t, _patching(mpk, modes, node, 3 if quick else 5), _startup(mpk, node, 5 if quick else 15)]


HOT = LOAD_CALLS + 1  # calls that make a function hot enough to load the compiler for

# program -> (what its row says it does, whether the compiler loads): each
# claim is checked against the run's --stats-json, so a change of the load
# policy cannot leave a row timing something other than what it says
STARTUP = {
    "console.log(1)": ("nothing hot: the compiler never loads", False),
    f"function f() {{ return arguments.length }}; for (let i = 0; i < {HOT}; i++) f(i)": (
        "hot, but refused without loading the compiler (uses arguments)",
        False,
    ),
    f"function f(x) {{ return x + 1 }}; let s = 0; for (let i = 0; i < {HOT}; i++) s = f(s)": (
        "hot: loads the compiler, compiles f",
        True,
    ),
}


def _startup_claim_broken(mpk: list[str], code: str, loads: bool) -> str | None:
    """What a start-up program did that its row does not say, or None."""
    with tempfile.TemporaryDirectory() as d:
        stats = Path(d) / "stats.json"
        p = subprocess.run(mpk + ["--stats-json", str(stats), "-e", code], capture_output=True, timeout=300)
        if p.returncode != 0 or not stats.is_file():
            return f"exit {p.returncode}"
        st = json.loads(stats.read_text())
    did = (bool(st.get("jit_loaded")), st.get("functions_compiled", 0) > 0)
    return None if did == (loads, loads) else f"compiler loaded: {did[0]}, functions compiled: {did[1]}"


ICS_PATCHES = 24 * 16 * 4  # (ics.js: its readers' sites, each patched once per shape)


def _patching(mpk: list[str], modes: list[str], node: str | None, repeat: int) -> Table:
    """The W^X cost of patching live code: bench/kernels/ics.js (1536 inline
    cache patches) under each mode, with the patches and write windows the
    run's --stats counted."""
    t = Table(
        "JS inline caches: a patch-heavy program under each W^X mode (lower is better)",
        ["W^X mode", "time", "IC patches", "write windows", "time / none"],
    )
    src = KERNELS / "ics.js"
    wx = [m for m in modes if m != "interp"]
    runs: dict[str, list[float]] = {m: [] for m in wx}
    counts: dict[str, tuple] = {}
    with tempfile.TemporaryDirectory() as d:
        stats = Path(d) / "stats.json"
        for _ in range(repeat):  # interleaved
            for m in wx:
                ms, _ans = _time(mpk + ["--preload-jit", "--wx", m, "--stats-json", str(stats), str(src)], 300)
                if ms is None:
                    continue
                runs[m].append(ms / 1e3)
                st = json.loads(stats.read_text())
                counts[m] = (st.get("ic_patches", 0), st.get("write_windows", 0))
        if node:
            ms, _ans = _time([node, str(src)], 60)
    med = {m: Sample(r) for m, r in runs.items() if r}
    for m in wx:
        ratio = med[m].median / med["none"].median if m in med and "none" in med else "-"
        t.add(m, med.get(m, "-"), *counts.get(m, ("-", "-")), ratio)
    if node and ms is not None:
        t.notes.append(f"node runs the same program in {ms:.1f} ms (its ICs patch data, not code)")
    short = [m for m, (patches, _w) in counts.items() if patches < ICS_PATCHES]
    if short:
        t.notes.append(f"WARNING: under {', '.join(short)} fewer than {ICS_PATCHES} patches: no patching timed")
    t.notes.append(
        "each patch is scanned for PKRU gadgets first; mprotect flips the commit's pages RW, read-only, RX "
        "(6 system calls); pku opens this thread's window (no system call: tests/test_sync_cost.py)"
    )
    t.notes.append(f"median of {repeat} interleaved runs; the time includes compiling the 24 functions")
    return t


def _startup(mpk: list[str], node: str | None, repeat: int) -> Table:
    """Wall time of whole short runs, start-up included (what a user waits for)."""
    t = Table(
        "JS start-up: wall time of a whole `mpk run -e` (lower is better)", ["program", "mpk run", "node", "mpk/node"]
    )
    for code, (what, loads) in STARTUP.items():
        broken = _startup_claim_broken(mpk, code, loads)
        if broken:
            t.notes.append(f"WARNING: {code[:40]}... does not do what its row says ({broken})")
        cmds = {"mpk": mpk + ["-e", code]} | ({"node": [node, "-e", code]} if node else {})
        runs: dict[str, list[float]] = {k: [] for k in cmds}
        for _ in range(repeat):  # interleaved
            for k, cmd in cmds.items():
                t0 = time.perf_counter()
                p = subprocess.run(cmd, capture_output=True, timeout=120)
                if p.returncode == 0:
                    runs[k].append(time.perf_counter() - t0)
        med = {k: Sample(r) for k, r in runs.items() if r}
        ratio = med["mpk"].median / med["node"].median if "mpk" in med and "node" in med else "-"
        t.add(
            f"{code[:40]}{'...' if len(code) > 40 else ''} ({what})", med.get("mpk", "-"), med.get("node", "-"), ratio
        )
    t.notes.append(f"median of {repeat} interleaved runs; target (issue 17): console.log(1) <= 0.2 s here")
    return t


__all__ = ["run", "os"]
