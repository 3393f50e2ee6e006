"""``mpk keyvault``: serve, and a small client (gen, sign, verify, delete)."""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request


def add_parser(sub) -> None:
    kv = sub.add_parser("keyvault", help="the key-isolation signing service (HMAC-SHA256; keys in their own vkeys)")
    ksub = kv.add_subparsers(dest="kv_command", required=True, metavar="ACTION")
    serve = ksub.add_parser("serve", help="run the HTTP service on loopback")
    serve.add_argument("--port", type=int, default=8421)
    serve.add_argument("--protect", choices=("mpk", "none"), default="mpk")
    serve.add_argument(
        "--debug-overread",
        action="store_true",
        help="enable the planted Heartbleed-style endpoint (demonstrations only)",
    )
    serve.set_defaults(func=_serve)
    for name, fields in (
        ("gen", []),
        ("sign", ["id", "message"]),
        ("verify", ["id", "message", "mac"]),
        ("delete", ["id"]),
    ):
        p = ksub.add_parser(name, help=f"client: {name}")
        p.add_argument("--url", default="http://127.0.0.1:8421")
        for f in fields:
            p.add_argument(f"--{f}", required=True)
        if name == "gen":
            p.add_argument("--secret-hex", help="import these key bytes instead of generating")
        p.set_defaults(func=_client, action=name)


def _serve(args: argparse.Namespace) -> int:
    from ..serving import serve_until_interrupted
    from .server import serve

    server, vault = serve(args.port, args.protect, args.debug_overread)
    banner = f"keyvault on http://127.0.0.1:{server.server_address[1]} (protect={args.protect})"
    return serve_until_interrupted(server, banner, vault.close)


def _client(args: argparse.Namespace) -> int:
    if args.action == "gen":
        method, path, body = "POST", "/keys", ({"secret_hex": args.secret_hex} if args.secret_hex else {})
    elif args.action == "delete":
        method, path, body = "DELETE", f"/keys/{args.id}", None
    else:
        method, path = "POST", f"/{args.action}"
        body = {k: getattr(args, k) for k in ("id", "message", "mac") if hasattr(args, k)}
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        args.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read().decode()
            print(text or "ok")
            return 0
    except urllib.error.HTTPError as e:
        print(e.read().decode(), file=sys.stderr)
        return 1
    except urllib.error.URLError as e:
        print(f"mpk keyvault: {e.reason}", file=sys.stderr)
        return 2
