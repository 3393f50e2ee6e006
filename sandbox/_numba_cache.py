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
import hashlib
import os
import struct
import tempfile
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

    class LoadCache(FunctionCache):
        """numba's disk cache of one function, loading without the context
        refresh (module docstring)."""

        def load_overload(self, sig, target_context):
            nrt_ready(target_context)  # (the loaded code links against NRT's symbols)
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


_NRT_MAGIC = b"libmpk-nrt-1\n"  # then two lengths, the sha256 of what follows, object code, bitcode


def nrt_ready(ctx) -> None:
    """Initialise numba's runtime (NRT) as ``rtsys.initialize`` does --
    its C helpers registered as symbols, then its compiled functions
    (atomic incref/decref, the allocation wrappers) -- but with those
    functions' object code read from this package's cache when it was kept
    for this numba, LLVM, target and NRT configuration; compiled (and kept)
    otherwise.  Anything unexpected falls back to numba's own initialise."""
    from numba.core.runtime.nrt import rtsys

    if getattr(rtsys, "_init", False):
        return
    try:
        _nrt_from_cache(ctx, rtsys)
    except Exception:  # (another numba's internals: its own path, as before)
        if not getattr(rtsys, "_init", False):
            rtsys.initialize(ctx)


def _nrt_path(ctx) -> Path:
    import llvmlite
    import numba
    from numba.core import config

    key = repr((numba.__version__, llvmlite.__version__, ctx.codegen().magic_tuple(), config.DEBUG_NRT, config.OPT))
    return _ROOT / "__pycache__" / f"nrt-{hashlib.sha256(key.encode()).hexdigest()[:20]}.nbc"


def _nrt_from_cache(ctx, rtsys) -> None:
    import llvmlite.binding as ll
    from numba.core import config
    from numba.core.compiler_lock import global_compiler_lock
    from numba.core.runtime import _nrt_python, nrtdynmod

    if config.NRT_STATS:
        _nrt_python.memsys_enable_stats()
    for name, address in _nrt_python.c_helpers.items():  # (before any NRT code loads: a missing one aborts)
        ll.add_symbol(name if name.startswith("_") else "NRT_" + name, address)
    path = _nrt_path(ctx)
    state = _read_nrt(path)
    with global_compiler_lock:
        if rtsys._init:
            return
        if state is not None:
            library = ctx.codegen().unserialize_library(state)
        else:
            module, library = nrtdynmod.create_nrt_module(ctx)
            library.enable_object_caching()
            library.add_ir_module(module)
            library.finalize()
            _write_nrt(path, library.serialize_using_object_code())
        rtsys._library = library
        rtsys._init = True


def _read_nrt(path: Path):
    """``(name, "object", (object code, bitcode))`` as numba serialises a
    library, or None if there is no sound entry."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_NRT_MAGIC) + 48
    if not data.startswith(_NRT_MAGIC) or len(data) < head:
        return None
    n_obj, n_bc = struct.unpack_from("<QQ", data, len(_NRT_MAGIC))
    digest = data[head - 32 : head]
    if head + n_obj + n_bc != len(data) or hashlib.sha256(data[head:]).digest() != digest:
        return None  # (cut short, or not what was written: LLVM would abort on a bad object)
    return ("nrt", "object", (data[head : head + n_obj], data[head + n_obj :]))


def _write_nrt(path: Path, state) -> None:
    name, kind, (obj, bitcode) = state
    if name != "nrt" or kind != "object":
        return
    try:
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".nrt-", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            body = obj + bitcode
            f.write(_NRT_MAGIC + struct.pack("<QQ", len(obj), len(bitcode)) + hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)  # (whole or absent: a reader never sees half)
    except OSError:  # (a read-only install: compiled each time, as numba does)
        try:
            os.unlink(tmp)
        except (OSError, NameError):
            pass
