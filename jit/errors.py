"""Errors of the JIT layer (all derive from sandbox.SandboxError)."""

from __future__ import annotations

from libmpk.sandbox.errors import SandboxError


class JitError(SandboxError):
    """The code cache or the loader cannot do what was asked."""


class InvalidIRError(JitError):
    """The IR given to the compiler does not parse or verify: a front end's
    bug, never the program's (a JIT reports it as its own)."""


class RelocationError(JitError):
    """An object file uses a relocation the loader does not support, or one
    that cannot reach its target from where the code was placed."""


class GadgetError(JitError):
    """Code that would become executable contains a PKRU-changing byte pattern
    that placement could not remove (the front end must blind the constant)."""

    def __init__(self, message: str, hits: list) -> None:
        super().__init__(message)
        self.hits = hits
