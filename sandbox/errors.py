"""Every error the library raises derives from :class:`SandboxError`.

Callers can catch one base class; errors that also mean "bad argument" or "the
OS said no" additionally derive from ``ValueError`` / ``LookupError`` /
``OSError`` so generic handlers keep working.
"""

from __future__ import annotations

import errno as _errno
import os


class SandboxError(Exception):
    """Base of every error raised by ``sandbox`` (and the layers built on it)."""


class ArgumentError(SandboxError, ValueError):
    """A value passed to the API is malformed (length, vkey number, type)."""


class ProtError(ArgumentError):
    """Protection bits that are unknown or cannot be honoured."""


class VkeyError(SandboxError, LookupError):
    """The vkey has no page group: never mapped, or already unmapped."""

    def __init__(self, vkey: int, why: str) -> None:
        super().__init__(f"vkey {vkey}: {why}")
        self.vkey = vkey


class DomainError(SandboxError):
    """begin/end misuse: end without begin, nesting too deep, unmap while open."""


class KeysExhaustedError(SandboxError):
    """Every hardware key is pinned by an open domain, so none can be reassigned."""


class BusyError(SandboxError):
    """The memory is still referenced (live views) and cannot be released safely."""


class LockError(SandboxError):
    """The library lock's native word stayed taken far longer than any holder
    keeps it (a stray write to it, or a thread stopped inside a switch):
    the operation is refused instead of waiting forever."""


class ThreadLimitError(SandboxError):
    """The per-thread domain table is full."""


class BackendError(SandboxError):
    """The requested backend cannot run on this machine."""


class LoadError(SandboxError, ImportError):
    """The library would load a second copy of itself into this process (a
    layer imported by its folder's name, a link-time symbol bound twice)."""


class OSCallError(SandboxError, OSError):
    """A system call failed; ``errno`` holds the kernel's reason."""

    def __init__(self, call: str, err: int, detail: str = "") -> None:
        name = _errno.errorcode.get(err, str(err))
        msg = f"{call} failed: {name} ({os.strerror(err)})"
        if detail:
            msg += f" [{detail}]"
        OSError.__init__(self, err, msg)
        self.call = call

    def __str__(self) -> str:  # OSError's default adds "[Errno n]" noise twice
        return self.args[1]


class LostDescriptorError(OSCallError):
    """A descriptor the library keeps no longer names its file: the program
    closed the number, or opened another file onto it.  The library did not
    touch whatever the number names now (errno EBADF)."""

    def __init__(self, fd: int, what: str) -> None:
        super().__init__(
            "a kept descriptor's check",
            _errno.EBADF,
            f"descriptor {fd} is no longer {what}: the program closed it or reused its number",
        )
        self.fd = fd
