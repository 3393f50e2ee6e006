"""A JavaScript-like engine: an interpreter tier that records type feedback,
and a JIT tier that compiles hot numeric functions with llvmlite into the
protected code cache of ``jit/``.  ``mpk run program.js``.
"""

from libmpk.lazy import lazy_attributes

__all__ = ["Engine", "run_file", "run_source"]
# Loaded on first use: mpk's argument parser imports every subcommand's cli
# module, and should load none of their engines.
__getattr__ = lazy_attributes(__name__, dict.fromkeys(__all__, ".engine"))
