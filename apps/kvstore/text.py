"""memcached's text protocol (and the meta commands riding on it): one
command line, and the data block that follows a storage command, in; the
replies out through ``conn``.  No I/O here: the connection (server.py)
frames lines and data blocks and decides when a block is complete.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from . import meta
from .store import MAX_KEY, VERSION, Store, StoreError

__all__ = ["MAX_KEY", "Block", "ProtocolError", "data_block", "execute", "noreply"]

STORAGE = ("set", "add", "replace", "append", "prepend", "cas")
READS = ("get", "gets", "gat", "gats")  # no noreply: every argument is a key
NO_NOREPLY = READS + meta.COMMANDS  # meta commands have their own (the q flag)


class ProtocolError(StoreError):
    """A malformed command: the message is memcached's answer to it."""


class Options(Protocol):
    enable_shutdown: bool
    debug_time: bool
    debug_stray_write: bool


class Conn(Protocol):
    """What a command needs of its connection."""

    store: Store
    options: Options

    def send(self, text: str | bytes) -> None: ...
    def write(self, data: bytes) -> None: ...
    def write_stream(self, chunks: Iterator[bytes]) -> None: ...
    def shutdown_server(self) -> None: ...


def noreply(parts: list[bytes]) -> bool:
    """The command ends in noreply: no reply at all, errors included (as
    memcached) -- a pipelining client counts on hearing nothing.  Reads
    have no noreply: there a key may be named so."""
    return len(parts) > 1 and parts[-1] == b"noreply" and parts[0].decode("latin-1") not in NO_NOREPLY


def _key(raw: bytes) -> bytes:
    """Any bytes but space and line ends, at most 250: what memcached takes
    (load generators do send control characters in keys)."""
    if not raw or len(raw) > MAX_KEY:
        raise ProtocolError("CLIENT_ERROR bad command line format")
    return raw


def _num(raw: bytes, signed: bool = False, bits: int = 64) -> int:
    try:
        n = int(raw)
    except ValueError:
        raise ProtocolError("CLIENT_ERROR bad command line format") from None
    if (not signed and n < 0) or abs(n) >= 1 << bits:
        raise ProtocolError("CLIENT_ERROR bad command line format")
    return n


def _length(raw: bytes) -> int:
    """A data block's length: memcached adds 2 (CRLF) to it as a C int."""
    n = _num(raw, bits=31)
    if n > (1 << 31) - 3:
        raise ProtocolError("CLIENT_ERROR bad command line format")
    return n


class Block:
    """What follows a command line: ``length`` bytes of data and CRLF, for
    ``key``; ``error``: answer it after swallowing them (a bad ms flag)."""

    def __init__(self, length: int, key: bytes, error: str | None = None) -> None:
        self.length, self.key, self.error = length, key, error


def data_block(parts: list[bytes]) -> Block | None:
    """The data block a storage command line announces, or None when no
    block follows (including a line too malformed to announce one: its
    error comes from ``execute``)."""
    name = parts[0]
    if name in (b"set", b"add", b"replace", b"append", b"prepend", b"cas"):
        args = parts[1:-1] if noreply(parts) else parts[1:]
        if len(args) != (5 if name == b"cas" else 4):
            return None
        try:
            _key(args[0]), _num(args[1], bits=32), _num(args[2], signed=True, bits=63)
            n = _length(args[3])
            if name == b"cas":
                _num(args[4])
        except ProtocolError:
            return None
        return Block(n, args[0])
    if name == b"ms":
        try:
            n, flags, error = meta.ms_header(parts)
        except StoreError:
            return None
        return Block(n, flags.key if flags else parts[1], error)
    return None


def _values(store: Store, keys: list[bytes], touch: int | None, with_cas: bool) -> Iterator[bytes]:
    """A get's reply, one item at a time: VALUE lines of the hits, then END."""
    for key in keys:
        hit = store.get(key) if touch is None else store.get(key, touch=touch)
        if hit is not None:
            flags, data, cas = hit
            head = b"VALUE %s %d %d" % (key, flags, len(data)) + (b" %d" % cas if with_cas else b"")
            yield head + b"\r\n" + data + b"\r\n"
    yield b"END\r\n"


def execute(conn: Conn, parts: list[bytes], data: bytes | None) -> bool | None:
    """Run one command (``data``: its data block, CRLF removed, if
    ``data_block`` announced one); False: close the connection.  Raises
    StoreError with the answer for the client."""
    cmd = parts[0]  # case matters, as in memcached: "GET" is not "get"
    try:
        name = cmd.decode("ascii")
    except UnicodeDecodeError:
        conn.send("ERROR")
        return None
    quiet = noreply(parts)
    args = parts[1:-1] if quiet else parts[1:]
    store = conn.store
    if name in READS:
        touch = name.startswith("gat")  # get-and-touch: the first argument is the new exptime
        if len(args) < 1 + touch:
            raise ProtocolError("ERROR")
        exptime = _num(args[0], signed=True, bits=63) if touch else 0
        keys = [_key(raw) for raw in args[touch:]]  # (a bad key anywhere: the error alone, as memcached)
        values = _values(store, keys, exptime if touch else None, name.endswith("s"))
        if len(keys) == 1:
            conn.write(b"".join(values))
        else:  # each item is read as its turn to be sent comes: held one at a time
            conn.write_stream(values)
    elif name in STORAGE:
        want = 6 if name == "cas" else 5
        if len(args) != want - 1:
            raise ProtocolError("ERROR")
        key = _key(args[0])
        flags = _num(args[1], bits=32)
        exptime = _num(args[2], signed=True, bits=63)
        _length(args[3])
        cas = _num(args[4]) if name == "cas" else 0
        if data is None:  # (data_block accepts exactly these lines)
            raise ProtocolError("CLIENT_ERROR bad data chunk")
        reply = store.set(name, key, flags, exptime, data, cas)
        if not quiet:
            conn.send(reply)
    elif name in ("mg", "md", "ma", "me"):
        reply = getattr(meta, name)(store, parts)
        if reply is not None:
            conn.send(reply)
    elif name == "mn":
        conn.send("MN")
    elif name == "ms":
        reply = meta.ms(store, meta.ms_header(parts)[1], data)
        if reply is not None:
            conn.send(reply)
    elif name == "delete":
        if not args or len(args) > 2 or (len(args) == 2 and args[1] != b"0"):
            raise ProtocolError("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]")
        reply = store.delete(_key(args[0]))
        if not quiet:
            conn.send(reply)
    elif name in ("incr", "decr"):
        if len(args) != 2:
            raise ProtocolError("ERROR")
        try:
            delta = int(args[1])
        except ValueError:
            raise ProtocolError("CLIENT_ERROR invalid numeric delta argument") from None
        if not 0 <= delta < 1 << 64:
            raise ProtocolError("CLIENT_ERROR invalid numeric delta argument")
        reply = store.incr(_key(args[0]), delta, name == "incr")
        if not quiet:
            conn.send(reply)
    elif name == "touch":
        if len(args) != 2:
            raise ProtocolError("ERROR")
        reply = store.touch(_key(args[0]), _num(args[1], signed=True, bits=63))
        if not quiet:
            conn.send(reply)
    elif name == "flush_all":
        if not store.flush_enabled:
            raise ProtocolError("CLIENT_ERROR flush_all not allowed")
        try:
            delay = _num(args[0], signed=True, bits=63) if args else 0
        except ProtocolError:
            raise ProtocolError("CLIENT_ERROR invalid exptime argument") from None
        store.flush_all(delay)
        if not quiet:
            conn.send("OK")
    elif name == "stats":
        sub = args[0].decode("ascii", "replace") if args else ""
        if sub == "reset":
            store.reset_stats()
            conn.send("RESET")
            return None
        if sub == "cachedump":
            if len(args) != 3:
                raise ProtocolError("ERROR")
            conn.write(store.cachedump(_num(args[1], bits=31), _num(args[2], bits=31)))
            return None
        if sub == "detail":
            what = args[1].decode("ascii", "replace") if len(args) == 2 else ""
            if what == "dump":
                conn.write(store.detail_dump())
            elif what in ("on", "off"):
                store.detail = what == "on"
                conn.send("OK")
            else:
                conn.send("CLIENT_ERROR usage: stats detail on|off|dump")
            return None
        lines = store.stat_lines(sub) if len(args) <= 1 else None
        if lines is None:
            raise ProtocolError("ERROR")
        conn.write(b"".join(f"STAT {k} {v}\r\n".encode() for k, v in lines) + b"END\r\n")
    elif name == "slabs" and args[:1] == [b"automove"]:
        # slabs move between classes on demand whatever the setting; the
        # command is validated and acknowledged as memcached does
        if len(args) != 2 or args[1] not in (b"0", b"1", b"2"):
            raise ProtocolError("CLIENT_ERROR bad command line format")
        conn.send("OK")
    elif name == "verbosity":
        if len(args) != 1:
            raise ProtocolError("ERROR")
        _num(args[0], bits=31)
        if not quiet:
            conn.send("OK")
    elif name == "cache_memlimit":
        if len(args) != 1:
            raise ProtocolError("ERROR")
        store.set_memlimit(_num(args[0], bits=31) << 20)
        if not quiet:
            conn.send("OK")
    elif name == "shutdown":
        if not conn.options.enable_shutdown:
            raise ProtocolError("ERROR: shutdown not enabled")
        if args not in ([], [b"graceful"]):  # graceful: connections finish their command either way
            raise ProtocolError("CLIENT_ERROR invalid shutdown mode")
        conn.shutdown_server()
        return False
    elif name == "version":
        conn.send(f"VERSION {VERSION}")
    elif name == "quit":
        return False
    elif name == "debugtime" and conn.options.debug_time and len(args) == 1:
        try:
            store.debug_time(args[0])
        except ValueError:
            raise ProtocolError("ERROR") from None
        conn.send("OK")
    elif name == "debug_stray_write" and conn.options.debug_stray_write:
        n = _num(args[0], bits=24) if args else 64
        store.slabs.stray_write(n)  # the planted bug
        conn.send("OK")
    elif parts[-1].startswith(b"HTTP/"):
        return False  # an HTTP request (a browser tricked into talking to us): hang up, as memcached
    elif not quiet:
        conn.send("ERROR")
    return None
