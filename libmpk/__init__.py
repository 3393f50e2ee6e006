"""libmpk for Python: the one installed top-level package.

An installed wheel holds the layers inside it: ``libmpk.sandbox`` (the core),
``libmpk.jit``, ``libmpk.apps``, ``libmpk.bench``; this package itself is the
``mpk`` command line and the PKU guest harness (``libmpk.vm``).  In a source
checkout the layers sit beside this folder (``sandbox/``, ``jit/``, ...), so the
checkout's root joins this package's search path: the same imports work from a
checkout on ``sys.path`` with no install at all.

A layer is imported only by its ``libmpk.`` name.  With the checkout's root
on ``sys.path`` a layer's folder is also a top-level package (``sandbox``),
and importing it so would run a second copy of the library in the process:
its own tables, rebinding the link-time symbols through which the first
copy's compiled code finds its own -- a copy's stores then land in the
other's tables, or are refused.  numba's disk cache records the name a
function was compiled under and imports it when the function is loaded, so
one ``import sandbox`` made every later ``libmpk.sandbox`` load both.
"""

from pathlib import Path as _Path

_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "sandbox" / "__init__.py").is_file():
    __path__.append(str(_checkout))  # noqa: F821  (a package's __path__)
del _Path, _checkout


def only_as_layer(name: str) -> None:
    """Called first by each layer's ``__init__`` with its ``__name__``: refuse
    to load a layer by its folder's name (see above)."""
    if name.startswith("libmpk."):
        return
    from libmpk.sandbox.errors import LoadError

    raise LoadError(
        f"import libmpk.{name}, not {name}: the folder {name}/ is the layer libmpk.{name}, and loading it "
        "under a second name would run a second copy of the library in this process"
    )
