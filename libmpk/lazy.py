"""Package attributes imported on first use (PEP 562).

``mpk``'s argument parser imports every subcommand's cli module, and with it
each package's ``__init__``; a package whose API sits behind numba (the
sandbox's switch, keyvault's HMAC) would make every command pay for it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def lazy_attributes(package: str, where: dict[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package``: ``name`` is imported from the
    submodule ``where[name]`` (relative, e.g. ".engine") when first read, then
    kept in the package so later reads are plain attribute lookups."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(module, package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
