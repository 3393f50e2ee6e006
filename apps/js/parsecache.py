"""Parsed trees kept on disk between runs of ``mpk run``.

Every AWFY run requires all 14 benchmarks (~145 KB of source): lexing and
parsing them took ~0.27 s a run here, longer than node's whole run, while
reading the same trees back from a pickle takes ~0.08 s.  V8 keeps compiled
scripts for the same reason (its code cache).  A tree is stored at the
second run that parses the same text at the same path -- a program run
once pays nothing for the cache, neither the ~0.17 s a store costs nor the
disk -- and read at every run after.

An entry is a pickle, and reading a pickle can run code: the directory is
made 0700 and used only while it is owned by this user and writable by
no one else, and so is every entry read (opened without following a
link).  Anything else -- a foreign or loose directory, an entry that does
not read back -- and the text is parsed as if there were no cache.  The
key covers the parser's own source, so a changed parser never reads a
tree an older one made.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

from . import ast as A
from . import parser

MIN_CHARS = 2048  # shorter texts parse in under ~5 ms: not worth a file
MAX_ENTRIES = 512  # past this many files the older half goes
OFF = ("", "0", "off", "no")


def default_dir() -> Path | None:
    """$MPK_JS_CACHE (``0`` / ``off``: none), else ~/.cache/libmpk-py/js."""
    v = os.environ.get("MPK_JS_CACHE")
    if v is not None:
        return None if v.strip().lower() in OFF else Path(v)
    return Path.home() / ".cache" / "libmpk-py" / "js"


def _salt() -> bytes:
    """What a tree depends on besides its text: the front end's source and
    Python's version (pickles name the node classes)."""
    h = hashlib.sha256(sys.version.encode())
    here = Path(__file__).parent
    for name in ("lexer.py", "parser.py", "ast.py", "parsecache.py"):
        h.update((here / name).read_bytes())
    return h.digest()


class ParseCache:
    """``parse(text, source)`` as :func:`parser.parse`, through the cache in
    ``directory``; ``hits``, ``stores`` and ``misses`` count what it did."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.hits = self.stores = self.misses = 0
        self._usable: bool | None = None
        self._salt: bytes | None = None

    def parse(self, text: str, source: tuple | None = None, path: str = "") -> A.Program:
        if len(text) < MIN_CHARS or not self._ready():
            return parser.parse(text, source)
        key = self._key(text, path, source)
        entry = self.directory / f"{key}.tree"
        tree = self._read(entry)
        if tree is not None:
            self.hits += 1
            return tree
        self.misses += 1
        tree = parser.parse(text, source)  # (a SyntaxError propagates: nothing stored)
        seen = self.directory / f"{key}.seen"
        if seen.exists():
            self._write(entry, tree)
            seen.unlink(missing_ok=True)
        else:
            self._touch(seen)
        return tree

    def _key(self, text: str, path: str, source: tuple | None) -> str:
        if self._salt is None:
            self._salt = _salt()
        h = hashlib.sha256(self._salt)
        # (a module's functions hold (path, text): a tree is its path's)
        h.update(repr((path, source[0] if source else None)).encode("utf-8", "surrogatepass"))
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()[:40]

    def _ready(self) -> bool:
        """Whether the directory exists (made if not) and only this user can write it."""
        if self._usable is None:
            try:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._usable = _owned_and_private(os.stat(self.directory, follow_symlinks=False))
            except OSError:
                self._usable = False
        return self._usable

    def _read(self, entry: Path) -> A.Program | None:
        try:
            fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                if not _owned_and_private(os.fstat(f.fileno())):
                    return None
                data = f.read()
        except OSError:
            return None
        try:
            tree = pickle.loads(data)
        except Exception:  # (truncated, or made by another build: parse again, and let the store replace it)
            tree = None
        if type(tree) is not A.Program:
            entry.unlink(missing_ok=True)
            return None
        return tree

    def _write(self, entry: Path, tree: A.Program) -> None:
        try:
            data = pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # (a tree holding something no pickle takes: it is parsed every time)
        try:
            self._trim()
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".part")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, entry)  # (whole or not at all, for a reader running beside)
            self.stores += 1
        except OSError:
            pass

    def _touch(self, seen: Path) -> None:
        try:
            seen.touch(mode=0o600)
        except OSError:
            pass

    def _trim(self) -> None:
        files = list(self.directory.iterdir())
        if len(files) < MAX_ENTRIES:
            return
        files.sort(key=lambda p: p.stat().st_mtime if p.exists() else 0)
        for p in files[: len(files) // 2]:
            p.unlink(missing_ok=True)


def _owned_and_private(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(st.st_mode)
