"""Outside programs the suites compare against, installed from Debian when
missing and running as root (a fresh machine has none of them)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def _present(tool: str) -> bool:
    return os.path.exists(tool) if "/" in tool else shutil.which(tool) is not None


def ensure(tools: dict[str, str]) -> str | None:
    """``tools`` maps a command (or a file's absolute path, for a library's
    headers) to its Debian package.  Install what is missing if we can; the
    packages still missing afterwards, or None."""
    missing = sorted({pkg for tool, pkg in tools.items() if not _present(tool)})
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
        print(f"    installing {' '.join(missing)} (apt-get)", file=sys.stderr, flush=True)
        if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
            subprocess.run(cmd, env=env, capture_output=True)
        missing = sorted({pkg for tool, pkg in tools.items() if not _present(tool)})
    return " ".join(missing) or None
