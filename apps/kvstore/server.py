"""The kvstore server: every connection on one event loop in one thread
(kvstore.eventloop), as memcached's worker threads multiplex theirs.

A connection's bytes go into a buffer; whole requests are cut from it --
a text line and, for storage commands, its data block; a binary header and
its body -- and answered in order, all the replies to one read sent with one
write (pipelined clients get their answers batched).  A request that is not
complete yet waits for more bytes; a value over the item size is swallowed
as it arrives, never buffered whole.  One thread means no lock convoy and
no GIL hand-over between connections, and ``mpk`` mode's domains are that
thread's own.

Every malformed input gets memcached's answer (ERROR, CLIENT_ERROR ...,
SERVER_ERROR ...) and the connection carries on (or is closed when the
input cannot be delimited); nothing a client sends can stop the server.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from . import binary, text
from .eventloop import EventLoop, Transport
from .store import Store, StoreError

OUT_BATCH = 64 << 10  # replies queued past this go to the transport before more are made
MAX_LINE = 4 << 20  # a multi-get of 10,000 keys of 250 bytes fits, as in memcached
REFUSED = b"ERROR Too many open connections\r\n"  # memcached's answer past -c


@dataclass
class Options:
    enable_shutdown: bool = False
    debug_time: bool = False
    debug_stray_write: bool = False
    max_connections: int = 1024


class Connection:
    def __init__(self, server: Server) -> None:
        self.server, self.store, self.options = server, server.store, server.options
        self.buf = bytearray()
        self.out: list[bytes] = []
        self.swallow = 0  # bytes of a refused value still to discard
        self.closing = False
        self.queued = 0  # bytes in ``out``
        self.blocked = False  # the transport holds more than its high-water mark: answer nothing more
        self.stream: Iterator[bytes] | None = None  # the rest of a reply made as it is sent (multi-get)
        self.transport: Transport | None = None

    # --- what the protocols write through -----------------------------------------------

    def send(self, reply: str | bytes) -> None:
        self.write((reply.encode() if isinstance(reply, str) else reply) + b"\r\n")

    def write(self, data: bytes) -> None:
        self.out.append(data)
        self.queued += len(data)

    def write_stream(self, chunks: Iterator[bytes]) -> None:
        """A reply too large to build at once (a multi-get of many big
        items): sent chunk by chunk as the client reads, never held whole."""
        self.stream = chunks

    def shutdown_server(self) -> None:
        self.server.stop()

    # --- the event loop's callbacks ----------------------------------------------------------

    def connection_made(self, transport) -> None:
        self.transport = transport
        conns = self.store.conns
        conns["curr_connections"] += 1
        conns["total_connections"] += 1
        self.server.connections.add(self)
        if conns["curr_connections"] > self.options.max_connections:
            conns["rejected_connections"] += 1
            self.write(REFUSED)
            self.closing = True
            self._flush()

    def pause_writing(self) -> None:
        """The client does not read its answers: stop answering and reading
        its requests (memcached stops too) rather than buffer answers
        without bound -- 9 bytes of ``get k`` can ask for a megabyte."""
        self.blocked = True
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        self.blocked = False
        self.transport.resume_reading()
        try:
            self._pump()  # what was read but not answered yet
        finally:
            self._flush()

    def connection_lost(self, exc) -> None:
        self.store.conns["curr_connections"] -= 1
        self.server.connections.discard(self)

    def data_received(self, data: bytes) -> None:
        if self.closing:
            return
        conns = self.store.conns
        conns["bytes_read"] += len(data)
        if (  # one whole plain get, nothing buffered: most reads under load
            not self.buf
            and self.stream is None
            and data[:4] == b"get "
            and data.find(b"\n") == len(data) - 1
            and data[-2:-1] == b"\r"
            and not self.swallow
        ):
            key = data[4:-2]
            if key and len(key) <= text.MAX_KEY and b" " not in key and b"\r" not in key and b"\0" not in key:
                reply = self._get_reply(key)
                conns["bytes_written"] += len(reply)
                self.transport.write(reply)
                return
        self.buf += data
        try:
            self._pump()
        finally:
            self._flush()

    def _flush(self) -> None:
        if self.out:
            data = b"".join(self.out)
            self.out.clear()
            self.queued = 0
            self.store.conns["bytes_written"] += len(data)
            self.transport.write(data)  # (may call pause_writing)
        if self.closing:
            self.transport.close()

    def _room(self) -> bool:
        """Whether to answer more now: what is queued goes to the transport
        past OUT_BATCH, and nothing more is answered while it is full."""
        if self.queued >= OUT_BATCH:
            self._flush()
        return not self.blocked

    def _drain_stream(self) -> bool:
        """Send the open streamed reply as far as there is room: True once done."""
        stream = self.stream
        try:
            for chunk in stream:
                self.write(chunk)
                if not self._room():
                    return False
        except Exception as e:  # a bug of ours: the client hears of it, the server lives on
            self.send(f"SERVER_ERROR {type(e).__name__}")
        self.stream = None
        return True

    # --- framing ---------------------------------------------------------------------------

    def _pump(self) -> None:
        """Answer every complete request in the buffer."""
        buf, pos = self.buf, 0
        try:
            while not self.closing:
                if self.stream is not None and not self._drain_stream():
                    break
                if not self._room():
                    break
                if self.swallow:
                    n = min(self.swallow, len(buf) - pos)
                    pos += n
                    self.swallow -= n
                    if self.swallow:
                        break
                if pos == len(buf):
                    break
                if buf[pos] == binary.REQUEST:  # a connection may mix both protocols
                    used = self._binary(buf, pos)
                else:
                    used = self._text(buf, pos)
                if not used:
                    break  # incomplete: wait for more bytes
                pos += used
        finally:
            del buf[:pos]

    def _binary(self, buf: bytearray, pos: int) -> int:
        if len(buf) - pos < binary.HEADER.size:
            return 0
        req = binary.Request(self, buf[pos : pos + binary.HEADER.size])
        start = pos + binary.HEADER.size
        plan = binary.plan(self, req)  # (answers a bad header at once: such a plan reads no body)
        if len(buf) - start < plan.body:
            return 0
        body = bytes(buf[start : start + plan.body])
        if plan.run:
            if not self._guard(lambda: binary.run(self, req, body), quiet=False):
                self.closing = True
        elif plan.too_large:
            binary.too_large(self, req, body)
        self.closing = self.closing or plan.close
        self.swallow = plan.swallow
        return binary.HEADER.size + plan.body

    def _text(self, buf: bytearray, pos: int) -> int:
        end = buf.find(b"\n", pos, pos + MAX_LINE + 1)
        if end < 0:
            if len(buf) - pos > MAX_LINE:  # no line end within the limit: it cannot be delimited
                self.send("CLIENT_ERROR line too long")
                self.closing = True
            return 0
        line = bytes(buf[pos:end]).split(b"\0", 1)[0]  # memcached reads the line as a C string
        parts = [p for p in line.rstrip(b"\r").split(b" ") if p]  # memcached splits on spaces only
        used = end + 1 - pos
        if not parts:
            self.send("ERROR")
            return used
        if parts[0] == b"get" and len(parts) == 2 and len(parts[1]) <= text.MAX_KEY:  # the hot path
            self.write(self._get_reply(parts[1]))
            return used
        block = text.data_block(parts)
        data = None
        if block is not None:
            if block.error is not None or block.length > self.store.max_item:
                self._refuse(block)
                self.swallow = block.length + 2
                return used
            have = len(buf) - end - 1
            if have < block.length + 2:
                return 0
            chunk = bytes(buf[end + 1 : end + 1 + block.length + 2])
            used += block.length + 2
            if chunk[-2:] != b"\r\n":
                if not text.noreply(parts):
                    self.send("CLIENT_ERROR bad data chunk")
                return used
            data = chunk[:-2]
        if self._guard(lambda: text.execute(self, parts, data), quiet=text.noreply(parts)) is False:
            self.closing = True
        return used

    def _get_reply(self, key: bytes) -> bytes:
        """A plain one-key ``get``'s whole reply (the hot path's, framed or not)."""
        hit = self.store.get(key)
        if hit is None:
            return b"END\r\n"
        return b"VALUE %s %d %d\r\n%s\r\nEND\r\n" % (key, hit[0], len(hit[1]), hit[1])

    def _refuse(self, block: text.Block) -> None:
        if block.error is not None:
            self.send(block.error)
            return
        self.store.stats["store_too_large"] += 1
        self.store.delete(block.key)  # a set that cannot be stored leaves no old value behind
        self.send("SERVER_ERROR object too large for cache")

    def _guard(self, step, quiet: bool):
        """Run a command; its StoreError is the client's answer, any other
        exception a bug of ours that the client hears of -- the server lives on."""
        mark, queued = len(self.out), self.queued
        try:
            return step()
        except StoreError as e:
            if not quiet:
                self.send(str(e))
        except Exception as e:
            del self.out[mark:]
            self.queued = queued
            if not quiet:
                self.send(f"SERVER_ERROR {type(e).__name__}")
        return None


class Server:
    """The listening socket and, while serving, its event loop; the
    interface of ``socketserver`` that the CLI and the tests use
    (``serve_forever``, ``shutdown``, ``server_close``, ``server_address``,
    ``socket``).  The loop is made in ``serve_forever``, so a forked child
    serves with a loop of its own and the parent may close ``socket``."""

    def __init__(self, store: Store, host: str, port: int, options: Options) -> None:
        self.store, self.options = store, options
        self.connections: set[Connection] = set()
        self.socket = socket.create_server((host, port), backlog=1024)
        self.server_address = self.socket.getsockname()[:2]
        self.loop: EventLoop | None = None
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self) -> None:
        self.loop = EventLoop(self.socket, lambda: Connection(self))
        self._stopped.clear()
        try:
            self.loop.run_forever()  # (drops every connection when it ends)
        finally:
            self._stopped.set()

    def stop(self) -> None:
        """From the loop's own thread (the shutdown command)."""
        self.loop.stop()

    def shutdown(self) -> None:
        """From another thread: stop serving and wait until the loop has."""
        loop = self.loop
        if loop is not None:
            loop.wake_to_stop()
        self._stopped.wait()

    def server_close(self) -> None:
        self.socket.close()


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
    options = Options(enable_shutdown, debug_time, debug_stray_write, max_connections)
    return Server(store, host, port, options)


def serve_in_thread(store: Store, port: int = 0, **options) -> tuple[Server, threading.Thread]:
    server = make_server(store, port, **options)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    return server, t
