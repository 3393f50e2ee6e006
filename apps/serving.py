"""What the apps' ``serve`` commands share: a port argument, binding it with
an error that names the address, announcing, serving until Ctrl-C, then
closing the socket and whatever holds protected memory."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # only a type here; `mpk`'s parser imports this module
    from socketserver import BaseServer

HOST = "127.0.0.1"  # the apps serve loopback only
S = TypeVar("S")


def port(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535.  Past that
    ``bind`` raises OverflowError, far from the argument that caused it."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, got {value}")
    return value


def listen(bind: Callable[[], S], port: int) -> S:
    """``bind()`` (which makes a server on ``HOST:port``), with the reason it
    could not -- port in use, no permission -- said as one line naming the
    address rather than an OSError traceback."""
    from libmpk.apps.cmdline import CommandError

    try:
        return bind()
    except OSError as e:
        raise CommandError(f"cannot listen on {HOST}:{port}: {e.strerror or e}") from None


def serve_until_interrupted(server: BaseServer, banner: str, close: Callable[[], None] | None = None) -> int:
    """Print ``banner`` (tests and scripts wait for it), serve until
    KeyboardInterrupt, then close the server and call ``close``."""
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if close is not None:
            close()
    return 0
