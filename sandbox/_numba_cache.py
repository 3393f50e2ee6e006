"""Keep numba's on-disk cache of this package consistent.

numba invalidates a cached function only when *its own* source file changes,
but our compiled functions inline code and constants from other modules (the
arena layout, the intrinsics, the switch, the domain stack, the vkey map).  So
the cache of the whole package is keyed on one digest of all its source files
(a hand-kept list of the ones that feed compiled code went stale): when it
changes, every cached entry of the package is dropped before anything
compiles.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_STAMP = "libmpk-numba-stamp"


def _digest() -> str:
    h = hashlib.sha256()
    for path in sorted(_ROOT.rglob("*.py")):
        h.update(path.relative_to(_ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def refresh() -> None:
    """Drop stale cache files of this package (best effort; read-only installs skip)."""
    digest = _digest()
    caches = [_ROOT / "__pycache__", _ROOT / "hw" / "__pycache__"]
    stamp = caches[0] / _STAMP
    try:
        if stamp.read_text() == digest:
            return
    except OSError:
        pass
    try:
        for d in caches:
            if d.is_dir():
                for f in list(d.glob("*.nbi")) + list(d.glob("*.nbc")):
                    f.unlink(missing_ok=True)
        caches[0].mkdir(exist_ok=True)
        stamp.write_text(digest)
    except OSError:
        pass
