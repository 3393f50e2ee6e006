"""Compiled objects kept between runs: LLVM's work on an IR text done once.

A JIT that builds the same IR again (the same program run again: its
modules' IR is the same text run after run) gets the object bytes back
instead of parsing, optimising and generating code once more -- ~20% of
a module's build on the program's thread at baseline, and all of the O2
build another core does.  The bytes are what :func:`.compiler.emit_object`
returned; they are loaded as any object is (relocated, scanned for PKRU
gadgets before any byte becomes executable), so a kept object passes the
same checks as a fresh one.

The key is the IR text and the opt level together with what else decides
the bytes: LLVM's version, the target triple, the host CPU and its
features, and this package's compiler (its pass pipelines).  Objects are
files of a :class:`~libmpk.filestore.PrivateStore` -- code loaded from
them runs, so they are read only where this user alone could have
written them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import llvmlite
import llvmlite.binding as llvm

from libmpk.filestore import PrivateStore

from .compiler import BASELINE, _opt_level

_ELF = b"\x7fELF"


def _salt() -> bytes:
    h = hashlib.sha256()
    h.update(repr((llvmlite.__version__, llvm.llvm_version_info, llvm.get_process_triple())).encode())
    h.update(llvm.get_host_cpu_name().encode())
    h.update(llvm.get_host_cpu_features().flatten().encode())
    h.update((Path(__file__).parent / "compiler.py").read_bytes())
    return h.digest()


class ObjectCache:
    """Object bytes by (IR text, opt level), in ``store``; ``hits``,
    ``stores`` and ``refused`` count what it did."""

    def __init__(self, store: PrivateStore) -> None:
        self.store = store
        self.hits = self.stores = self.refused = 0
        self._salt: bytes | None = None

    def name(self, text: str, opt: int | str) -> str:
        if self._salt is None:
            self._salt = _salt()
        level = "baseline" if _opt_level(opt) == BASELINE else f"O{_opt_level(opt)}"
        h = hashlib.sha256(self._salt)
        h.update(level.encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:40] + ".o"

    def get(self, text: str, opt: int | str) -> bytes | None:
        """The object built from ``text`` at ``opt`` before, if kept (an
        entry that is no ELF object is dropped)."""
        name = self.name(text, opt)
        data = self.store.get(name)
        if data is None:
            return None
        if not data.startswith(_ELF):
            self.store.drop(name)
            self.refused += 1
            return None
        self.hits += 1
        return data

    def put(self, text: str, opt: int | str, obj: bytes) -> None:
        if self.store.put(self.name(text, opt), obj):
            self.stores += 1

    def drop(self, text: str, opt: int | str) -> None:
        """Forget an entry that did not load (the loader refused it): it
        counts as ``refused``, not as a hit."""
        self.store.drop(self.name(text, opt))
        self.hits -= 1
        self.refused += 1
