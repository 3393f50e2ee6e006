"""A JavaScript-like engine: an interpreter tier that records type feedback,
and a JIT tier that compiles hot numeric functions with llvmlite into the
protected code cache of ``jit/``.  ``mpk run program.js``.
"""

from .engine import Engine, run_file, run_source

__all__ = ["Engine", "run_file", "run_source"]
