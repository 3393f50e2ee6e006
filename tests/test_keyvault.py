"""keyvault: HMAC in numba against Python's hmac, the HTTP service, and the
planted over-read that leaks a key without protection and faults with it."""

from __future__ import annotations

import ctypes
import hmac
import json
import signal
import threading
import urllib.error
import urllib.request

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libmpk import sandbox
from libmpk.apps.keyvault import Vault, VaultError
from libmpk.apps.keyvault.hmac256 import hmac_sha256, sha256
from libmpk.apps.keyvault.server import make_server
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

from .apptools import ForkedServer, free_port, spawn_cli
from .conftest import _reset

SECRET = bytes.fromhex("6b6579766175c1745ec2e7700000000000000000000000000000000042424242")


@settings(max_examples=150, deadline=None)
@given(key=st.binary(min_size=1, max_size=200), msg=st.binary(max_size=400))
def test_hmac_matches_python(key, msg):
    assert hmac_sha256(key, msg) == hmac.new(key, msg, "sha256").digest()


@given(data=st.binary(max_size=300))
def test_sha256_matches_hashlib(data):
    import hashlib

    assert sha256(data) == hashlib.sha256(data).digest()


@pytest.fixture(params=["mpk", "none"])
def vault(request, backend):
    _reset()
    sandbox.init(backend=backend)
    v = Vault(request.param, debug_overread=True)
    yield v
    v.close()
    _reset()


def test_sign_verify_delete(vault):
    k = vault.create(SECRET)
    mac = vault.sign(k, b"pay 10 to bob")
    assert mac == hmac.new(SECRET, b"pay 10 to bob", "sha256").digest()
    assert vault.verify(k, b"pay 10 to bob", mac) and not vault.verify(k, b"pay 99 to bob", mac)
    k2 = vault.create()  # generated: 32 random bytes
    assert vault.sign(k2, b"x") != vault.sign(k, b"x")
    vault.delete(k)
    with pytest.raises(VaultError, match="no key"):
        vault.sign(k, b"x")
    with pytest.raises(VaultError):
        vault.create(b"")


def test_keys_are_unreadable_outside_a_signing_domain(vault):
    k = vault.create(SECRET)
    vkey, addr, _ = vault._keys[k]
    if vault.protect == "mpk":
        assert sandbox.access(addr) == sandbox.PROT_NONE  # no read right at all between signatures
    else:
        assert sandbox.access(addr) & sandbox.PROT_READ


def _call(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def test_http_service(fallback):
    v = Vault("mpk")
    server = make_server(v)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        st_, body = _call(port, "POST", "/keys", {"secret_hex": SECRET.hex()})
        assert st_ == 201
        kid = body["id"]
        st_, body = _call(port, "POST", "/sign", {"id": kid, "message": "hello"})
        assert body["mac"] == hmac.new(SECRET, b"hello", "sha256").hexdigest()
        assert _call(port, "POST", "/verify", {"id": kid, "message": "hello", "mac": body["mac"]})[1]["valid"]
        assert not _call(port, "POST", "/verify", {"id": kid, "message": "hellO", "mac": body["mac"]})[1]["valid"]
        assert _call(port, "POST", "/sign", {"id": "nope", "message": "x"})[0] == 404
        assert _call(port, "POST", "/sign", {"message": "x"})[0] == 400
        assert _call(port, "GET", "/debug/echo?n=16")[0] == 400  # disabled without the flag
        assert _call(port, "GET", "/health")[1]["keys"] == 1
        assert _call(port, "DELETE", f"/keys/{kid}")[0] == 204
        assert _call(port, "DELETE", f"/keys/{kid}")[0] == 404
    finally:
        server.shutdown()
        v.close()


def _overread(protect: str):
    v = Vault(protect, debug_overread=True)
    v.create(SECRET)
    server = make_server(v)
    child = ForkedServer(server)
    try:
        leaked = None
        try:
            status, body = _call(child.port, "GET", "/debug/echo?n=8192")  # past the 4 KiB scratch page
            leaked = bytes.fromhex(body["data"])
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if leaked is not None:
            return leaked, None
        return None, child.death()
    finally:
        child.stop()
        v.close()


def test_overread_leaks_the_key_without_protection(fallback):
    leaked, _ = _overread("none")
    assert leaked is not None and SECRET in leaked  # Heartbleed: the key walked out


@pytest.mark.parametrize("backend", ["mprotect", pytest.param("pku", marks=pytest.mark.pku)])
def test_overread_faults_with_protection(backend):
    _reset()
    sandbox.init(backend=backend)
    try:
        leaked, death = _overread("mpk")
        assert leaked is None, "the over-read returned data"
        assert death.signal == signal.SIGSEGV, death
        assert death.fault.code == (SEGV_PKUERR if backend == "pku" else SEGV_ACCERR), death
    finally:
        _reset()


def test_mpk_keyvault_commands(tmp_path):
    import subprocess
    import sys

    port = free_port()
    proc, _ = spawn_cli("keyvault", "serve", "--port", str(port), ready="keyvault on")
    url = f"http://127.0.0.1:{port}"

    def mpk(*args):
        p = subprocess.run(
            [sys.executable, "-m", "libmpk", "keyvault", *args, "--url", url], capture_output=True, text=True
        )
        return p.returncode, p.stdout, p.stderr

    try:
        rc, out, _ = mpk("gen", "--secret-hex", SECRET.hex())
        assert rc == 0
        kid = json.loads(out)["id"]
        rc, out, _ = mpk("sign", "--id", kid, "--message", "hi")
        mac = json.loads(out)["mac"]
        assert mac == hmac.new(SECRET, b"hi", "sha256").hexdigest()
        assert json.loads(mpk("verify", "--id", kid, "--message", "hi", "--mac", mac)[1])["valid"] is True
        assert mpk("delete", "--id", kid)[0] == 0
        rc, _, err = mpk("sign", "--id", kid, "--message", "hi")
        assert rc == 1 and "no key" in err
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert SECRET.hex() not in out  # the server never logged the imported key


def test_delete_wipes_the_key_before_unmapping(vault, monkeypatch):
    k = vault.create(SECRET)
    vkey, addr, length = vault._keys[k]
    seen = {}
    real = sandbox.munmap

    def spy(v):
        if v == vkey:
            with sandbox.domain(v, sandbox.PROT_READ):
                seen["bytes"] = ctypes.string_at(addr, length)
        real(v)

    monkeypatch.setattr(sandbox, "munmap", spy)
    vault.delete(k)
    assert seen["bytes"] == bytes(length)
