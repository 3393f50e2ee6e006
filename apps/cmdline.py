"""What the command-line front ends share: the error a command raises to stop
with one line and an exit status, and argparse types that check ranges.

It lives here, below every front end (apps, bench, the ``mpk`` command), so
each layer can raise it without importing the layer above; ``mpk``'s main
turns it into ``mpk COMMAND: error: ...``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TypeVar

N = TypeVar("N", int, float)

USAGE_ERROR = 2
INTERRUPTED = 128 + 2  # what a shell reports for SIGINT


class CommandError(Exception):
    """A command cannot go on for a reason its user can act on: :func:`main`
    prints it as one line on stderr and exits with ``status``."""

    def __init__(self, message: str, status: int = USAGE_ERROR) -> None:
        super().__init__(message)
        self.status = status


def positive(kind: Callable[[str], N]) -> Callable[[str], N]:
    """An argparse type: ``kind`` (int or float) above zero, so a nonsensical
    size or count is a usage error rather than a failure deep inside."""

    def parse(text: str) -> N:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value

    parse.__name__ = f"positive {kind.__name__}"
    return parse


def flush_standard_streams() -> None:
    """Flush stdout and stderr before a process leaves with os._exit (a
    stream already closed or gone is no error there)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
