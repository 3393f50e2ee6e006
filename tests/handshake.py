"""Waits between a test's threads that fail loudly.

A bare ``event.wait(30)`` that times out returns False and its thread goes
on as if the other side had acted: the test then checks an interleaving it
never set up -- a read before the mprotect it was meant to follow -- and
fails, or passes, for the wrong reason.  The budget covers what the other
side may do first: in a forked child of the PKU guest that is numba loading,
or on a cold cache compiling, a native under emulation (minutes).
"""

from __future__ import annotations

import threading

HANDSHAKE_S = 300.0


class HandshakeTimeout(AssertionError):
    """The other thread never got to the point this one waits for."""


def expect(event: threading.Event, what: str, timeout: float = HANDSHAKE_S) -> None:
    """Wait for ``event``; raise naming ``what`` if it is not set in time."""
    if not event.wait(timeout):
        raise HandshakeTimeout(f"waited {timeout:g} s for {what}")


def acquire(sem: threading.Semaphore, what: str, timeout: float = HANDSHAKE_S) -> None:
    """``sem.acquire()`` within the budget, else raise naming ``what``."""
    if not sem.acquire(timeout=timeout):
        raise HandshakeTimeout(f"waited {timeout:g} s for {what}")


def join(thread: threading.Thread, what: str, timeout: float = HANDSHAKE_S) -> None:
    """``thread.join()`` within the budget, else raise naming ``what``: a
    check made while the thread still runs would judge a half-done scenario."""
    thread.join(timeout)
    if thread.is_alive():
        raise HandshakeTimeout(f"waited {timeout:g} s for {what} to end")
