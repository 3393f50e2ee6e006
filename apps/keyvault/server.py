"""A small HTTP signing service on loopback.

    POST   /keys            {"secret_hex"?}              -> {"id"}
    POST   /sign            {"id", "message"}            -> {"mac"}        (hex)
    POST   /verify          {"id", "message", "mac"}     -> {"valid"}
    DELETE /keys/<id>                                    -> 204
    GET    /health                                       -> {"protect", "backend", "keys", "signatures"}
    GET    /debug/echo?n=N  (only with --debug-overread) -> the planted over-read, hex

Request bodies are never logged (a key import carries the secret).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from libmpk import sandbox

from .vault import Vault, VaultError

MAX_BODY = 1 << 20


class Handler(BaseHTTPRequestHandler):
    vault: Vault
    server_version = "mpk-keyvault/0.1"

    def log_message(self, format: str, *args) -> None:  # request lines only, never bodies
        pass

    def _reply(self, status: int, body: dict | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self) -> dict:
        n = int(self.headers.get("Content-Length") or 0)
        if not 0 <= n <= MAX_BODY:
            raise VaultError("body too large")
        try:
            body = json.loads(self.rfile.read(n) or b"{}")
        except json.JSONDecodeError:
            raise VaultError("body is not JSON") from None
        if not isinstance(body, dict):
            raise VaultError("body must be a JSON object")
        return body

    def _guard(self, fn) -> None:
        try:
            fn()
        except VaultError as e:
            self._reply(404 if str(e).startswith("no key") else 400, {"error": str(e)})
        except (ValueError, TypeError) as e:
            self._reply(400, {"error": str(e)})

    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        if url.path == "/health":
            v = self.vault
            self._reply(
                200,
                {
                    "protect": v.protect,
                    "backend": sandbox.backend_name(),
                    "keys": len(v.ids()),
                    "signatures": v.signatures,
                },
            )
        elif url.path == "/debug/echo":

            def echo():
                n = int(parse_qs(url.query).get("n", ["16"])[0])
                self._reply(200, {"data": self.vault.debug_echo(n).hex()})

            self._guard(echo)
        else:
            self._reply(404, {"error": "no such endpoint"})

    def do_POST(self) -> None:  # noqa: N802
        path = urlparse(self.path).path

        def handle():
            body = self._json()
            v = self.vault
            if path == "/keys":
                secret = bytes.fromhex(body["secret_hex"]) if "secret_hex" in body else None
                self._reply(201, {"id": v.create(secret)})
            elif path == "/sign":
                self._reply(200, {"mac": v.sign(body["id"], str(body["message"]).encode()).hex()})
            elif path == "/verify":
                ok = v.verify(body["id"], str(body["message"]).encode(), bytes.fromhex(str(body["mac"])))
                self._reply(200, {"valid": ok})
            else:
                self._reply(404, {"error": "no such endpoint"})

        def guarded():
            try:
                handle()
            except KeyError as e:
                raise VaultError(f"missing field {e}") from None

        self._guard(guarded)

    def do_DELETE(self) -> None:  # noqa: N802
        path = urlparse(self.path).path
        if not path.startswith("/keys/"):
            self._reply(404, {"error": "no such endpoint"})
            return

        def delete():
            self.vault.delete(path[len("/keys/") :])
            self._reply(204)

        self._guard(delete)


def make_server(vault: Vault, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = type("VaultHandler", (Handler,), {"vault": vault})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(port: int, protect: str = "mpk", debug_overread: bool = False, ready: threading.Event | None = None):
    sandbox.init()
    vault = Vault(protect, debug_overread=debug_overread)
    server = make_server(vault, port)
    if ready is not None:
        ready.set()
    return server, vault
