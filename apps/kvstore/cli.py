"""``mpk kvstore``: the memcached-compatible server."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser("kvstore", help="memcached-compatible server whose item memory is protected slab pages")
    p.add_argument("--port", type=int, default=11311)
    p.add_argument("--protect", choices=("none", "mprotect", "mpk"), default="mpk")
    p.add_argument("--memory", type=int, default=64, metavar="MB", help="item memory limit (64)")
    p.add_argument("--max-item", type=int, default=1 << 20, metavar="BYTES", help="largest value (1 MiB)")
    p.add_argument(
        "--debug-stray-write",
        action="store_true",
        help="enable the planted out-of-bounds write command (demonstrations only)",
    )
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from libmpk import sandbox

    from ..serving import serve_until_interrupted
    from .server import make_server
    from .store import Store

    sandbox.init()
    store = Store(args.protect, args.memory << 20, args.max_item)
    server = make_server(store, args.port, debug_stray_write=args.debug_stray_write)
    port, backend = server.server_address[1], sandbox.backend_name()
    banner = f"kvstore on 127.0.0.1:{port} (protect={args.protect}, backend={backend})"
    return serve_until_interrupted(server, banner)
