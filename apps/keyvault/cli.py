"""``mpk keyvault``: serve, and a small client (gen, sign, verify, delete)."""

from __future__ import annotations

import argparse
import json
import sys

DEFAULT_PORT = 8421
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
CLIENT_EXIT = (
    "Exit status: 0 done; 1 the service refused the request (no such key, bad input) or, for verify, the MAC "
    "does not verify; 2 a usage error or the service cannot be reached (is `mpk keyvault serve` running?)."
)


def add_parser(sub) -> None:
    from ..serving import HOST, port

    kv = sub.add_parser(
        "keyvault",
        help="the key-isolation signing service (HMAC-SHA256; keys in their own vkeys)",
        description=f"`serve` runs the HTTP service on {HOST}; gen, sign, verify and delete talk to it "
        f"(--url, default {DEFAULT_URL}). {CLIENT_EXIT}",
    )
    ksub = kv.add_subparsers(dest="kv_command", required=True, metavar="ACTION")
    serve = ksub.add_parser(
        "serve",
        help=f"run the HTTP service on loopback (default port {DEFAULT_PORT})",
        description=f"Serve on {HOST} until Ctrl-C. Exit 2 if the port cannot be bound (in use, no permission).",
    )
    serve.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help="TCP port, 0 for any free one (default: %(default)s)"
    )
    serve.add_argument(
        "--protect",
        choices=("mpk", "none"),
        default="mpk",
        help="keep each key in its own vkey, or not (default: %(default)s)",
    )
    serve.add_argument(
        "--debug-overread",
        action="store_true",
        help="enable the planted Heartbleed-style endpoint (demonstrations only)",
    )
    serve.set_defaults(func=_serve)
    for name, what, fields in (
        ("gen", "create a key; prints its id", []),
        ("sign", "sign MESSAGE with key ID; prints the MAC (hex)", ["id", "message"]),
        ("verify", "check MAC (hex) of MESSAGE under key ID; exit 1 if it does not verify", ["id", "message", "mac"]),
        ("delete", "wipe and delete key ID", ["id"]),
    ):
        p = ksub.add_parser(name, help=f"client: {what}", description=f"Client: {what}. {CLIENT_EXIT}")
        p.add_argument("--url", type=_url, default=DEFAULT_URL, help="the service (default: %(default)s)")
        for f in fields:
            p.add_argument(f"--{f}", required=True, metavar=f.upper())
        if name == "gen":
            p.add_argument("--secret-hex", metavar="HEX", help="import these key bytes instead of generating")
        p.set_defaults(func=_client, action=name)


def _url(text: str) -> str:
    """An argparse type: an http(s) URL with a host; urllib's own complaint
    about anything else would read as if the service were down."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"bad URL {text!r}: {e}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an http:// URL: {text!r}")
    return text.rstrip("/")


def _serve(args: argparse.Namespace) -> int:
    from ..serving import listen, serve_until_interrupted
    from .server import serve

    server, vault = listen(lambda: serve(args.port, args.protect, args.debug_overread), args.port)
    banner = f"keyvault on http://127.0.0.1:{server.server_address[1]} (protect={args.protect})"
    return serve_until_interrupted(server, banner, vault.close)


def _client(args: argparse.Namespace) -> int:
    """One request; the reply's JSON on stdout.  A MAC that does not verify
    is a failed check, like ``cmp``: one line on stderr and exit 1 (see
    :func:`_request` for refusals and an unreachable service)."""
    if args.action == "gen":
        method, path, body = "POST", "/keys", ({"secret_hex": args.secret_hex} if args.secret_hex else {})
    elif args.action == "delete":
        method, path, body = "DELETE", f"/keys/{args.id}", None
    else:
        method, path = "POST", f"/{args.action}"
        body = {k: getattr(args, k) for k in ("id", "message", "mac") if hasattr(args, k)}
    reply = _request(args.url, method, path, body)
    print(reply or "ok")
    if args.action == "verify" and not json.loads(reply).get("valid"):
        print(f"mpk keyvault: MAC does not verify for key {args.id}", file=sys.stderr)
        return 1
    return 0


def _request(url: str, method: str, path: str, body: dict | None) -> str:
    """The reply's text; raises CommandError(status 1) for a refusal and
    CommandError(status 2) when ``url`` cannot be reached."""
    import http.client  # here, not at the top: `mpk`'s parser imports this module
    import urllib.error
    import urllib.request

    from libmpk.apps.cmdline import CommandError

    data = json.dumps(body).encode() if body is not None else None
    try:
        req = urllib.request.Request(url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read().decode()
    except urllib.error.HTTPError as e:
        raise CommandError(f"{_reason(e)} (HTTP {e.code})", status=1) from None
    except urllib.error.URLError as e:
        raise CommandError(f"cannot reach {url}: {_text(e.reason)}; is `mpk keyvault serve` running?") from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # bad URL, timeout, not HTTP
        raise CommandError(f"cannot reach {url}: {_text(e)}; is `mpk keyvault serve` running?") from None


def _reason(e: urllib.error.HTTPError) -> str:  # noqa: F821 (imported in _request)
    """The service's ``{"error": ...}``, else the HTTP reason phrase."""
    try:
        return str(json.loads(e.read())["error"])
    except (ValueError, KeyError, TypeError, OSError):
        return e.reason or "refused"


def _text(reason: object) -> str:
    return (reason.strerror or str(reason)) if isinstance(reason, OSError) else str(reason)
