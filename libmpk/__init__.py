"""libmpk for Python: the one installed top-level package.

An installed wheel holds the layers inside it: ``libmpk.sandbox`` (the core),
``libmpk.jit``, ``libmpk.apps``, ``libmpk.bench``; this package itself is the
``mpk`` command line and the PKU guest harness (``libmpk.vm``).  In a source
checkout the layers sit beside this folder (``sandbox/``, ``jit/``, ...), so the
checkout's root joins this package's search path: the same imports work from a
checkout on ``sys.path`` with no install at all.
"""

from pathlib import Path as _Path

_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "sandbox" / "__init__.py").is_file():
    __path__.append(str(_checkout))  # noqa: F821  (a package's __path__)
del _Path, _checkout
