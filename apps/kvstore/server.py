"""memcached's text protocol over TCP, one thread per connection.

Every malformed input gets memcached's answer (ERROR, CLIENT_ERROR ...,
SERVER_ERROR ...) and the connection carries on (or is closed when the line
cannot be delimited); nothing a client sends can crash the server.
"""

from __future__ import annotations

import socketserver
import threading

from . import binary, meta
from .store import MAX_KEY, VERSION, Store, StoreError

MAX_LINE = 4 << 20  # a multi-get of 10,000 keys of 250 bytes fits, as in memcached
STORAGE = ("set", "add", "replace", "append", "prepend", "cas")
READS = ("get", "gets", "gat", "gats")  # no noreply: every argument is a key
NO_NOREPLY = READS + meta.COMMANDS  # meta commands have their own (the q flag)


def _noreply(parts: list[bytes]) -> bool:
    """The command ends in noreply: no reply at all, errors included (as
    memcached) -- a pipelining client counts on hearing nothing.  Reads
    have no noreply: there a key may be named so."""
    return len(parts) > 1 and parts[-1] == b"noreply" and parts[0].lower().decode("latin-1") not in NO_NOREPLY


class ProtocolError(Exception):
    pass


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


class _Counting:
    """The connection's write side, counting bytes for ``stats``."""

    def __init__(self, raw, conns: dict) -> None:
        self.raw, self.conns = raw, conns

    def write(self, data: bytes) -> int:
        self.conns["bytes_written"] += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


class Handler(socketserver.StreamRequestHandler):
    store: Store
    debug_stray_write: bool = False
    debug_time: bool = False
    enable_shutdown: bool = False
    max_connections: int = 1024

    def setup(self) -> None:
        super().setup()
        conns = self.store.conns
        with self.store.lock:
            conns["curr_connections"] += 1
            conns["total_connections"] += 1
            refused = conns["curr_connections"] > self.max_connections
        self.wfile = _Counting(self.wfile, conns)
        if refused:  # memcached's answer when -c is reached
            self.wfile.write(b"ERROR Too many open connections\r\n")
            self.wfile.flush()
            self.refused = True
        else:
            self.refused = False

    def finish(self) -> None:
        with self.store.lock:
            self.store.conns["curr_connections"] -= 1
        if isinstance(self.wfile, _Counting):
            self.wfile = self.wfile.raw
        try:
            super().finish()
        except OSError:
            pass  # the peer is gone: nothing left to flush to

    def send(self, text: str | bytes) -> None:
        self.wfile.write((text.encode() if isinstance(text, str) else text) + b"\r\n")

    def read_exact(self, n: int) -> bytes | None:
        data = self.rfile.read(n)
        self.store.conns["bytes_read"] += len(data)
        return data if len(data) == n else None

    def write(self, data: bytes) -> None:
        self.wfile.write(data)

    def handle(self) -> None:
        if self.refused:
            return
        while True:
            if self.rfile.peek(1)[:1] == bytes([binary.REQUEST]):  # a connection may mix both protocols
                try:
                    if not binary.serve_one(self):
                        return
                except (ConnectionError, TimeoutError):
                    return
                finally:
                    self.wfile.flush()
                continue
            line = self.rfile.readline(MAX_LINE + 1)
            if not line:
                return
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE:
                    self.send("CLIENT_ERROR line too long")
                return  # half a line and the peer is gone
            self.store.conns["bytes_read"] += len(line)
            line = line.split(b"\0", 1)[0]  # memcached reads the line as a C string: a NUL ends it
            parts = [p for p in line.rstrip(b"\r\n").split(b" ") if p]  # memcached splits on spaces only
            if not parts:
                self.send("ERROR")
                continue
            quiet = _noreply(parts)
            try:
                if self.command(parts) is False:
                    return
            except (ProtocolError, StoreError) as e:
                if not quiet:
                    self.send(str(e))
            except (ConnectionError, TimeoutError):
                return
            except Exception as e:  # a bug of ours: the client hears of it, the server lives on
                if not quiet:
                    self.send(f"SERVER_ERROR {type(e).__name__}")
            self.wfile.flush()

    def discard(self, n: int) -> bool:
        while n > 0:
            chunk = self.rfile.read(min(n, 1 << 16))
            if not chunk:
                return False
            self.store.conns["bytes_read"] += len(chunk)
            n -= len(chunk)
        return True

    def read_value(self, nbytes: int, key: bytes) -> bytes | None:
        """The data block of a storage command: ``nbytes`` and CRLF.  A value
        over the item size is swallowed in pieces (never buffered whole) and
        deletes the key, as memcached does; None: the peer is gone."""
        if nbytes > self.store.max_item:
            self.store.delete(key)  # a set that cannot be stored leaves no old value behind
            if not self.discard(nbytes + 2):
                return None
            raise StoreError("SERVER_ERROR object too large for cache")
        data = self.rfile.read(nbytes + 2)
        self.store.conns["bytes_read"] += len(data)
        if len(data) < nbytes + 2:
            return None
        if data[-2:] != b"\r\n":
            raise ProtocolError("CLIENT_ERROR bad data chunk")
        return data[:-2]

    def meta_set(self, parts: list[bytes]):
        nbytes, flags, error = meta.ms_header(parts)
        if error is not None:
            if not self.discard(nbytes + 2):
                return False
            raise StoreError(error)
        data = self.read_value(nbytes, flags.key)
        if data is None:
            return False
        reply = meta.ms(self.store, flags, data)
        if reply is not None:
            self.send(reply)
        return None

    def command(self, parts: list[bytes]):
        cmd = parts[0].lower()
        try:
            name = cmd.decode("ascii")
        except UnicodeDecodeError:
            self.send("ERROR")
            return None
        noreply = _noreply(parts)
        args = parts[1:-1] if noreply else parts[1:]
        store = self.store
        if name in READS:
            touch = name.startswith("gat")  # get-and-touch: the first argument is the new exptime
            if len(args) < 1 + touch:
                raise ProtocolError("ERROR")
            exptime = _num(args[0], signed=True, bits=63) if touch else 0
            out = []
            for raw in args[touch:]:
                key = _key(raw)
                hit = store.get(key, touch=exptime) if touch else store.get(key)
                if hit is not None:
                    flags, data, cas = hit
                    head = b"VALUE %s %d %d" % (key, flags, len(data)) + (b" %d" % cas if name.endswith("s") else b"")
                    out.append(head + b"\r\n" + data)
            self.wfile.write(b"".join(x + b"\r\n" for x in out) + b"END\r\n")
        elif name in STORAGE:
            want = 6 if name == "cas" else 5
            if len(args) != want - 1:
                raise ProtocolError("ERROR")
            key = _key(args[0])
            flags = _num(args[1], bits=32)
            exptime = _num(args[2], signed=True, bits=63)
            nbytes = _num(args[3], bits=31)
            cas = _num(args[4]) if name == "cas" else 0
            data = self.read_value(nbytes, key)
            if data is None:
                return False
            reply = store.set(name, key, flags, exptime, data, cas)
            if not noreply:
                self.send(reply)
        elif name in ("mg", "md", "ma", "me"):
            reply = getattr(meta, name)(store, parts)
            if reply is not None:
                self.send(reply)
        elif name == "mn":
            self.send("MN")
        elif name == "ms":
            return self.meta_set(parts)
        elif name == "delete":
            if not args or len(args) > 2 or (len(args) == 2 and args[1] != b"0"):
                raise ProtocolError("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]")
            reply = store.delete(_key(args[0]))
            if not noreply:
                self.send(reply)
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
            if not noreply:
                self.send(reply)
        elif name == "touch":
            if len(args) != 2:
                raise ProtocolError("ERROR")
            reply = store.touch(_key(args[0]), _num(args[1], signed=True, bits=63))
            if not noreply:
                self.send(reply)
        elif name == "flush_all":
            if not store.flush_enabled:
                raise ProtocolError("CLIENT_ERROR flush_all not allowed")
            try:
                delay = _num(args[0], signed=True, bits=63) if args else 0
            except ProtocolError:
                raise ProtocolError("CLIENT_ERROR invalid exptime argument") from None
            store.flush_all(delay)
            if not noreply:
                self.send("OK")
        elif name == "stats":
            sub = args[0].decode("ascii", "replace").lower() if args else ""
            if sub == "reset":
                store.reset_stats()
                self.send("RESET")
                return None
            if sub == "cachedump":
                if len(args) != 3:
                    raise ProtocolError("ERROR")
                self.wfile.write(store.cachedump(_num(args[1], bits=31), _num(args[2], bits=31)))
                return None
            if sub == "detail":
                what = args[1].decode("ascii", "replace") if len(args) == 2 else ""
                if what == "dump":
                    self.wfile.write(store.detail_dump())
                elif what in ("on", "off"):
                    store.detail = what == "on"
                    self.send("OK")
                else:
                    self.send("CLIENT_ERROR usage: stats detail on|off|dump")
                return None
            lines = store.stat_lines(sub) if len(args) <= 1 else None
            if lines is None:
                raise ProtocolError("ERROR")
            self.wfile.write(b"".join(f"STAT {k} {v}\r\n".encode() for k, v in lines) + b"END\r\n")
        elif name == "verbosity":
            if len(args) != 1:
                raise ProtocolError("ERROR")
            _num(args[0], bits=31)
            if not noreply:
                self.send("OK")
        elif name == "cache_memlimit":
            if len(args) != 1:
                raise ProtocolError("ERROR")
            store.set_memlimit(_num(args[0], bits=31) << 20)
            if not noreply:
                self.send("OK")
        elif name == "shutdown":
            if not self.enable_shutdown:
                raise ProtocolError("ERROR: shutdown not enabled")
            threading.Thread(target=self.server.shutdown, daemon=True).start()
            return False
        elif name == "version":
            self.send(f"VERSION {VERSION}")
        elif name == "quit":
            return False
        elif name == "debugtime" and self.debug_time and len(args) == 1:
            try:
                store.debug_time(args[0])
            except ValueError:
                raise ProtocolError("ERROR") from None
            self.send("OK")
        elif name == "debug_stray_write" and self.debug_stray_write:
            n = _num(args[0], bits=24) if args else 64
            store.slabs.stray_write(n)  # the planted bug
            self.send("OK")
        elif not noreply:
            self.send("ERROR")
        return None


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a peer hanging up is routine
            super().handle_error(request, client_address)


def make_server(
    store: Store,
    port: int = 0,
    host: str = "127.0.0.1",
    debug_stray_write: bool = False,
    enable_shutdown: bool = False,
    max_connections: int = 1024,
    debug_time: bool = False,
) -> Server:
    store.max_connections = max_connections
    attrs = {
        "store": store,
        "debug_stray_write": debug_stray_write,
        "debug_time": debug_time,
        "enable_shutdown": enable_shutdown,
        "max_connections": max_connections,
    }
    return Server((host, port), type("KVHandler", (Handler,), attrs))


def serve_in_thread(store: Store, port: int = 0, **options) -> tuple[Server, threading.Thread]:
    server = make_server(store, port, **options)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return server, t
