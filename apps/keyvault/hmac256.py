"""HMAC-SHA256 in numba, so a signature is computed inside one domain in
native code: the key is read only between sandbox.nb.begin and end.

SHA-256 per FIPS 180-4; HMAC per RFC 2104 (keys longer than the block are
hashed first).  Checked against Python's hashlib/hmac in the tests.
"""

from __future__ import annotations

import numpy as np
from numba import carray, njit

from libmpk.sandbox import nb
from libmpk.sandbox.hw.intrinsics import int_to_ptr

_K = np.array(
    [
        0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
        0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
        0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
        0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
        0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
        0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
        0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
        0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
    ],
    dtype=np.uint32,
)  # fmt: skip
_H0 = np.array([0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19],
               dtype=np.uint32)  # fmt: skip
BLOCK = 64


@njit(cache=True, inline="always")
def _rotr(x, n):
    return np.uint32((x >> np.uint32(n)) | (x << np.uint32(32 - n)))


@njit(cache=True)
def _compress(h, block, w, k):
    for t in range(16):
        w[t] = np.uint32(
            (np.uint32(block[4 * t]) << np.uint32(24))
            | (np.uint32(block[4 * t + 1]) << np.uint32(16))
            | (np.uint32(block[4 * t + 2]) << np.uint32(8))
            | np.uint32(block[4 * t + 3])
        )
    for t in range(16, 64):
        s0 = _rotr(w[t - 15], 7) ^ _rotr(w[t - 15], 18) ^ (w[t - 15] >> np.uint32(3))
        s1 = _rotr(w[t - 2], 17) ^ _rotr(w[t - 2], 19) ^ (w[t - 2] >> np.uint32(10))
        w[t] = np.uint32(w[t - 16] + s0 + w[t - 7] + s1)
    a, b, c, d, e, f, g, hh = h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
    for t in range(64):
        s1 = _rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)
        ch = (e & f) ^ (~e & g)
        t1 = np.uint32(hh + s1 + ch + k[t] + w[t])
        s0 = _rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22)
        maj = (a & b) ^ (a & c) ^ (b & c)
        t2 = np.uint32(s0 + maj)
        hh, g, f, e, d, c, b, a = g, f, e, np.uint32(d + t1), c, b, a, np.uint32(t1 + t2)
    h[0] += a
    h[1] += b
    h[2] += c
    h[3] += d
    h[4] += e
    h[5] += f
    h[6] += g
    h[7] += hh


@njit(cache=True)
def _sha256_parts(prefix, msg, out, k, h0):
    """SHA-256 of prefix || msg (prefix: 0 or 64 bytes) into out[32]."""
    h = h0.copy()
    w = np.empty(64, dtype=np.uint32)
    block = np.zeros(BLOCK, dtype=np.uint8)
    total = prefix.size + msg.size
    filled = 0
    for i in range(total):
        block[filled] = prefix[i] if i < prefix.size else msg[i - prefix.size]
        filled += 1
        if filled == BLOCK:
            _compress(h, block, w, k)
            filled = 0
    block[filled] = 0x80
    filled += 1
    if filled > 56:
        for i in range(filled, BLOCK):
            block[i] = 0
        _compress(h, block, w, k)
        filled = 0
    for i in range(filled, 56):
        block[i] = 0
    bits = np.uint64(total) * np.uint64(8)
    for i in range(8):
        block[63 - i] = np.uint8((bits >> np.uint64(8 * i)) & np.uint64(0xFF))
    _compress(h, block, w, k)
    for i in range(8):
        out[4 * i] = np.uint8(h[i] >> np.uint32(24))
        out[4 * i + 1] = np.uint8((h[i] >> np.uint32(16)) & np.uint32(0xFF))
        out[4 * i + 2] = np.uint8((h[i] >> np.uint32(8)) & np.uint32(0xFF))
        out[4 * i + 3] = np.uint8(h[i] & np.uint32(0xFF))
    block[:] = 0  # do not leave message (key pads) in scratch memory


@njit(cache=True)
def _hmac_with_key(key, msg, out, k, h0):
    kb = np.zeros(BLOCK, dtype=np.uint8)
    if key.size > BLOCK:
        _sha256_parts(np.zeros(0, dtype=np.uint8), key, kb, k, h0)
    else:
        kb[: key.size] = key
    pad = np.empty(BLOCK, dtype=np.uint8)
    inner = np.empty(32, dtype=np.uint8)
    for i in range(BLOCK):
        pad[i] = kb[i] ^ 0x36
    _sha256_parts(pad, msg, inner, k, h0)
    for i in range(BLOCK):
        pad[i] = kb[i] ^ 0x5C
    _sha256_parts(pad, inner, out, k, h0)
    kb[:] = 0  # wipe key-derived scratch
    pad[:] = 0
    inner[:] = 0


@njit(cache=True)
def hmac_sha256_array(key, msg, k, h0):
    out = np.empty(32, dtype=np.uint8)
    _hmac_with_key(key, msg, out, k, h0)
    return out


@njit(cache=True)
def sign_in_domain(vkey, key_addr, key_len, msg, k, h0):
    """HMAC-SHA256 with the key at key_addr, read only inside a read domain
    on ``vkey`` (opened and closed here, around the whole computation)."""
    out = np.empty(32, dtype=np.uint8)
    nb.begin(vkey, 1)  # PROT_READ
    key = carray(int_to_ptr(key_addr), (key_len,), np.uint8)
    _hmac_with_key(key, msg, out, k, h0)
    nb.end(vkey)
    return out


def hmac_sha256(key: bytes, msg: bytes) -> bytes:
    """HMAC-SHA256 of plain bytes (for tests and unprotected use)."""
    return bytes(hmac_sha256_array(np.frombuffer(key, np.uint8), np.frombuffer(msg, np.uint8), _K, _H0))


def sha256(data: bytes) -> bytes:
    out = np.empty(32, dtype=np.uint8)
    _sha256_parts(np.zeros(0, dtype=np.uint8), np.frombuffer(data, np.uint8), out, _K, _H0)
    return bytes(out)


def sign_protected(vkey: int, key_addr: int, key_len: int, msg: bytes) -> bytes:
    return bytes(sign_in_domain(vkey, key_addr, key_len, np.frombuffer(msg, np.uint8), _K, _H0))
