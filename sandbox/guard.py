"""The library lock, and the protection of the library's own tables.

Every table the library keeps -- the arena (key table, per-thread domain
stacks) and the page-group tables -- is read-only to every thread except
through sandbox.store:

- PKU: the tables are tagged with a reserved hardware key whose WD bit is set
  in every thread.  Windows are native and per store (sandbox.store): this
  guard only serialises the slow paths.  A stray write from anywhere else --
  Python code of this thread included -- faults (SEGV_PKUERR).
- mprotect fallback: the tables are mapped read-only for good, and the
  library stores through their file (sandbox.arena): no window, ever.  The
  guard serialises those read-modify-write stores.

The lock is a Python RLock plus a native word (sandbox.pagedomain) that the
fallback's native begin/end take for their own, shorter windows.  The word
is on key 0 (those switches take it before opening the tables), so a stray
write can set it: the guard waits for it with the GIL released and at most
LOCK_TIMEOUT seconds -- every other holder is a native switch a few system
calls from done, since the guard already holds the RLock -- then raises
LockError instead of hanging.
"""

from __future__ import annotations

import threading
import time

from . import pagedomain
from .arena import ARENA, H_USED, M_LOCK
from .errors import LockError
from .store import WORDS

LOCK_TIMEOUT = 5.0  # seconds; a native holder keeps the word for microseconds


def take_native_half() -> None:
    deadline = time.monotonic() + LOCK_TIMEOUT
    while not pagedomain.lock_try(256):
        if time.monotonic() > deadline:
            raise LockError(
                f"the library lock's native word has read {int(ARENA.mailbox[M_LOCK])} for over "
                f"{LOCK_TIMEOUT:g} s (its holders keep it for microseconds): overwritten, or a "
                "thread is stopped inside a switch"
            )


class Guard:
    def __init__(self, meta_key: int) -> None:
        self.meta_key = meta_key  # 0: page-table protection
        self.lock = threading.RLock()
        self._depth = 0
        # PKU: writable pages on the tables' key (its WD bit guards them);
        # fallback: read-only pages (the file is the only way in)
        ARENA.protect(3 if meta_key else 1, meta_key)

    def allocate(self, length: int) -> int:
        """Fresh guarded pages for a table (the caller holds the guard)."""
        address = ARENA.carve(length)
        WORDS[H_USED] = ARENA.used
        return address

    def __enter__(self) -> Guard:
        self.lock.acquire()
        if self._depth == 0:
            try:
                take_native_half()  # native page switches (sandbox.pagedomain) stay out
            except BaseException:
                self.lock.release()
                raise
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                pagedomain.lock_release()
        finally:
            self.lock.release()
