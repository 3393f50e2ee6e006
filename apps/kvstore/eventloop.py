"""kvstore's event loop: one epoll set in one thread.

Each connection gets a :class:`Transport` with the calls a protocol makes of
asyncio's (``write``, ``close``, ``abort``, ``pause_reading``,
``resume_reading``) and the protocol gets asyncio's callbacks back
(``connection_made``, ``data_received``, ``pause_writing``,
``resume_writing``, ``connection_lost``).  What it leaves out is asyncio's
per-event machinery -- a handle, a context switch and three dispatch calls
for every readable socket -- which cost the server more CPU per request than
the request itself: a readable socket here is one ``recv`` and one call.

Level-triggered: a connection that is not read (paused, closing) is simply
not asked for EPOLLIN, and one with bytes still to send asks for EPOLLOUT.

Replies are sent after every ready socket of a poll has been read and
answered, not as each is made (Redis does the same before it sleeps): a
send that wakes a client's idle CPU costs several times one that finds it
running, and a batch of sends wakes it once.  Under memaslap that took the
protected modes from ~0.43 to ~0.52 of ``none``'s throughput, whose own
figure did not move.
"""

from __future__ import annotations

import logging
import select
import socket
import time
from collections.abc import Callable
from typing import Protocol

READ_SIZE = 256 * 1024  # asyncio's read size
HIGH_WATER = 64 * 1024  # asyncio's default write-buffer limits: pause the protocol above,
LOW_WATER = 16 * 1024  # resume it at or below
MAX_EVENTS = 64  # per poll: the most requests whose replies wait for each other
ACCEPT_BACKOFF = 0.1  # seconds without accepting after the process ran out of descriptors

_IN, _OUT, _ERR = select.EPOLLIN, select.EPOLLOUT, select.EPOLLERR | select.EPOLLHUP
_log = logging.getLogger(__name__)


class StreamProtocol(Protocol):
    def connection_made(self, transport: Transport) -> None: ...
    def data_received(self, data: bytes) -> None: ...
    def pause_writing(self) -> None: ...
    def resume_writing(self) -> None: ...
    def connection_lost(self, exc: BaseException | None) -> None: ...


class Transport:
    __slots__ = ("loop", "sock", "fd", "protocol", "out", "closing", "reading", "writing_paused", "lost", "mask")

    def __init__(self, loop: EventLoop, sock: socket.socket, protocol: StreamProtocol) -> None:
        self.loop, self.sock, self.fd, self.protocol = loop, sock, sock.fileno(), protocol
        self.out = bytearray()  # accepted but not yet sent
        self.closing = False  # close(): send what is buffered, then drop
        self.reading = True
        self.writing_paused = False
        self.lost = False
        self.mask = _IN

    def write(self, data: bytes) -> None:
        if self.lost or self.closing:
            return
        if not self.out and not self.mask & _OUT:
            self.loop.pending.append(self)
        self.out += data
        if not self.writing_paused and len(self.out) > HIGH_WATER:
            self.writing_paused = True
            self.protocol.pause_writing()

    def send_pending(self) -> None:
        try:
            n = self.sock.send(self.out)
        except (BlockingIOError, InterruptedError):
            self._rearm()  # (from the batch flush EPOLLOUT is not asked for yet: ask now)
            return
        except OSError as e:
            self.loop.lose(self, e)
            return
        del self.out[:n]
        if self.writing_paused and len(self.out) <= LOW_WATER:
            self.writing_paused = False
            self.protocol.resume_writing()
        if not self.out and self.closing:
            self.loop.lose(self, None)
        else:
            self._rearm()

    def close(self) -> None:
        """Stop reading; drop the connection once what is buffered is sent."""
        if self.lost or self.closing:
            return
        self.closing = True
        if self.out:
            self._rearm()
        else:
            self.loop.lose(self, None)

    def abort(self) -> None:
        self.loop.lose(self, None)

    def pause_reading(self) -> None:
        self.reading = False
        self._rearm()

    def resume_reading(self) -> None:
        self.reading = True
        self._rearm()

    def _rearm(self) -> None:
        mask = (_IN if self.reading and not self.closing else 0) | (_OUT if self.out else 0)
        if mask != self.mask and not self.lost:
            self.mask = mask
            self.loop.epoll.modify(self.fd, mask)


class EventLoop:
    """Serve ``listener``'s connections with protocols from ``factory`` until
    :meth:`stop` (from a callback) or :meth:`wake_to_stop` (from any thread)."""

    def __init__(self, listener: socket.socket, factory: Callable[[], StreamProtocol]) -> None:
        self.listener, self.factory = listener, factory
        self.epoll = select.epoll()
        self.transports: dict[int, Transport] = {}
        self.pending: list[Transport] = []  # written to since the last poll: sent before the next
        self.running = True  # (a stop asked for before run_forever still counts)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._accept_at = 0.0  # while > now: out of descriptors, not accepting

    def run_forever(self) -> None:
        listener, lfd, wfd = self.listener, self.listener.fileno(), self._wake_r.fileno()
        listener.setblocking(False)
        self.epoll.register(lfd, _IN)
        self.epoll.register(wfd, _IN)
        transports = self.transports
        try:
            while self.running:
                timeout = -1.0
                if self._accept_at:
                    timeout = max(0.0, self._accept_at - time.monotonic())
                    if timeout == 0.0:
                        self._accept_at = 0.0
                        self.epoll.register(lfd, _IN)
                for fd, ev in self.epoll.poll(timeout, MAX_EVENTS):
                    t = transports.get(fd)
                    if t is not None:
                        if ev & _OUT and t.out:
                            t.send_pending()
                        if t.lost:
                            continue
                        if t.mask & _IN and ev & (_IN | _ERR):
                            self._read(t)
                        elif ev & _ERR and not t.out:
                            self.lose(t, None)  # hung up while not read: nothing more can come of it
                    elif fd == lfd:
                        self._accept()
                    elif fd == wfd:
                        try:
                            self._wake_r.recv(4096)
                        except BlockingIOError:
                            pass
                while self.pending:  # (a reply may resume a protocol that writes more)
                    self._send_pending()
        finally:
            self.running = False
            for t in list(transports.values()):
                self.lose(t, None)
            self.epoll.close()
            self._wake_r.close()
            self._wake_w.close()

    def _send_pending(self) -> None:
        pending, self.pending = self.pending, []
        for t in pending:
            if t.out and not t.lost:
                t.send_pending()

    def stop(self) -> None:
        self.running = False

    def wake_to_stop(self) -> None:
        self.running = False
        try:
            self._wake_w.send(b"x")
        except OSError:  # closed: the loop is already gone
            pass

    def lose(self, t: Transport, exc: BaseException | None) -> None:
        if t.lost:
            return
        t.lost = True
        del self.transports[t.fd]
        try:
            self.epoll.unregister(t.fd)
        except (OSError, ValueError):
            pass
        t.sock.close()
        t.protocol.connection_lost(exc)

    def _read(self, t: Transport) -> None:
        try:
            data = t.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self.lose(t, e)
            return
        if not data:  # the peer's end of file: answer what is buffered, then close
            t.close()
            return
        try:
            t.protocol.data_received(data)
        except Exception as e:  # a bug of ours: this connection ends, the server lives on
            _log.exception("kvstore: data_received failed; closing the connection")
            self.lose(t, e)

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError:  # EMFILE, ENFILE, ENOBUFS, ENOMEM: leave the backlog a while
                self.epoll.unregister(self.listener.fileno())
                self._accept_at = time.monotonic() + ACCEPT_BACKOFF
                return
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            t = Transport(self, sock, self.factory())
            self.transports[t.fd] = t
            self.epoll.register(t.fd, _IN)
            t.protocol.connection_made(t)
