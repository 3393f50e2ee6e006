"""kvstore's event loop (apps/kvstore/eventloop.py) where clients misbehave
at the transport level: one that stops reading its replies, one that
half-closes, connections open while the server is shut down.  On the
``none`` store only: the loop does not depend on the protection mode."""

from __future__ import annotations

import select
import socket
import threading
import time

import pytest

from libmpk.apps.kvstore import eventloop
from libmpk.apps.kvstore.server import serve_in_thread
from libmpk.apps.kvstore.store import Store

from .handshake import join

VALUE = 60_000


@pytest.fixture
def srv():
    store = Store("none", limit=24 << 20, max_item=64 << 10)
    server, thread = serve_in_thread(store)
    yield server
    server.shutdown()
    server.server_close()
    thread.join(10)
    assert not thread.is_alive()
    store.close()


def _connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=30)


def _set(server, key: bytes, value: bytes) -> None:
    with _connect(server) as s:
        s.sendall(b"set %s 0 0 %d\r\n%s\r\n" % (key, len(value), value))
        assert s.recv(100) == b"STORED\r\n"


def _read_until(s: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        buf += chunk
    return bytes(buf)


def test_a_client_that_stops_reading_is_paused_not_buffered(srv):
    """2,000 gets of a 60 KB value (120 MB of replies) sent without reading
    one: the server stops reading that client once its unsent replies pass
    the high-water mark -- its buffer stays near that mark, not 120 MB --
    and serves everyone else meanwhile.  Read at last, every reply arrives,
    in order."""
    value = bytes(range(256)) * (VALUE // 256)
    _set(srv, b"big", value)
    _set(srv, b"small", b"x")
    hog = _connect(srv)
    hog.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 10)
    n = 2000
    sender = threading.Thread(target=lambda: hog.sendall(b"get big\r\n" * n))
    sender.start()
    time.sleep(1.0)  # the replies back up: the client's receive buffer, the socket's, the server's
    (conn,) = srv.connections
    assert conn.transport.out and len(conn.transport.out) < 4 * eventloop.HIGH_WATER + len(value) + 100
    assert not conn.transport.reading
    with _connect(srv) as other:  # the loop still serves other clients
        other.sendall(b"get small\r\n")
        assert _read_until(other, 24) == b"VALUE small 0 1\r\nx\r\nEND\r\n"
    reply = b"VALUE big 0 %d\r\n%s\r\nEND\r\n" % (len(value), value)
    got = _read_until(hog, n * len(reply))
    join(sender, "the sender")
    assert got == reply * n
    hog.close()


def test_a_half_closed_client_gets_its_replies(srv):
    """A client that sends its requests and shuts its sending side (end of
    file to the server) still reads every answer, then the server closes."""
    _set(srv, b"k", b"v" * 1000)
    with _connect(srv) as s:
        s.sendall(b"get k\r\n" * 300)
        s.shutdown(socket.SHUT_WR)
        got = _read_until(s, 1 << 30)  # to the server's close
    assert got == (b"VALUE k 0 1000\r\n" + b"v" * 1000 + b"\r\nEND\r\n") * 300


def test_shutdown_with_connections_open_drops_them_and_returns():
    store = Store("none", limit=8 << 20)
    server, thread = serve_in_thread(store)
    socks = [_connect(server) for _ in range(20)]
    for s in socks[:10]:
        s.sendall(b"get nothing\r\n")
        assert _read_until(s, 5) == b"END\r\n"
    server.shutdown()  # from this thread, while 20 connections are open
    thread.join(10)
    assert not thread.is_alive()
    for s in socks:
        s.settimeout(5)
        assert s.recv(10) == b""  # dropped: end of file, not a hang
        s.close()
    assert store.conns["curr_connections"] == 0
    server.server_close()
    store.close()


def test_shutdown_before_the_loop_runs_still_stops_it():
    store = Store("none", limit=8 << 20)
    from libmpk.apps.kvstore.server import make_server

    server = make_server(store)
    loop = eventloop.EventLoop(server.socket, lambda: None)
    loop.wake_to_stop()
    done = threading.Event()
    threading.Thread(target=lambda: (loop.run_forever(), done.set()), daemon=True).start()
    assert done.wait(10)
    server.server_close()
    store.close()


def test_one_multi_get_line_cannot_make_the_server_hold_its_whole_reply(srv):
    """``get big big ...`` -- 5,000 keys in a 20 KB line ask for 300 MB.
    The reply is made item by item as the client reads: while it does not,
    the server holds about the high-water mark, not the reply."""
    value = b"v" * VALUE
    _set(srv, b"big", value)
    n = 5000
    with _connect(srv) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 10)
        s.sendall(b"get" + b" big" * n + b"\r\n")
        time.sleep(1.0)
        (conn,) = srv.connections
        held = len(conn.transport.out) + sum(map(len, conn.out))
        assert conn.stream is not None and held < 4 * eventloop.HIGH_WATER + VALUE, held
        item = b"VALUE big 0 %d\r\n%s\r\n" % (VALUE, value)
        got = _read_until(s, n * len(item) + 5)
    assert got == item * n + b"END\r\n"


class _Echo:
    """A protocol that answers every read with one byte and notes, as it
    reads, whether any client already holds an answer."""

    def __init__(self, clients: list[socket.socket], seen: list[bool]) -> None:
        self.clients, self.seen = clients, seen

    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        answered = False
        for c in self.clients:
            try:
                answered |= bool(c.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT))
            except BlockingIOError:
                pass
        self.seen.append(answered)
        self.transport.write(b"!")
        if len(self.seen) == len(self.clients):
            self.transport.loop.stop()

    def pause_writing(self) -> None: ...
    def resume_writing(self) -> None: ...
    def connection_lost(self, exc) -> None: ...


def test_replies_to_one_poll_go_out_after_every_request_of_it_was_read():
    """Eight clients whose requests are all waiting when the loop polls:
    each is read and answered before any answer is sent, so the sends go
    out back to back (a send that wakes a client's idle CPU costs several
    times one that finds it running) -- and then every client gets its
    answer, with nothing left waiting for another event."""
    listener = socket.create_server(("127.0.0.1", 0))
    clients, seen = [], []
    loop = eventloop.EventLoop(listener, lambda: _Echo(clients, seen))
    for _ in range(8):
        clients.append(socket.create_connection(listener.getsockname()))  # (blocking: MSG_DONTWAIT holds)
    listener.setblocking(False)
    for _ in range(8):  # accepted before any request is in
        loop._accept()
    assert len(loop.transports) == 8
    for c in clients:
        c.sendall(b"?")
    time.sleep(0.2)
    loop.run_forever()
    assert seen == [False] * 8
    for c in clients:
        c.settimeout(10)
        assert c.recv(1) == b"!"
        c.close()
    listener.close()


def test_a_reply_that_meets_a_full_socket_waits_for_epollout_not_for_another_request():
    """A batch flush whose send finds the client's socket buffer already full
    (EAGAIN) must ask epoll for EPOLLOUT: otherwise the reply waits for an
    event that may never come (the client is waiting for it)."""
    listener = socket.create_server(("127.0.0.1", 0))
    loop = eventloop.EventLoop(listener, lambda: _Echo([], []))
    client = socket.create_connection(listener.getsockname())
    listener.setblocking(False)
    loop._accept()
    (t,) = loop.transports.values()
    t.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    t.sock.setblocking(False)
    try:
        while True:  # fill the way to the client until the kernel takes no more
            t.sock.send(b"x" * 65536)
    except BlockingIOError:
        pass
    t.write(b"reply")
    assert loop.pending == [t] and not t.mask & select.EPOLLOUT
    loop._send_pending()
    assert t.out == bytearray(b"reply") and t.mask & select.EPOLLOUT
    client.close()
    listener.close()
    loop.epoll.close()
