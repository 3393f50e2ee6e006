"""Stopping a program whose caller has left ``run_source`` (a Ctrl-C).

The program runs on a thread of its own, and Python stops another thread
only by raising an exception in it asynchronously, at its next step in
Python; compiled code is made to call back at its next loop back-edge or
function entry (``Tier.call_back``).  An exception that lands in a ctypes
callback, a ``__del__`` or a weakref callback cannot propagate: Python
prints it and drops it.  So :class:`Stopped` is raised again every
``STOP_RETRY_S`` until the program's thread has finished, and the copies
dropped on the way are not printed.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections.abc import Callable

STOP_RETRY_S = 0.05

_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi)
)
_quiet = False


class Stopped(BaseException):
    """Raised in the program's thread: its caller left run_source."""


def _quiet_drops() -> None:
    """Keep a dropped :class:`Stopped` off stderr (once per process; any
    other exception still reaches the hooks that were there before)."""
    global _quiet
    if _quiet:
        return
    _quiet = True
    unraisable, excepthook = sys.unraisablehook, threading.excepthook

    def on_unraisable(info) -> None:
        if info.exc_type is not Stopped:
            unraisable(info)

    def on_thread_exception(args) -> None:
        if args.exc_type is not Stopped:
            excepthook(args)

    sys.unraisablehook = on_unraisable
    threading.excepthook = on_thread_exception


def stop(thread: threading.Thread, finished: threading.Event, call_back: Callable[[], None] | None) -> None:
    """Raise :class:`Stopped` in ``thread`` until it has set ``finished``
    (or ended), from a daemon thread: the caller returns at once."""
    _quiet_drops()

    def keep_stopping() -> None:
        while thread.is_alive() and not finished.is_set():
            if call_back is not None:
                call_back()
            _set_async_exc(thread.ident, Stopped)
            finished.wait(STOP_RETRY_S)

    threading.Thread(target=keep_stopping, name="js-stop", daemon=True).start()
