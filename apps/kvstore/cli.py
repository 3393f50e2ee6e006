"""``mpk kvstore``: the memcached-compatible server."""

from __future__ import annotations

import argparse

DEFAULT_PORT = 11311


def _item_size(text: str) -> int:
    n = int(text)
    if not 1024 <= n <= 1 << 20:
        raise argparse.ArgumentTypeError("must be 1024 to 1048576 bytes (items are not chunked across slabs)")
    return n


def add_parser(sub) -> None:
    from libmpk.apps.cmdline import positive

    from ..serving import HOST, port

    p = sub.add_parser(
        "kvstore",
        help="memcached-compatible server whose item memory is protected slab pages",
        description=f"Serve the memcached text protocol on {HOST} until Ctrl-C. Exit 2 if the port cannot be "
        "bound (in use, no permission).",
    )
    p.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="TCP port, 0 for any free one (default: %(default)s)"
    )
    p.add_argument(
        "--protect",
        choices=("none", "mprotect", "mpk"),
        default="mpk",
        help="how slab pages are protected between requests (default: %(default)s)",
    )
    p.add_argument(
        "--memory", type=positive(int), default=64, metavar="MB", help="item memory limit (default: %(default)s)"
    )
    p.add_argument(
        "--max-item",
        type=_item_size,
        default=1 << 20,
        metavar="BYTES",
        help="largest value, 1 KiB to one slab (1 MiB), as memcached -I (default: %(default)s)",
    )
    p.add_argument(
        "--max-connections",
        type=positive(int),
        default=1024,
        metavar="N",
        help="refuse connections past N, as memcached -c (default: %(default)s)",
    )
    p.add_argument(
        "--enable-shutdown",
        action="store_true",
        help="honour the shutdown command, as memcached -A",
    )
    p.add_argument(
        "--disable-flush-all",
        action="store_true",
        help="refuse the flush_all command, as memcached -F",
    )
    p.add_argument(
        "--debug-time",
        action="store_true",
        help="honour memcached-debug's debugtime command, which moves the server's clock (for tests)",
    )
    p.add_argument(
        "--debug-stray-write",
        action="store_true",
        help="enable the planted out-of-bounds write command (demonstrations only)",
    )
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from libmpk import sandbox
    from libmpk.apps.cmdline import CommandError

    from ..serving import listen, serve_until_interrupted
    from .server import make_server
    from .store import Store

    sandbox.init()
    try:
        store = Store(args.protect, args.memory << 20, args.max_item)
    except ValueError as e:  # sizes the slabs cannot hold
        raise CommandError(str(e)) from None
    store.flush_enabled = not args.disable_flush_all
    options = {
        "debug_stray_write": args.debug_stray_write,
        "debug_time": args.debug_time,
        "enable_shutdown": args.enable_shutdown,
        "max_connections": args.max_connections,
    }
    server = listen(lambda: make_server(store, args.port, **options), args.port)
    port, backend = server.server_address[1], sandbox.backend_name()
    banner = f"kvstore on 127.0.0.1:{port} (protect={args.protect}, backend={backend})"
    return serve_until_interrupted(server, banner)
