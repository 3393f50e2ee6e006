"""Keep numba's on-disk cache of this package consistent.

numba invalidates a cached function only when *its own* source file changes,
but our compiled functions inline code and constants from other modules (the
arena layout, the intrinsics, the switch, the domain stack, the vkey map).  So
the cache of the whole package is keyed on one stamp of all its source files
(a hand-kept list of the ones that feed compiled code went stale): when it
changes, every cached entry of the package is dropped before anything
compiles.

The library's natives are declared with this module's :func:`njit` and
:func:`cfunc` (numba's, with ``cache=True`` loading through :class:`LoadCache`):
numba's own loader refreshes its whole target context before each load --
the first refresh imports and installs every registry numba has (numpy
support, typed containers, jitclass, third-party entry points: ~100 ms of
the JS JIT's ~0.4 s load here), which only *compiling* needs.  Loading
machine code from the cache needs only NRT, which it links against.  A
compilation (a cache miss, a user's ``@njit`` calling ``nb.begin``) still
refreshes first: numba's compiler does that itself.
"""

from __future__ import annotations

import functools
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


@functools.cache
def load_cache_class() -> type:
    """:class:`LoadCache`, made on first use: this module is imported before
    numba is (``import libmpk.sandbox`` does not pay for numba)."""
    from numba.core.caching import FunctionCache
    from numba.core.runtime.nrt import rtsys

    class LoadCache(FunctionCache):
        """numba's disk cache of one function, loading without the context
        refresh (module docstring)."""

        def load_overload(self, sig, target_context):
            rtsys.initialize(target_context)  # (the loaded code links against NRT's symbols)
            with self._guard_against_spurious_io_errors():
                return self._load_overload(sig, target_context)

    return LoadCache


def njit(**options):
    """``numba.njit(**options)``; with ``cache=True`` the disk cache loads
    through :class:`LoadCache`."""
    import numba

    cache = options.pop("cache", False)

    def wrap(fn: Callable):
        native = numba.njit(**options)(fn)
        if cache:
            native._cache = load_cache_class()(native.py_func)  # (what Dispatcher.enable_caching sets)
        return native

    return wrap


def cfunc(sig, cache: bool = False, **options):
    """``numba.cfunc(sig, **options)``, compiled (or loaded) at once as
    numba's is; with ``cache=True`` through :class:`LoadCache`."""
    import numba
    from numba.core import sigutils
    from numba.core.ccallback import CFunc

    if not cache:
        return numba.cfunc(sig, **options)

    def wrap(fn: Callable):
        native = CFunc(fn, sigutils.normalize_signature(sig), locals={}, options=options)
        native._cache = load_cache_class()(fn)  # (what CFunc.enable_caching sets)
        native.compile()
        return native

    return wrap


def load(natives: Iterable[tuple[Callable, tuple]]) -> None:
    """Load each ``(native, example arguments)`` now -- from this cache, or
    compiled -- for the signature numba infers from the examples.  For
    natives a later moment cannot afford to compile: under the library lock,
    or in a forked child that may be killed before it writes the cache.
    Cheap once loaded (numba looks the signature up)."""
    import numba

    for fn, args in natives:
        fn.compile(tuple(numba.typeof(a) for a in args))
