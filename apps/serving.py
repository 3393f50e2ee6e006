"""What the apps' ``serve`` commands share: announce, serve until Ctrl-C,
then close the socket and whatever holds protected memory."""

from __future__ import annotations

from collections.abc import Callable
from socketserver import BaseServer


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
