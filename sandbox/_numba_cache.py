"""Keep numba's on-disk cache of this package consistent.

numba invalidates a cached function only when *its own* source file changes,
but our compiled functions inline code and constants from other modules (the
arena layout, the intrinsics, the switch, the domain stack, the vkey map).  So
the cache of the whole package is keyed on one stamp of all its source files
(a hand-kept list of the ones that feed compiled code went stale): when it
changes, every cached entry of the package is dropped before anything
compiles.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_STAMP = "libmpk-numba-stamp"


def _digest() -> str:
    """Every source file's path, size and mtime: any edit changes it, and
    it costs a stat per file (this runs on every import of the package)."""
    parts = []
    for path in sorted(_ROOT.rglob("*.py")):
        st = os.stat(path)
        parts.append(f"{path.relative_to(_ROOT).as_posix()} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(parts)


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


def load(natives: Iterable[tuple[Callable, tuple]]) -> None:
    """Load each ``(native, example arguments)`` now -- from this cache, or
    compiled -- for the signature numba infers from the examples.  For
    natives a later moment cannot afford to compile: under the library lock,
    or in a forked child that may be killed before it writes the cache.
    Cheap once loaded (numba looks the signature up)."""
    import numba

    for fn, args in natives:
        fn.compile(tuple(numba.typeof(a) for a in args))
