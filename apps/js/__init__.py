"""A JavaScript-like engine: an interpreter tier that records type feedback,
and a JIT tier that compiles hot numeric functions with llvmlite into the
protected code cache of ``jit/``.  ``mpk run program.js``.
"""

# Loaded on first use (PEP 562), so that ``mpk``'s argument parser, which
# imports every subcommand's cli module, loads none of their engines.
_EXPORTS = {name: ".engine" for name in ("Engine", "run_file", "run_source")}


def __getattr__(name: str):
    if name in _EXPORTS:
        from importlib import import_module

        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Engine", "run_file", "run_source"]
