"""A protected code cache for JITs, on the sandbox core.

    from libmpk.jit import CodeCache, Loader, compile_ir
    cache = CodeCache(wx="pku")            # or "mprotect"; "none" for baselines
    mod = compile_ir(cache, ir_text)        # scanned, relocated, committed
    add = mod.ctypes("add", c_int64, c_int64, c_int64)

See README.md ("Embedding the code cache").
"""

from __future__ import annotations

import libmpk

libmpk.only_as_layer(__name__)  # one copy of the library per process

from .codecache import MODES, CodeCache, Placement  # noqa: E402
from .compiler import BASELINE, IR, IRSource, emit_object, entry_pads  # noqa: E402
from .errors import GadgetError, InvalidIRError, JitError, RelocationError  # noqa: E402
from .loader import Loader, Module  # noqa: E402
from .scanner import Hit, brute_force, explain, scan  # noqa: E402


def default_mode() -> str:
    """ "pku" where the sandbox has protection keys, else "mprotect"."""
    from libmpk import sandbox

    return "pku" if sandbox.info()["backend"] == "pku" else "mprotect"


def compile_ir(cache: CodeCache, ir: IRSource, externals: dict[str, int] | None = None, opt: int | str = 2) -> Module:
    """Compile LLVM IR into ``cache``: IR text, an ``llvmlite.ir.Module``, an
    ``llvmlite.binding.ModuleRef``, or an iterable of these to link (see
    :func:`emit_object`; bad input raises JitError)."""
    return Loader(cache).load_object(emit_object(ir, opt), externals)


__all__ = [
    "MODES",
    "CodeCache",
    "Placement",
    "Loader",
    "Module",
    "GadgetError",
    "InvalidIRError",
    "JitError",
    "RelocationError",
    "Hit",
    "scan",
    "brute_force",
    "explain",
    "emit_object",
    "entry_pads",
    "BASELINE",
    "IR",
    "IRSource",
    "compile_ir",
    "default_mode",
]
