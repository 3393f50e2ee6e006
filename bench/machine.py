"""What machine a set of figures came from: without it a ratio means little."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from importlib import metadata

PACKAGES = ("numba", "llvmlite", "numpy", "capstone", "pyelftools", "matplotlib")


def _version(cmd: list[str]) -> str | None:
    if not shutil.which(cmd[0]):
        return None
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = (p.stdout or p.stderr).strip().splitlines()
    return out[0] if out else None


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def describe() -> dict:
    from libmpk import sandbox

    info = sandbox.info()
    flags = _cpu_flags()
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": info["cpu_model"],
        "cpu_vendor": info["cpu_vendor"],
        "cores": os.cpu_count(),
        "cpu_flags_pku_ospke": sorted(flags & {"pku", "ospke"}),
        "pku_available": info["pku_available"],
        "backend": info["backend"],
        "hw_keys": info["hw_keys"],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "libmpk_py": info["version"],
        "packages": versions,
        "node": _version(["node", "--version"]),
        "memcached": _version(["memcached", "-V"]),
    }


def one_line(m: dict) -> str:
    pku = "PKU" if m["pku_available"] else "no PKU"
    return f"{m['cpu']}, {m['cores']} cores, {pku}, backend {m['backend']}, Linux {m['kernel']}, Python {m['python']}"
