"""Parsed trees kept on disk between runs of ``mpk run``.

Every AWFY run requires all 14 benchmarks (~145 KB of source): lexing and
parsing them took ~0.27 s a run here, longer than node's whole run, while
reading the same trees back from a pickle takes ~0.08 s.  V8 keeps compiled
scripts for the same reason (its code cache).  A tree is stored at the
second run that parses the same text at the same path -- a program run
once pays nothing for the cache, neither the ~0.17 s a store costs nor the
disk -- and read at every run after.

An entry is a pickle, read only where this user alone could have
written it (libmpk.filestore); one that does not read back as a tree is
dropped and the text parsed.  The key covers the parser's own source, so a
changed parser never reads a tree an older one made.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from libmpk.filestore import PrivateStore

from . import ast as A
from . import parser

MIN_CHARS = 2048  # shorter texts parse in under ~5 ms: not worth a file
OFF = ("", "0", "off", "no")


def default_dir() -> Path | None:
    """$MPK_JS_CACHE (``0`` / ``off``: none), else ~/.cache/libmpk-py/js."""
    v = os.environ.get("MPK_JS_CACHE")
    if v is not None:
        return None if v.strip().lower() in OFF else Path(v)
    return Path.home() / ".cache" / "libmpk-py" / "js"


def _salt() -> bytes:
    """What a tree depends on besides its text: the front end's source (its
    positions' packing and literal values' parsing included) and Python's
    version (pickles name the node classes)."""
    h = hashlib.sha256(sys.version.encode())
    here = Path(__file__).parent
    for name in ("lexer.py", "parser.py", "ast.py", "errors.py", "values.py", "parsecache.py"):
        h.update((here / name).read_bytes())
    return h.digest()


class ParseCache:
    """``parse(text, source)`` as :func:`parser.parse`, through ``store``
    (a :class:`~libmpk.filestore.PrivateStore`, or the directory for one);
    ``hits``, ``stores`` and ``misses`` count what it did."""

    def __init__(self, store: PrivateStore | Path | str) -> None:
        self.store = store if isinstance(store, PrivateStore) else PrivateStore(store)
        self.directory = self.store.directory
        self.hits = self.stores = self.misses = 0
        self._salt: bytes | None = None

    def parse(self, text: str, source: tuple | None = None, path: str = "") -> A.Program:
        store = self.store
        if len(text) < MIN_CHARS or not store.usable():
            return parser.parse(text, source)
        key = self._key(text, path, source)
        tree = self._read(f"{key}.tree")
        if tree is not None:
            self.hits += 1
            return tree
        self.misses += 1
        tree = parser.parse(text, source)  # (a SyntaxError propagates: nothing stored)
        if store.seen(f"{key}.seen"):
            self._write(f"{key}.tree", tree)
            store.drop(f"{key}.seen")
        else:
            store.mark(f"{key}.seen")
        return tree

    def _key(self, text: str, path: str, source: tuple | None) -> str:
        if self._salt is None:
            self._salt = _salt()
        h = hashlib.sha256(self._salt)
        # (a module's functions hold (path, text): a tree is its path's)
        h.update(repr((path, source[0] if source else None)).encode("utf-8", "surrogatepass"))
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:40]

    def _read(self, name: str) -> A.Program | None:
        data = self.store.get(name)
        if data is None:
            return None
        try:
            tree = pickle.loads(data)
        except Exception:  # (truncated, or made by another build: parse again, and let the store replace it)
            tree = None
        if type(tree) is not A.Program:
            self.store.drop(name)
            return None
        return tree

    def _write(self, name: str, tree: A.Program) -> None:
        try:
            data = pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # (a tree holding something no pickle takes: it is parsed every time)
        if self.store.put(name, data):
            self.stores += 1
