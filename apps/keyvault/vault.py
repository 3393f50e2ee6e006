"""The vault: secret keys in protected pages, one vkey each.

protect="mpk": every key's vkey is PROT_NONE process-wide; signing opens a
read domain for just the computation (thread-local under PKU).  Creating,
importing and wiping a key open a write domain.  protect="none": the same
layout in plain read-write memory -- the baseline, and the victim of the
planted over-read.

All pages (a scratch buffer, then the keys) come from one reservation, so the
scratch buffer is directly followed by key pages -- which is what makes the
planted Heartbleed-style bug (``debug_echo``) able to reach them.
"""

from __future__ import annotations

import ctypes
import hmac
import os
import secrets
import threading

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE

from . import hmac256

RW = PROT_READ | PROT_WRITE
KEY_PAGE = 4096
SCRATCH = 4096
MODES = ("mpk", "none")


class VaultError(sandbox.SandboxError):
    """Unknown key id, bad key material, or a disabled debug feature."""


class Vault:
    def __init__(self, protect: str = "mpk", debug_overread: bool = False, capacity_keys: int = 4096) -> None:
        if protect not in MODES:
            raise VaultError(f"unknown protection {protect!r}; choose one of {', '.join(MODES)}")
        self.protect = protect
        self.debug_overread = debug_overread
        self._lock = threading.Lock()
        self._keys: dict[str, tuple[int, int, int]] = {}  # id -> (vkey, address, length)
        self.reservation = sandbox.reserve(SCRATCH + capacity_keys * KEY_PAGE)
        self._scratch_vkey = sandbox.new_vkey()
        scratch = sandbox.mmap(self._scratch_vkey, SCRATCH, RW, within=self.reservation)
        self.scratch = scratch.address
        ctypes.memmove(self.scratch, b"public scratch buffer: nothing secret here. " * 8, 360)
        self.signatures = 0

    # --- keys -------------------------------------------------------------------

    def _new_region(self) -> tuple[int, int]:
        vkey = sandbox.new_vkey()
        prot = PROT_NONE if self.protect == "mpk" else RW
        region = sandbox.mmap(vkey, KEY_PAGE, prot, within=self.reservation)
        return vkey, region.address

    def _write_key(self, vkey: int, addr: int, secret: bytes) -> None:
        if self.protect == "mpk":
            with sandbox.domain(vkey, RW):
                ctypes.memmove(addr, secret, len(secret))
        else:
            ctypes.memmove(addr, secret, len(secret))

    def create(self, secret: bytes | None = None) -> str:
        """Store a new key (random 32 bytes, or ``secret``); its id."""
        if secret is None:
            secret = secrets.token_bytes(32)
        if not isinstance(secret, (bytes, bytearray)) or not 1 <= len(secret) <= KEY_PAGE:
            raise VaultError(f"a key is 1..{KEY_PAGE} bytes")
        with self._lock:
            vkey, addr = self._new_region()
            self._write_key(vkey, addr, bytes(secret))
            key_id = secrets.token_hex(8)
            self._keys[key_id] = (vkey, addr, len(secret))
            return key_id

    def delete(self, key_id: str) -> None:
        """Wipe the key's pages, then unmap them."""
        with self._lock:
            vkey, addr, length = self._lookup(key_id)
            self._write_key(vkey, addr, bytes(length))
            del self._keys[key_id]
            sandbox.munmap(vkey)

    def _lookup(self, key_id: str) -> tuple[int, int, int]:
        try:
            return self._keys[key_id]
        except (KeyError, TypeError):
            raise VaultError(f"no key {key_id!r}") from None

    def ids(self) -> list[str]:
        with self._lock:
            return list(self._keys)

    # --- signing ----------------------------------------------------------------

    def sign(self, key_id: str, message: bytes) -> bytes:
        """HMAC-SHA256 of ``message`` under the key, computed in one read domain."""
        vkey, addr, length = self._lookup(key_id)
        if self.protect == "mpk":
            mac = hmac256.sign_protected(vkey, addr, length, message)
        else:
            mac = hmac256.hmac_sha256(ctypes.string_at(addr, length), message)
        self.signatures += 1
        return mac

    def verify(self, key_id: str, message: bytes, mac: bytes) -> bool:
        return hmac.compare_digest(self.sign(key_id, message), mac)

    # --- the planted bug ------------------------------------------------------------

    def debug_echo(self, n: int) -> bytes:
        """Heartbleed, planted: echo ``n`` bytes of the scratch buffer without
        checking ``n`` against its size.  Reads past it run into key pages."""
        if not self.debug_overread:
            raise VaultError("the debug echo is disabled (start with --debug-overread)")
        return ctypes.string_at(self.scratch, n)

    def close(self) -> None:
        with self._lock:
            for key_id in list(self._keys):
                vkey, addr, length = self._keys.pop(key_id)
                self._write_key(vkey, addr, bytes(length))
                sandbox.munmap(vkey)
            sandbox.munmap(self._scratch_vkey)


__all__ = ["Vault", "VaultError", "os"]
