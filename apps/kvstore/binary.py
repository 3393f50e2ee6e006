"""memcached's binary protocol, as libmemcached clients (pylibmc) speak it.

A request is a 24-byte header (magic 0x80, opcode, key/extras/body
lengths, opaque, cas) and a body of extras, key and value; the answer
echoes opcode and opaque.  The rules are memcached 1.6's (proto_bin.c): the
quiet opcodes (``...Q``) answer nothing on success -- a quiet get not even
on a miss -- but always answer errors; a header whose lengths do not add up
gets "Invalid arguments" and the connection is closed, as memcached does.
The store underneath is the one the text protocol uses, so both protocols
see the same items, cas values and statistics.
"""

from __future__ import annotations

import struct
from typing import Protocol

from .store import MAX_KEY, VERSION, Store, StoreError

REQUEST, RESPONSE = 0x80, 0x81
HEADER = struct.Struct(">BBHBBHIIQ")

# status codes
OK, NOT_FOUND, EXISTS, TOO_LARGE, INVALID, NOT_STORED, NON_NUMERIC = 0, 1, 2, 3, 4, 5, 6
UNKNOWN, NO_MEMORY = 0x81, 0x82
MESSAGES = {
    NOT_FOUND: b"Not found",
    EXISTS: b"Data exists for key.",
    TOO_LARGE: b"Too large.",
    INVALID: b"Invalid arguments",
    NOT_STORED: b"Not stored.",
    NON_NUMERIC: b"Non-numeric server-side value for incr or decr",
    UNKNOWN: b"Unknown command",
    NO_MEMORY: b"Out of memory",
}

GET, SET, ADD, REPLACE, DELETE, INCR, DECR, QUIT, FLUSH, GETQ, NOOP, VERSION_OP = range(12)
GETK, GETKQ, APPEND, PREPEND, STAT = 0x0C, 0x0D, 0x0E, 0x0F, 0x10
TOUCH, GAT, GATQ, GATK, GATKQ = 0x1C, 0x1D, 0x1E, 0x23, 0x24
QUIET = {  # quiet opcode -> the loud one it is a silent form of
    0x11: SET,
    0x12: ADD,
    0x13: REPLACE,
    0x14: DELETE,
    0x15: INCR,
    0x16: DECR,
    0x17: QUIT,
    0x18: FLUSH,
    0x19: APPEND,
    0x1A: PREPEND,
    GETQ: GET,
    GETKQ: GETK,
    GATQ: GAT,
    GATKQ: GATK,
}
NO_EXPIRY_CREATE = 0xFFFFFFFF  # incr/decr: do not create a missing counter


class Connection(Protocol):
    """What the protocol needs of the connection (``server.Connection``)."""

    store: Store

    def write(self, data: bytes) -> None: ...


class _Close(Exception):
    """Answer sent; close the connection."""


def _ttl(raw: int) -> int:
    """A 32-bit binary exptime as the text protocol's signed one."""
    return raw - (1 << 32) if raw >= 1 << 31 else raw


class Request:
    def __init__(self, conn: Connection, head: bytes | bytearray) -> None:
        (_, self.opcode, keylen, extlen, _, _, self.bodylen, self.opaque, self.cas) = HEADER.unpack(head)
        self.conn, self.keylen, self.extlen = conn, keylen, extlen
        self.op = QUIET.get(self.opcode, self.opcode)
        self.quiet = self.opcode in QUIET
        self.extras = self.key = self.value = b""

    def answer(self, status: int = OK, extras: bytes = b"", key: bytes = b"", value: bytes = b"", cas: int = 0):
        body = extras + key + value
        head = HEADER.pack(RESPONSE, self.opcode, len(key), len(extras), 0, status, len(body), self.opaque, cas)
        self.conn.write(head + body)

    def ok(self, extras: bytes = b"", key: bytes = b"", value: bytes = b"", cas: int = 0) -> None:
        if not self.quiet:
            self.answer(OK, extras, key, value, cas)

    def error(self, status: int) -> None:
        self.answer(status, value=MESSAGES[status])

    def invalid(self):
        """memcached's answer to a malformed request: EINVAL, then close."""
        self.error(INVALID)
        raise _Close


class Plan:
    """What to do with a request once its header is read: read ``body``
    bytes and ``run`` it, or (a value too large) read the extras and key,
    swallow ``swallow`` more and answer TOO_LARGE; ``close``: answered
    already, hang up."""

    def __init__(
        self, body: int = 0, swallow: int = 0, run: bool = True, close: bool = False, too_large: bool = False
    ) -> None:
        self.body, self.swallow, self.run, self.close, self.too_large = body, swallow, run, close, too_large


def plan(conn: Connection, req: Request) -> Plan:
    """Check a request's header as memcached does, before its body is read."""
    if req.keylen + req.extlen > req.bodylen:
        req.error(UNKNOWN)
        return Plan(run=False, close=True)
    if req.keylen > MAX_KEY:
        req.error(INVALID)
        return Plan(run=False, close=True)
    handler = _HANDLERS.get(req.op)
    if handler is None:
        req.error(UNKNOWN)
        return Plan(swallow=req.bodylen, run=False)
    want_extras, want_key, want_value = handler.shape
    value_len = req.bodylen - req.keylen - req.extlen
    if (
        req.extlen not in want_extras
        or (want_key is not None and bool(req.keylen) != want_key)
        or (not want_value and value_len)
    ):
        req.error(INVALID)
        return Plan(run=False, close=True)
    if want_value and value_len > conn.store.max_item:  # swallowed, never buffered whole
        return Plan(body=req.extlen + req.keylen, swallow=value_len, run=False, too_large=True)
    return Plan(body=req.bodylen)


def too_large(conn: Connection, req: Request, head: bytes) -> None:
    """A value over the item size: as memcached, no stale value outlives a
    failed set."""
    conn.store.stats["store_too_large"] += 1
    if req.op == SET:
        conn.store.delete(head[req.extlen :])
    req.error(TOO_LARGE)


def run(conn: Connection, req: Request, body: bytes) -> bool:
    """Answer a request whose body has been read; False: close."""
    req.extras, req.key, req.value = (
        body[: req.extlen],
        body[req.extlen : req.extlen + req.keylen],
        body[req.extlen + req.keylen :],
    )
    try:
        return _HANDLERS[req.op](conn.store, req) is not False
    except _Close:
        return False
    except StoreError:  # the store could not make room
        req.error(NO_MEMORY)
        return True


def _shape(extras: tuple[int, ...], key: bool | None, value: bool):
    def mark(fn):
        fn.shape = (extras, key, value)
        return fn

    return mark


@_shape((0, 4), True, False)
def _get(store: Store, req: Request):
    touch = req.op in (TOUCH, GAT, GATK)
    if touch != (req.extlen == 4):
        req.invalid()
    exptime = _ttl(struct.unpack(">I", req.extras)[0]) if touch else None
    hit = store.get(req.key, touch=exptime)
    if hit is None:
        if not (req.quiet and req.op in (GET, GETK, GAT, GATK)):
            req.error(NOT_FOUND)
        return
    flags, data, cas = hit
    key = req.key if req.op in (GETK, GATK) else b""
    value = b"" if req.op == TOUCH else data
    req.answer(OK, struct.pack(">I", flags), key, value, cas)  # a hit is answered even when quiet


@_shape((8,), True, True)
def _update(store: Store, req: Request):
    flags, exptime = struct.unpack(">II", req.extras)
    mode = {SET: "set", ADD: "add", REPLACE: "replace"}[req.op]
    status, cas = store.store(mode, req.key, flags, _ttl(exptime), req.value, req.cas or None)
    _store_answer(req, mode, status, cas)


@_shape((0,), True, True)
def _append(store: Store, req: Request):
    mode = "append" if req.op == APPEND else "prepend"
    status, cas = store.store(mode, req.key, 0, 0, req.value, req.cas or None)
    _store_answer(req, mode, status, cas)


def _store_answer(req: Request, mode: str, status: str, cas: int) -> None:
    if status == "STORED":
        req.ok(cas=cas)
    elif status == "EXISTS":
        req.error(EXISTS)
    elif status == "NOT_FOUND":
        req.error(NOT_FOUND)
    else:  # NOT_STORED: memcached words it by mode
        req.error({"add": EXISTS, "replace": NOT_FOUND}.get(mode, NOT_STORED))


@_shape((0,), True, False)
def _delete(store: Store, req: Request):
    status = store.delete(req.key, req.cas)
    if status == "DELETED":
        req.ok()
    else:
        req.error(NOT_FOUND if status == "NOT_FOUND" else EXISTS)


@_shape((20,), True, False)
def _arith(store: Store, req: Request):
    delta, initial, exptime = struct.unpack(">QQI", req.extras)
    with store.lock:
        status, n, it = store.arith(req.key, delta, req.op == INCR, req.cas)
        if status == "NOT_FOUND" and exptime != NO_EXPIRY_CREATE:
            stored, cas = store.store("add", req.key, 0, _ttl(exptime), b"%d" % initial)
            if stored != "STORED":
                req.error(NOT_STORED)
                return
            req.ok(value=struct.pack(">Q", initial), cas=cas)
            return
    if status == "OK":
        req.ok(value=struct.pack(">Q", n), cas=it.cas)
    else:
        req.error({"NOT_FOUND": NOT_FOUND, "EXISTS": EXISTS, "NON_NUMERIC": NON_NUMERIC}[status])


@_shape((0, 4), False, False)
def _flush(store: Store, req: Request):
    if not store.flush_enabled:
        req.answer(0x20, value=b"Auth failure.")  # memcached's answer with -F
        return
    delay = _ttl(struct.unpack(">I", req.extras)[0]) if req.extras else 0
    store.flush_all(delay)
    req.ok()


@_shape((0,), False, False)
def _noop(store: Store, req: Request):
    req.answer()


@_shape((0,), False, False)
def _version(store: Store, req: Request):
    req.answer(value=VERSION.encode())


@_shape((0,), False, False)
def _quit(store: Store, req: Request):
    req.ok()
    return False


@_shape((0,), None, False)
def _stat(store: Store, req: Request):
    sub = req.key.decode("ascii", "replace").lower()
    if sub == "reset":
        store.reset_stats()
        req.answer()
        return
    if sub.startswith("detail"):
        what = sub[6:]
        if what == " dump":
            req.answer(key=b"detailed", value=store.detail_dump())
        elif what in (" on", " off"):
            store.detail = what == " on"
        else:
            req.error(NOT_FOUND)
            return
        req.answer()
        return
    lines = store.stat_lines(sub)
    if lines is None:
        req.error(NOT_FOUND)
        return
    for name, value in lines:  # one packet a stat, then an empty one
        req.answer(key=str(name).encode(), value=str(value).encode())
    req.answer()


@_shape((4,), False, False)
def _verbosity(store: Store, req: Request):
    req.ok()


_HANDLERS = {
    GET: _get,
    GETK: _get,
    GAT: _get,
    GATK: _get,
    TOUCH: _get,
    SET: _update,
    ADD: _update,
    REPLACE: _update,
    APPEND: _append,
    PREPEND: _append,
    DELETE: _delete,
    INCR: _arith,
    DECR: _arith,
    FLUSH: _flush,
    NOOP: _noop,
    VERSION_OP: _version,
    QUIT: _quit,
    STAT: _stat,
    0x1B: _verbosity,
}
