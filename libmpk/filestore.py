"""A private directory of files kept between runs (parsed trees, compiled
objects), read only where no one else could have written them.

What is kept here is loaded as code or as a pickle (which can call
anything), so whoever can put a file here runs code in every later run.
The directory is made 0700 and used only while it is this user's, not a
link and writable by no one else; a file is read only if it too is this
user's, not a link and writable by no one else.  Writes are whole or not at
all (a temporary file renamed into place), so a reader beside never sees
half of one.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

MAX_FILES = 1024  # past this many, the older half goes


class PrivateStore:
    """Files by name in ``directory``; ``get`` / ``put`` / ``drop`` and
    ``seen`` / ``mark`` (an empty file: a name met before)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._usable: bool | None = None

    def usable(self) -> bool:
        """Whether the directory exists (made if not) and only this user can write it."""
        if self._usable is None:
            try:
                self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._usable = _private(os.stat(self.directory, follow_symlinks=False))
            except OSError:
                self._usable = False
        return self._usable

    def get(self, name: str) -> bytes | None:
        """The file's bytes, if it exists and could only have been written by this user."""
        if not self.usable():
            return None
        try:
            fd = os.open(self.directory / name, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                if not _private(os.fstat(f.fileno())):
                    return None
                return f.read()
        except OSError:
            return None

    def put(self, name: str, data: bytes) -> bool:
        if not self.usable():
            return False
        try:
            self._trim()
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".part")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.directory / name)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            return True
        except OSError:
            return False

    def drop(self, name: str) -> None:
        try:
            (self.directory / name).unlink(missing_ok=True)
        except OSError:
            pass

    def seen(self, name: str) -> bool:
        return self.usable() and (self.directory / name).exists()

    def mark(self, name: str) -> None:
        if self.usable():
            try:
                (self.directory / name).touch(mode=0o600)
            except OSError:
                pass

    def _trim(self) -> None:
        files = list(self.directory.iterdir())
        if len(files) < MAX_FILES:
            return

        def age(p: Path) -> float:
            try:
                return p.stat(follow_symlinks=False).st_mtime
            except OSError:
                return 0.0

        files.sort(key=age)
        for p in files[: len(files) // 2]:
            p.unlink(missing_ok=True)


def _private(st: os.stat_result) -> bool:
    return st.st_uid == os.geteuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(st.st_mode)
