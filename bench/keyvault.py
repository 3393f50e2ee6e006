"""keyvault: HMAC-SHA256 signatures with the key's domain opened around each
one (``mpk``) against the same vault with its keys in plain memory (``none``),
in-process and over the HTTP service."""

from __future__ import annotations

import hmac
import http.client
import json
import threading

from libmpk import sandbox
from libmpk.apps.keyvault import Vault
from libmpk.apps.keyvault.server import make_server

from .harness import Sample, Table, measure, progress

SIZES = (64, 1024, 16384)


def _per_second(s: Sample) -> str:
    return f"{1 / s.median:,.0f}"


def inprocess_table(quick: bool = False) -> Table:
    backend = sandbox.info()["backend"]
    t = Table(
        f"keyvault: one HMAC-SHA256 signature ({backend} backend)",
        ["message", "none", "mpk", "sig/s none", "sig/s mpk", "mpk / none", "Python hmac"],
    )
    number, repeat = (300, 5) if quick else (3000, 7)
    vaults = {mode: Vault(mode) for mode in ("none", "mpk")}
    secret = bytes(range(32))
    ids = {mode: v.create(secret) for mode, v in vaults.items()}
    try:
        for size in SIZES:
            msg = bytes(size)
            for mode, v in vaults.items():
                v.sign(ids[mode], msg)  # compile outside the timing
            progress(f"signing {size} B messages")
            none = measure(lambda m=msg: vaults["none"].sign(ids["none"], m), number, repeat)
            mpk = measure(lambda m=msg: vaults["mpk"].sign(ids["mpk"], m), number, repeat)
            ref = measure(lambda m=msg: hmac.new(secret, m, "sha256").digest(), number, repeat)
            t.add(f"{size} B", none, mpk, _per_second(none), _per_second(mpk), mpk.median / none.median, ref)
    finally:
        for v in vaults.values():
            v.close()
    t.headline.append((f"keyvault: mpk / none time per signature, {SIZES[0]} B", t.rows[0][5]))
    if backend != "pku":
        t.notes.append("no PKU here: each mpk signature pays a page-table mprotect pair instead of two PKRU writes")
    return t


def _http_signs(port: int, key_id: str, n: int) -> None:
    body = json.dumps({"id": key_id, "message": "x" * 256})
    for _ in range(n):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("POST", "/sign", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"sign over HTTP answered {r.status}")
        c.close()


def http_table(quick: bool = False) -> Table:
    t = Table(
        "keyvault over HTTP on loopback (one connection per request)",
        ["protect", "per request", "req/s", "time / none"],
    )
    number, repeat = (60, 5) if quick else (400, 7)
    servers = {}
    try:
        for mode in ("none", "mpk"):
            v = Vault(mode)
            srv = make_server(v)
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            servers[mode] = (v, srv, v.create(bytes(32)))
        progress("signing over HTTP")
        samples = {}
        for mode, (_, srv, kid) in servers.items():
            _http_signs(srv.server_address[1], kid, 5)
            samples[mode] = Sample([])
        for _ in range(repeat):  # interleaved, so drift hits both alike
            for mode, (_, srv, kid) in servers.items():
                samples[mode].runs += measure(
                    lambda p=srv.server_address[1], k=kid: _http_signs(p, k, number), 1, 1
                ).runs
        for mode, s in samples.items():
            per = Sample([r / number for r in s.runs])
            t.add(mode, per, _per_second(per), s.median / samples["none"].median)
        t.headline.append(("keyvault over HTTP: mpk / none time per request", t.rows[-1][-1]))
    finally:
        for v, srv, _ in servers.values():
            srv.shutdown()
            srv.server_close()
            v.close()
    return t


def run(quick: bool = False) -> list[Table]:
    return [inprocess_table(quick), http_table(quick)]


__all__ = ["run", "inprocess_table", "http_table"]
