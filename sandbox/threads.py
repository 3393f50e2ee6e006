"""New threads start with the process-wide rights, not their creator's domains.

clone() copies the creator's PKRU, so a thread started from inside a domain
would inherit that domain's rights.  Every ``threading.Thread`` therefore
resets its PKRU to each key's default before running its target.  Threads
created natively (pthread_create from C, or a library's own pool) do inherit
the creator's PKRU; they should call :func:`sandbox.reset_thread_rights`
first thing (process-wide changes reach them anyway, through the sync signal).
"""

from __future__ import annotations

import threading

from . import switch

_original_bootstrap = None
_active = False


def install() -> None:
    """Hook ``threading.Thread`` start-up (once per process)."""
    global _original_bootstrap, _active
    _active = True
    if _original_bootstrap is not None:
        return
    _original_bootstrap = threading.Thread._bootstrap_inner  # type: ignore[attr-defined]

    def _bootstrap_inner(self: threading.Thread) -> None:
        if _active:
            switch.reset_rights()
        _original_bootstrap(self)  # type: ignore[misc]

    threading.Thread._bootstrap_inner = _bootstrap_inner  # type: ignore[attr-defined]


def uninstall() -> None:
    """Stop resetting (the backend no longer has hardware keys)."""
    global _active
    _active = False
