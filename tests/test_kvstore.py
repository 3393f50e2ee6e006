"""kvstore: memcached's text protocol over loopback with a real client
(pymemcache) in every protection mode, hostile input on raw sockets, many
clients at once, and the planted stray write that corrupts items without
protection and faults with it."""

from __future__ import annotations

import signal
import socket
import threading
import time

import pytest
from pymemcache.client.base import Client

from libmpk import sandbox
from libmpk.apps.kvstore import slabs as slabs_mod
from libmpk.apps.kvstore.server import MAX_LINE, make_server, serve_in_thread
from libmpk.apps.kvstore.store import Store
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

from .apptools import ForkedServer, free_port, spawn_cli
from .conftest import _reset
from .handshake import expect, join

# every protection mode on the fallback; on PKU the mode that uses keys
SERVERS = [
    pytest.param(("none", "mprotect"), id="none"),
    pytest.param(("mprotect", "mprotect"), id="mprotect"),
    pytest.param(("mpk", "mprotect"), id="mpk-fallback"),
    pytest.param(("mpk", "pku"), id="mpk-pku", marks=pytest.mark.pku),
]


@pytest.fixture(params=SERVERS)
def server(request):
    protect, backend = request.param
    _reset()
    sandbox.init(backend=backend)
    store = Store(protect, limit=24 << 20, max_item=64 << 10)
    srv, _ = serve_in_thread(store)
    yield srv
    srv.shutdown()
    srv.server_close()
    store.close()
    _reset()


def client(srv) -> Client:
    return Client(("127.0.0.1", srv.server_address[1]), default_noreply=False, timeout=30, connect_timeout=10)


class Raw:
    """A bare socket, for bytes no well-behaved client would send."""

    def __init__(self, srv) -> None:
        self.s = socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=30)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.s.sendall(data)

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def ask(self, data: bytes) -> bytes:
        self.send(data)
        return self.line()

    def close(self) -> None:
        self.s.close()


def test_every_command_through_pymemcache(server):
    c = client(server)
    assert c.set("a", b"1", expire=0, noreply=False)
    assert c.get("a") == b"1"
    assert not c.add("a", b"2", noreply=False) and c.add("b", b"2", noreply=False)
    assert c.replace("a", b"10", noreply=False) and not c.replace("zz", b"1", noreply=False)
    assert c.append("a", b"0", noreply=False) and c.prepend("a", b"9", noreply=False)
    assert c.get("a") == b"9100"
    value, token = c.gets("a")
    assert value == b"9100"
    assert c.cas("a", b"7", token, noreply=False) is True
    assert c.cas("a", b"8", token, noreply=False) is False  # stale token: EXISTS
    assert c.cas("nope", b"8", token, noreply=False) is None  # NOT_FOUND
    assert c.incr("a", 5) == 12 and c.decr("a", 100) == 0
    assert c.incr("missing", 1) is None
    c.set("max", str(2**64 - 1).encode())
    assert c.incr("max", 2) == 1  # 64-bit wrap, as memcached does
    assert c.touch("a", 100, noreply=False) and not c.touch("nope", 1, noreply=False)
    assert c.get_many(["a", "b", "nope"]) == {"a": b"0 ", "b": b"2"}  # decr pads in place, as memcached
    assert c.delete("b", noreply=False) and not c.delete("b", noreply=False)
    c.set("flagged", b"x", noreply=False)
    stats = c.stats()
    assert stats[b"curr_items"] >= 3 and stats[b"cmd_get"] > 0
    assert c.version().startswith(b"1.")
    assert c.flush_all(noreply=False)
    assert c.get("a") is None and c.get("flagged") is None
    c.quit()


def test_noreply_is_silent_and_still_applied(server):
    r = Raw(server)
    r.send(b"set k 5 0 3 noreply\r\nabc\r\nincr k 1 noreply\r\ndelete nothere noreply\r\n")
    assert r.ask(b"get k\r\n") == b"VALUE k 5 3"  # no reply line came before the VALUE
    assert r.line() == b"abc" and r.line() == b"END"
    r.close()


def test_keys_are_any_bytes_but_spaces_like_memcached(server):
    r = Raw(server)
    key = b"\x10\x10\x01\xffkey\x7f"  # what memaslap sends
    assert r.ask(b"set " + key + b" 0 0 2\r\nhi\r\n") == b"STORED"
    assert r.ask(b"get  " + key + b"   \r\n") == b"VALUE " + key + b" 0 2"  # runs of spaces are one separator
    assert r.line() == b"hi" and r.line() == b"END"
    r.close()


def test_binary_values_and_large_items_round_trip(server):
    c = client(server)
    blob = bytes(range(256)) * 200  # 51200 bytes, CR LF and NUL inside
    assert c.set("blob", blob, noreply=False)
    assert c.get("blob") == blob
    for n in (0, 1, 95, 96, 97, 4095, 4096, 65536):
        v = bytes([n % 251]) * n
        assert c.set(f"k{n}", v, noreply=False)
        assert c.get(f"k{n}") == v


def test_expiry_and_delayed_flush(server):
    c = client(server)
    c.set("short", b"x", expire=1)
    c.set("past", b"x", expire=-1)
    c.set("abs", b"x", expire=int(time.time()) + 3600)  # > 30 days: an absolute time
    assert c.get("past") is None and c.get("short") == b"x" and c.get("abs") == b"x"
    time.sleep(2.1)
    assert c.get("short") is None and c.get("abs") == b"x"
    assert c.flush_all(delay=1, noreply=False)
    assert c.get("abs") == b"x"
    time.sleep(1.1)
    assert c.get("abs") is None


def test_lru_eviction_keeps_the_recently_used(server):
    c = client(server)
    value = b"v" * 30000
    c.set("hot", value)
    for i in range(1000):  # 30 MB through a 24 MiB store
        assert c.set(f"cold{i}", value, noreply=False)
        if i % 20 == 0:
            assert c.get("hot") == value  # keeps it at the head of the LRU
    assert c.get("hot") == value
    assert c.get("cold0") is None
    assert c.stats()[b"evictions"] > 0


BAD = [
    (b"bogus\r\n", b"ERROR"),
    (b"\r\n", b"ERROR"),
    (b"\xff\xfe\x00junk\r\n", b"ERROR"),
    (b"get\r\n", b"ERROR"),
    (b"set k 0 0\r\n", b"ERROR"),
    (b"set k x 0 1\r\n", b"CLIENT_ERROR bad command line format"),
    (b"set k 0 0 -1\r\n", b"CLIENT_ERROR bad command line format"),
    (b"set k 0 0 99999999999999999999999\r\n", b"CLIENT_ERROR bad command line format"),
    (b"get " + b"k" * 251 + b"\r\n", b"CLIENT_ERROR bad command line format"),
    (b"set k 0 0 3\r\nabcdef\r\n", b"CLIENT_ERROR bad data chunk"),
    (b"incr k abc\r\n", b"CLIENT_ERROR invalid numeric delta argument"),
    (b"incr k -1\r\n", b"CLIENT_ERROR invalid numeric delta argument"),
    (b"delete k 7\r\n", b"CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]"),
    (b"touch k\r\n", b"ERROR"),
    (b"debug_stray_write 100\r\n", b"ERROR"),  # the planted bug is off without its flag
]


@pytest.mark.parametrize("line,reply", BAD, ids=[repr(b[:16]) for b, _ in BAD])
def test_malformed_input_gets_a_protocol_error(server, line, reply):
    r = Raw(server)
    r.send(b"set keep 0 0 4\r\nsafe\r\n")
    assert r.line() == b"STORED"
    answer = r.ask(line)
    assert answer == reply
    if line.startswith(b"set k 0 0 3\r\nabc"):
        r.line()  # "def" was read as the next command
    assert r.ask(b"get keep\r\n") == b"VALUE keep 0 4"  # the connection and the data survive
    assert r.line() == b"safe"
    r.close()


def test_oversized_values_are_refused_and_swallowed(server):
    r = Raw(server)
    big = 64 << 10
    r.send(b"set big 0 0 %d\r\n" % (big + 1) + b"z" * (big + 1) + b"\r\n")
    assert r.line() == b"SERVER_ERROR object too large for cache"
    r.send(b"set huge 0 0 2000000000\r\n" + b"y" * 100000)  # announces 2 GB, sends 100 kB, hangs up
    r.close()
    c = client(server)
    assert c.get("big") is None and c.get("huge") is None
    assert c.set("after", b"ok", noreply=False) and c.get("after") == b"ok"


def test_too_long_lines_and_half_lines_close_only_that_connection(server):
    r = Raw(server)
    r.send(b"get " + b"k" * (MAX_LINE + 8) + b"\r\n")
    assert r.line() == b"CLIENT_ERROR line too long"
    r.close()
    half = Raw(server)
    half.send(b"set k 0 0 10\r\nonly5")  # half the value, then gone
    half.close()
    half = Raw(server)
    half.send(b"get k")  # half a line
    half.close()
    junk = Raw(server)
    junk.send(bytes(range(256)) * 64)
    junk.close()
    c = client(server)
    assert c.get("k") is None
    assert c.set("k", b"fine", noreply=False) and c.get("k") == b"fine"


def test_64_concurrent_clients_lose_no_acknowledged_write(server):
    errors: list[BaseException] = []
    acked: dict[str, bytes] = {}
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            c = client(server)
            for i in range(25):
                key, value = f"c{n}-{i}", f"{n}:{i}:".encode() * (1 + (n * i) % 40)
                assert c.set(key, value, noreply=False)
                with lock:
                    acked[key] = value
                assert c.get(key) == value
                c.incr(f"counter{n % 4}", 1)
            c.close()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    c = client(server)
    for k in range(4):
        c.set(f"counter{k}", b"0")
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        join(t, "a client")
    assert not errors, errors[:3]
    assert len(acked) == 64 * 25
    got = {}
    keys = list(acked)
    for i in range(0, len(keys), 100):
        got.update(c.get_many(keys[i : i + 100]))
    assert got == acked
    assert sum(int(c.get(f"counter{k}")) for k in range(4)) == 64 * 25
    assert c.stats()[b"evictions"] == 0


def test_item_memory_is_closed_between_commands(backend):
    _reset()
    sandbox.init(backend=backend)
    try:
        for mode, expect in (("none", sandbox.PROT_READ | sandbox.PROT_WRITE), ("mprotect", 0), ("mpk", 0)):
            store = Store(mode, limit=2 << 20, max_item=4096)
            store.set("set", b"k", 0, 0, b"v" * 100)
            it = store.items[b"k"]
            assert sandbox.access(it.addr) == expect, mode
    finally:
        _reset()


def test_mprotect_mode_opens_only_the_items_own_pages(fallback):
    """An access costs per item, not per megabyte: with item memory full,
    reading one item opens its pages only; two overlapping accesses from two
    threads keep a shared page open until the last one ends."""
    store = Store("mprotect", limit=8 << 20, max_item=64 << 10)
    try:
        for i in range(300):  # ~6 MiB of 8: full of slabs, nothing evicted
            store.set("set", b"k%d" % i, 0, 0, bytes([i % 251]) * 20_000)
        a, b = store.items[b"k10"], store.items[b"k250"]
        RW = sandbox.PROT_READ | sandbox.PROT_WRITE
        with store.slabs.access(False, a.addr, a.nbytes):
            assert sandbox.access(a.addr) == RW and sandbox.access(a.addr + a.nbytes - 1) == RW
            assert sandbox.access(b.addr) == 0  # another item's pages stay closed
            entered, leave = threading.Event(), threading.Event()

            def other() -> None:
                with store.slabs.access(True, a.addr, 8):
                    entered.set()
                    expect(leave, "the main thread's checks")

            t = threading.Thread(target=other)
            t.start()
            expect(entered, "the other thread's access window")
        assert sandbox.access(a.addr) == RW  # the other thread still holds the first page
        assert sandbox.access(a.addr + a.nbytes - 1) == 0
        leave.set()
        t.join()
        assert sandbox.access(a.addr) == 0
        assert store.get(b"k10")[1] == bytes([10]) * 20_000
    finally:
        store.close()


def test_unknown_protection_mode_is_refused(fallback):
    with pytest.raises(ValueError, match="unknown protection"):
        slabs_mod.Slabs("sometimes", 1 << 20, 4096)


def _stray(protect: str):
    store = Store(protect, limit=2 << 20, max_item=4096)
    victim = b"precious-value-" * 4
    store.set("set", b"victim", 0, 0, victim)
    child = ForkedServer(make_server(store, debug_stray_write=True))
    try:
        r = Raw(child.server)
        r.s.settimeout(30)
        try:
            r.ask(b"debug_stray_write 4200\r\n")  # 104 bytes past the 4 KiB scratch page
            r.send(b"get victim\r\n")
            head = r.line()
            value = r.line() if head.startswith(b"VALUE") else None
            return value, None, victim
        except (ConnectionError, OSError):
            return None, child.death(), victim
        finally:
            r.close()
    finally:
        child.stop()


def test_stray_write_corrupts_items_without_protection(fallback):
    value, death, victim = _stray("none")
    assert death is None
    assert value is not None and value != victim and value.startswith(b"X")


@pytest.mark.parametrize("backend", ["mprotect", pytest.param("pku", marks=pytest.mark.pku)])
@pytest.mark.parametrize("protect", ["mpk", "mprotect"])
def test_stray_write_faults_with_protection(backend, protect):
    _reset()
    sandbox.init(backend=backend)
    try:
        value, death, _ = _stray(protect)
        assert value is None, "the stray write went through"
        assert death.signal == signal.SIGSEGV, death
        code = SEGV_PKUERR if backend == "pku" and protect == "mpk" else SEGV_ACCERR
        assert death.fault.code == code, death
    finally:
        _reset()


def test_a_class_without_memory_takes_a_slab_from_another(fallback):
    store = Store("mpk", limit=2 << 20, max_item=64 << 10)  # room for two slabs
    try:
        for i in range(100):
            store.set("set", b"s%d" % i, 0, 0, b"small")
        for i in range(20):
            assert store.set("set", b"m%d" % i, 0, 0, b"m" * 30000) == "STORED"
        assert store.set("set", b"big", 0, 0, b"B" * 60000) == "STORED"  # a third class, no memory left
        assert store.get(b"big")[1] == b"B" * 60000
        stats = dict(store.stat_lines())
        assert stats["slabs_moved"] == 1 and stats["evictions"] > 0
        survivors = [store.get(b"m%d" % i) for i in range(20)] + [store.get(b"s%d" % i) for i in range(100)]
        for hit in survivors:  # whatever was not evicted is intact
            assert hit is None or hit[1] in (b"small", b"m" * 30000)
    finally:
        store.close()


@pytest.mark.parametrize("protect", ["none", "mprotect", "mpk"])
def test_mpk_kvstore_command_serves_pymemcache(protect):
    port = free_port()
    proc, line = spawn_cli("kvstore", "--protect", protect, "--port", str(port), ready="kvstore on")
    try:
        assert f"127.0.0.1:{port}" in line and f"protect={protect}" in line
        c = Client(("127.0.0.1", port), default_noreply=False, timeout=30)
        assert c.set("cli", b"works") and c.get("cli") == b"works"
        assert c.incr("n", 1) is None and c.add("n", b"41") and c.incr("n", 1) == 42
        assert c.stats()[b"protect"] == protect.encode()
        c.quit()
    finally:
        proc.terminate()
        proc.wait(30)


# --- memcached's behaviour where clients depend on it (issue 15) ---------------------


def test_a_multi_get_of_10000_keys_is_served(server):
    c = client(server)
    keys = [f"key:{i:06d}" for i in range(10_000)]
    c.set_many({k: b"v" for k in keys[::100]}, noreply=False)
    r = Raw(server)
    r.send(b"get " + " ".join(keys).encode() + b"\r\n")
    got = []
    while (line := r.line()) != b"END":
        got.append(line.split()[1].decode())
        assert r.line() == b"v"
    assert got == keys[::100]


def test_a_set_too_large_removes_the_old_value(server):
    c = client(server)
    assert c.set("k", b"old", noreply=False)
    r = Raw(server)
    big = 65 << 10
    assert r.ask(b"set k 0 0 %d\r\n" % big + b"z" * big + b"\r\n") == b"SERVER_ERROR object too large for cache"
    assert c.get("k") is None  # memcached deletes it: a reader must not see the value the writer replaced


def test_noreply_silences_errors_too(server):
    """A pipelining client sends noreply commands and reads nothing back: an
    error reply would be taken as the answer to its next command."""
    r = Raw(server)
    r.send(
        b"delete k 10 noreply\r\n"  # bad format
        b"bogus a b noreply\r\n"  # unknown command
        b"incr k x noreply\r\n"  # bad delta
        b"set k 0 0 2 noreply\r\nok\r\n"
        b"get k\r\n"
    )
    lines = [r.line() for _ in range(3)]
    assert lines == [b"VALUE k 0 2", b"ok", b"END"], lines


def test_a_key_named_noreply_can_be_read(server):
    c = client(server)
    assert c.set("noreply", b"yes", noreply=False)
    r = Raw(server)
    assert r.ask(b"get noreply\r\n") == b"VALUE noreply 0 3"


def test_flush_all_takes_negative_and_absolute_times(server):
    c = client(server)
    r = Raw(server)
    assert c.set("a", b"1", noreply=False)
    assert r.ask(b"flush_all -1\r\n") == b"OK" and c.get("a") is None  # negative: now
    assert c.set("b", b"2", noreply=False)
    assert r.ask(b"flush_all %d\r\n" % (time.time() - 100)) == b"OK" and c.get("b") is None  # a past Unix time: now
    assert c.set("c", b"3", noreply=False)
    assert r.ask(b"flush_all %d\r\n" % (time.time() + 2)) == b"OK"  # a Unix time 2 s ahead
    assert c.get("c") == b"3"
    time.sleep(2.5)
    assert c.get("c") is None


def test_the_binary_protocol_in_every_protection_mode(server):
    """A binary SET and GET (memcached's binary protocol, as libmemcached
    speaks it) go through the same protected slabs as the text protocol:
    answered at once, opaque echoed, and the connection stays usable for
    text commands.  (The protocol's rules: tests/test_kvstore_protocols.py.)"""
    r = Raw(server)
    for opaque in (b"\x00\x00\x00\x07", b"\x01\x02\x03\x04"):
        key, value, extras = b"k", b"v" * 3000, (9).to_bytes(4, "big") + bytes(4)
        body = extras + key + value
        head = bytes([0x80, 0x01, 0, len(key), len(extras), 0, 0, 0]) + len(body).to_bytes(4, "big") + opaque
        r.send(head + bytes(8) + body)  # SET k
        r.send(bytes([0x80, 0x00, 0, 1, 0, 0, 0, 0]) + (1).to_bytes(4, "big") + opaque + bytes(8) + key)  # GET k
        for want_body in (b"", (9).to_bytes(4, "big") + value):
            got = b""
            while len(got) < 24:
                got += r.s.recv(24 - len(got))
            assert got[0] == 0x81 and got[6:8] == b"\x00\x00" and got[12:16] == opaque
            n = int.from_bytes(got[8:12], "big")
            data = b""
            while len(data) < n:
                data += r.s.recv(n - len(data))
            assert data == want_body
    assert r.ask(b"version\r\n").startswith(b"VERSION")


def _stats(r: Raw, sub: bytes = b"") -> dict[str, str]:
    r.send(b"stats" + (b" " + sub if sub else b"") + b"\r\n")
    out = {}
    while (line := r.line()) != b"END":
        _, k, v = line.decode().split(" ", 2)
        out[k] = v
    return out


def test_stats_general_fields_and_sub_commands(server):
    c = client(server)
    c.set("a", b"x" * 500, noreply=False)
    r = Raw(server)
    general = _stats(r)
    for field in ("pid", "uptime", "time", "version", "curr_connections", "total_connections", "bytes_read",
                  "bytes_written", "curr_items", "total_items", "bytes", "limit_maxbytes", "threads"):  # fmt: skip
        assert field in general, field
    assert int(general["curr_connections"]) >= 2 and int(general["bytes_read"]) > 500
    assert _stats(r, b"settings")["item_size_max"] == str(64 << 10)
    items = _stats(r, b"items")
    assert any(k.endswith(":number") and v == "1" for k, v in items.items()), items
    slabs = _stats(r, b"slabs")
    assert int(slabs["active_slabs"]) >= 1 and int(slabs["total_malloced"]) >= 1 << 20
    assert r.ask(b"stats reset\r\n") == b"RESET"
    assert _stats(r)["cmd_set"] == "0" and c.get("a") == b"x" * 500  # counters reset, items kept
    assert r.ask(b"stats nonsense\r\n") == b"ERROR"
    assert r.ask(b"verbosity 1\r\n") == b"OK"
    assert r.ask(b"cache_memlimit 100\r\n") == b"OK"
    assert r.ask(b"shutdown\r\n") == b"ERROR: shutdown not enabled"  # as memcached without -A
    assert r.ask(b"version\r\n").startswith(b"VERSION")


def test_connections_past_the_cap_are_refused(fallback):
    store = Store("none", limit=2 << 20, max_item=4096)
    srv, _ = serve_in_thread(store, max_connections=3)
    try:
        held = [Raw(srv) for _ in range(3)]
        for h in held:
            assert h.ask(b"version\r\n").startswith(b"VERSION")
        extra = Raw(srv)
        assert extra.line() == b"ERROR Too many open connections"
        with pytest.raises(ConnectionError):
            extra.line()  # and closed
        held.pop().close()
        time.sleep(0.2)
        again = Raw(srv)
        assert again.ask(b"version\r\n").startswith(b"VERSION")
        for h in [*held, extra, again]:
            h.close()
    finally:
        srv.shutdown()
        srv.server_close()
        store.close()


def test_shutdown_when_enabled_stops_the_server(fallback):
    store = Store("none", limit=2 << 20, max_item=4096)
    srv, thread = serve_in_thread(store, enable_shutdown=True)
    try:
        r = Raw(srv)
        r.send(b"shutdown\r\n")
        thread.join(10)
        assert not thread.is_alive()
        r.close()
    finally:
        srv.server_close()
        store.close()


def test_gat_and_gats_get_and_touch(server):
    c = client(server)
    assert c.set("g", b"val", expire=1, noreply=False)
    r = Raw(server)
    assert r.ask(b"gat 100 g missing\r\n") == b"VALUE g 0 3"  # new exptime: 100 s
    assert r.line() == b"val" and r.line() == b"END"
    head = r.ask(b"gats 100 g\r\n").split()
    assert head[:4] == [b"VALUE", b"g", b"0", b"3"] and int(head[4]) > 0  # with its cas
    assert r.line() == b"val" and r.line() == b"END"
    time.sleep(1.5)
    assert c.get("g") == b"val"  # the touch outlived the original 1 s
    assert r.ask(b"gat 1\r\n") == b"ERROR"  # an exptime and no key


def test_a_pool_of_three_keeps_serving_when_one_dies():
    """Scaling past one process the way memcached users do: pymemcache's
    HashClient spreads keys over three ``mpk kvstore`` processes (rendezvous
    hashing); one is killed; the client marks it dead, the keys of the other
    two still read back, and new writes land on the survivors."""
    from pymemcache.client.hash import HashClient

    ports = [free_port() for _ in range(3)]
    procs = [spawn_cli("kvstore", "--protect", "mpk", "--port", str(p), ready="kvstore on")[0] for p in ports]
    try:
        pool = HashClient(
            [("127.0.0.1", p) for p in ports],
            default_noreply=False,
            timeout=5,
            connect_timeout=2,
            retry_attempts=1,
            retry_timeout=0,
            dead_timeout=600,
            ignore_exc=True,
        )
        keys = [f"user:{i}" for i in range(300)]
        for k in keys:
            assert pool.set(k, k.encode())
        home = {k: pool.clients[pool.hasher.get_node(k)].server for k in keys}
        counts = [sum(1 for h in home.values() if h == ("127.0.0.1", p)) for p in ports]
        assert all(n > 30 for n in counts), counts  # spread over all three
        procs[1].kill()
        procs[1].wait(30)
        victim = ("127.0.0.1", ports[1])
        for k in keys:  # the dead node's keys miss (its first failure takes it out of the ring) ...
            assert pool.get(k) == (None if home[k] == victim else k.encode()), k  # ... the others do not
        for k in keys:  # the dead node's keys are written again, onto the survivors
            assert pool.set(k, b"again")
        assert all(pool.get(k) == b"again" for k in keys)
    finally:
        for p in procs:
            p.kill()
            p.wait(30)


def test_mpk_mode_on_the_fallback_opens_only_the_granules_of_the_item(fallback):
    """Without hardware keys a domain is an mprotect of its vkey's pages,
    at a cost per page (a 1 MiB slab's: ~5x a 16 KiB granule's): item memory
    is a vkey per granule, and an access opens the granules its bytes lie
    in -- two for an item across a boundary -- and nothing else."""
    from libmpk.apps.kvstore.slabs import GRANULE

    store = Store("mpk", limit=8 << 20, max_item=64 << 10)
    RW = sandbox.PROT_READ | sandbox.PROT_WRITE
    try:
        for i in range(300):
            store.set("set", b"k%d" % i, 0, 0, bytes([i % 251]) * 20_000)
        origin = store.slabs._origin
        crossing = next(
            it
            for it in store.items.values()
            if it.addr - origin >= GRANULE  # (a neighbour on each side)
            and (it.addr - origin) // GRANULE != (it.addr - origin + it.nbytes - 1) // GRANULE
        )
        lo = origin + (crossing.addr - origin) // GRANULE * GRANULE
        hi = origin + (crossing.addr - origin + crossing.nbytes - 1) // GRANULE * GRANULE + GRANULE
        with store.slabs.access(False, crossing.addr, crossing.nbytes):
            assert sandbox.access(crossing.addr) == sandbox.PROT_READ
            assert sandbox.access(crossing.addr + crossing.nbytes - 1) == sandbox.PROT_READ
            assert sandbox.access(lo - 1) == 0 and sandbox.access(hi) == 0  # the neighbours stay closed
        assert sandbox.access(crossing.addr) == 0 and sandbox.access(crossing.addr + crossing.nbytes - 1) == 0
        with store.slabs.access(True, crossing.addr, 8):
            assert sandbox.access(crossing.addr) == RW
        key = next(k for k, it in store.items.items() if it is crossing)
        assert store.get(key)[1] == bytes([int(key[1:]) % 251]) * 20_000
    finally:
        store.close()


@pytest.mark.parametrize("protect", ["mprotect", "mpk"])
def test_an_access_reprotects_one_kernel_mapping_in_place(fallback, protect):
    """Neighbouring pages with equal flags are one kernel mapping, and an
    mprotect inside it splits it in three and merges it back -- in the
    server ~1.2x the cost of the protected modes.  The unit an access
    re-protects (mprotect mode: the item's page; mpk on the fallback: its
    granule) is a mapping of its own, before, during and after the access."""
    from libmpk.apps.kvstore.slabs import GRANULE, SLAB
    from libmpk.sandbox.hw import maps, syscalls

    unit = syscalls.PAGE_SIZE if protect == "mprotect" else GRANULE
    store = Store(protect, limit=8 << 20, max_item=4096)
    try:
        for i in range(200):
            store.set("set", b"k%d" % i, 0, 0, b"v" * 900)
        grid = store.slabs._origin if protect == "mpk" else 0  # (granules count from the first slab)
        it = next(it for it in store.items.values() if 0 < (it.addr - grid) % unit <= unit - it.nbytes)
        slab = it.addr - (it.addr - store.slabs.base) % SLAB
        start = it.addr - (it.addr - grid) % unit

        def layout():
            return [(m.start, m.end) for m in maps.mappings() if slab <= m.start < slab + SLAB]

        before = layout()
        assert (start, start + unit) in before and len(before) == SLAB // unit
        with store.slabs.access(False, it.addr, it.nbytes):
            assert layout() == before
            assert maps.mapping_of(it.addr).prot & sandbox.PROT_READ
        assert layout() == before and maps.mapping_of(it.addr).prot == 0
        assert store.get(b"k%d" % next(i for i in range(200) if store.items[b"k%d" % i] is it))[1] == b"v" * 900
    finally:
        store.close()
