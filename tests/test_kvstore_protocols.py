"""kvstore's other two protocols -- memcached's meta commands and its binary
protocol -- byte for byte on raw sockets, each rule checked against what
memcached 1.6 answers, plus the text-protocol details real clients trip on
(decr padding, NUL in a line, per-prefix stats)."""

from __future__ import annotations

import base64
import socket
import struct

import pytest

from libmpk import sandbox
from libmpk.apps.kvstore import binary as b
from libmpk.apps.kvstore.server import serve_in_thread
from libmpk.apps.kvstore.store import Store

from .conftest import _reset
from .test_kvstore import Raw


@pytest.fixture(scope="module")
def srv():
    _reset()
    sandbox.init()
    store = Store("mpk", limit=8 << 20, max_item=64 << 10)
    server, _ = serve_in_thread(store)
    yield server
    server.shutdown()
    server.server_close()
    store.close()
    _reset()


@pytest.fixture
def raw(srv):
    r = Raw(srv)
    r.ask(b"flush_all\r\n")
    yield r
    r.close()


def value(raw: Raw, head: bytes) -> tuple[bytes, bytes]:
    line = raw.ask(head)
    if not line.startswith(b"VA "):
        return line, b""
    return line, raw.line()


# --- meta commands ----------------------------------------------------------------------


def test_meta_set_get_flags_in_the_order_asked(raw):
    assert raw.ask(b"ms k 3 F7 T100 c\r\nabc\r\n").startswith(b"HD c")
    line, data = value(raw, b"mg k s v f t k Oxyz c\r\n")
    assert data == b"abc"
    words = line.split()
    assert words[:2] == [b"VA", b"3"]
    assert [w[:1] for w in words[2:]] == [b"s", b"f", b"t", b"k", b"O", b"c"]
    assert words[2:5] == [b"s3", b"f7", words[4]] and 95 <= int(words[4][1:]) <= 100
    assert words[5:7] == [b"kk", b"Oxyz"]
    assert raw.ask(b"mg k\r\n") == b"HD"  # a hit without v: no data block
    assert raw.ask(b"mg nope\r\n") == b"EN"
    assert raw.ask(b"mg nope q\r\nmn\r\n") == b"MN"  # q hides the miss only


def test_meta_hit_before_and_last_access_are_read_before_the_bump(raw):
    raw.ask(b"ms h 1\r\nx\r\n")
    assert raw.ask(b"mg h h l\r\n") == b"HD h0 l0"
    assert raw.ask(b"mg h h u\r\n") == b"HD h1"


def test_meta_errors_are_named_and_always_sent(raw):
    assert raw.ask(b"mg k v v\r\n") == b"CLIENT_ERROR duplicate flag"
    assert raw.ask(b"mg k !\r\n") == b"CLIENT_ERROR invalid flag"
    assert raw.ask(b"mg k q Y\r\n") == b"CLIENT_ERROR invalid flag"  # q does not hide errors
    assert raw.ask(b"mg k O" + b"x" * 33 + b"\r\n") == b"CLIENT_ERROR opaque token too long"
    assert raw.ask(b"mg " + b"k" * 251 + b"\r\n") == b"CLIENT_ERROR bad command line format"
    assert raw.ask(b"mg k " + b" ".join([b"O1"] * 20) + b"\r\n").startswith(b"CLIENT_ERROR")
    # a bad ms swallows its data, so the next command is read as one
    assert raw.ask(b"ms k 2 MZ\r\nzz\r\n") == b"CLIENT_ERROR invalid mode for ms M token"
    assert raw.ask(b"ms k 2 Tx\r\nzz\r\n") == b"CLIENT_ERROR bad token in command line format"
    assert raw.ask(b"ms k 2\r\nzzz\r\n") == b"CLIENT_ERROR bad data chunk"
    assert raw.line() == b"ERROR"  # the "\n" left over is an empty command, as in memcached
    assert raw.ask(b"md k I I\r\n") == b"CLIENT_ERROR invalid or duplicate flag"
    assert raw.ask(b"ma k MX\r\n") == b"CLIENT_ERROR invalid mode for ma M token"
    assert raw.ask(b"mn\r\n") == b"MN"


def test_meta_set_modes_and_cas(raw):
    assert raw.ask(b"ms m 1 ME\r\na\r\n") == b"HD"  # add
    assert raw.ask(b"ms m 1 ME\r\nb\r\n") == b"NS"
    assert raw.ask(b"ms m 1 MA\r\nc\r\n") == b"HD"  # append
    assert raw.ask(b"ms m 1 MP\r\nd\r\n") == b"HD"  # prepend
    assert value(raw, b"mg m v\r\n")[1] == b"dac"
    assert raw.ask(b"ms none 1 MR\r\nx\r\n") == b"NS"  # replace of a missing key
    cas = int(raw.ask(b"mg m c\r\n").split()[1][1:])
    assert raw.ask(b"ms m 1 C%d\r\nz\r\n" % (cas + 1)) == b"EX"
    assert raw.ask(b"ms m 1 C0\r\nz\r\n") == b"EX"  # an explicit C0 matches nothing
    assert raw.ask(b"ms none 1 C5\r\nz\r\n") == b"NF"
    assert raw.ask(b"ms m 1 C%d q\r\nz\r\nmn\r\n" % cas) == b"MN"  # stored quietly
    assert value(raw, b"mg m v\r\n")[1] == b"z"
    assert raw.ask(b"ms m S1 T0\r\nz\r\n") == b"CLIENT_ERROR bad command line format"


def test_meta_delete_and_stale_while_revalidate(raw):
    raw.ask(b"ms s 3 T100\r\nold\r\n")
    assert raw.ask(b"md s I T30\r\n") == b"HD"
    line, data = value(raw, b"mg s v t\r\n")
    assert data == b"old" and b" X" in line and line.endswith(b"W")  # stale: the first reader wins
    assert 0 < int(line.split()[2][1:]) <= 30
    line, _ = value(raw, b"mg s v\r\n")
    assert b"Z" in line and b"W" not in line  # ... and only the first
    cas = int(raw.ask(b"mg s c\r\n").split()[1][1:])
    assert raw.ask(b"ms s 3 I C%d\r\nnew\r\n" % (cas - 1)) == b"HD"  # an older cas with I: stored, still stale
    assert b"X" in raw.ask(b"mg s\r\n")
    assert raw.ask(b"ms s 3 T100 C%d\r\nnew\r\n" % int(raw.ask(b"mg s c\r\n").split()[1][1:])) == b"HD"
    assert raw.ask(b"mg s\r\n") == b"HD"  # recached: fresh again
    assert raw.ask(b"md s C1\r\n") == b"EX"
    assert raw.ask(b"md s q\r\nmn\r\n") == b"MN"
    assert raw.ask(b"md s Oab k\r\n") == b"NF Oab ks"


def test_meta_vivify_on_miss_and_recache_before_expiry(raw):
    assert raw.ask(b"mg v N30 s t\r\n").split()[::3] == [b"HD", b"W"]  # created empty, the caller won
    assert raw.ask(b"mg v N30 s\r\n") == b"HD s0 Z"
    raw.ask(b"ms r 1 T10\r\nr\r\n")
    assert raw.ask(b"mg r R30\r\n") == b"HD W"  # 10 s left < 30: recache early
    assert raw.ask(b"mg r R30\r\n") == b"HD Z"


def test_meta_arithmetic(raw):
    assert raw.ask(b"ma n\r\n") == b"NF"
    assert value(raw, b"ma n N0 J10 v\r\n") == (b"VA 2", b"10")
    assert value(raw, b"ma n D5 v\r\n") == (b"VA 2", b"15")
    assert value(raw, b"ma n MD D100 v\r\n") == (b"VA 1", b"0")
    assert raw.ask(b"ma n q\r\nmn\r\n") == b"MN"
    assert raw.ask(b"ma n C1\r\n") == b"EX"
    raw.ask(b"ms t 1\r\nx\r\n")
    assert raw.ask(b"ma t\r\n") == b"CLIENT_ERROR cannot increment or decrement non-numeric value"


def test_meta_base64_keys(raw):
    key = bytes(range(1, 20))
    enc = base64.b64encode(key)
    assert raw.ask(b"ms %s 2 b\r\nhi\r\n" % enc) == b"HD"
    assert raw.ask(b"mg %s b k v\r\n" % enc) == b"VA 2 k%s b" % enc
    assert raw.line() == b"hi"
    assert raw.ask(b"mg !!! b\r\n") == b"CLIENT_ERROR error decoding key"
    assert raw.ask(b"me %s b\r\n" % enc).startswith(b"ME %s exp=-1 " % enc)
    assert raw.ask(b"me nope\r\n") == b"EN"


# --- the text protocol's fine print ------------------------------------------------------


def test_decr_pads_in_place_and_incr_grows(raw):
    raw.ask(b"set d 0 0 3\r\n100\r\n")
    assert raw.ask(b"decr d 91\r\n") == b"9"
    assert raw.ask(b"get d\r\n") == b"VALUE d 0 3" and raw.line() == b"9  " and raw.line() == b"END"
    assert raw.ask(b"incr d 991\r\n") == b"1000"  # longer: a new item
    assert raw.ask(b"get d\r\n") == b"VALUE d 0 4" and raw.line() == b"1000" and raw.line() == b"END"


def test_a_nul_ends_the_command_line_as_in_memcached(raw):
    assert raw.ask(b"set \x00\x01 0 0 1\r\n") == b"ERROR"  # the line is read as "set "
    assert raw.ask(b"x\r\n") == b"ERROR"


def test_per_prefix_detail_stats(raw):
    raw.ask(b"stats reset\r\n")
    assert raw.ask(b"stats detail on\r\n") == b"OK"
    raw.ask(b"set foo:1 0 0 1\r\nx\r\n")
    raw.send(b"get foo:1 foo:2\r\n")
    while raw.line() != b"END":
        pass
    raw.ask(b"delete foo:3\r\n")
    assert raw.ask(b"stats detail dump\r\n") == b"PREFIX foo get 2 hit 1 set 1 del 1"
    assert raw.line() == b"END"
    assert raw.ask(b"stats detail off\r\n") == b"OK"
    assert raw.ask(b"stats detail bogus\r\n") == b"CLIENT_ERROR usage: stats detail on|off|dump"


# --- binary protocol --------------------------------------------------------------------


class Bin:
    def __init__(self, srv) -> None:
        self.s = socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=30)

    def send(self, op, key=b"", extras=b"", value=b"", cas=0, opaque=0xABCD):
        body = extras + key + value
        self.s.sendall(b.HEADER.pack(0x80, op, len(key), len(extras), 0, 0, len(body), opaque, cas) + body)

    def recv(self):
        head = self._exact(24)
        magic, op, keylen, extlen, _, status, bodylen, opaque, cas = b.HEADER.unpack(head)
        body = self._exact(bodylen)
        assert magic == 0x81
        return {
            "op": op,
            "status": status,
            "opaque": opaque,
            "cas": cas,
            "extras": body[:extlen],
            "key": body[extlen : extlen + keylen],
            "value": body[extlen + keylen :],
        }

    def ask(self, *a, **k):
        self.send(*a, **k)
        return self.recv()

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.s.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data


@pytest.fixture
def binc(srv, raw):
    c = Bin(srv)
    yield c
    c.s.close()


SET_EXTRAS = struct.pack(">II", 5, 0)


def test_binary_set_get_and_the_text_protocol_see_the_same_item(binc, raw):
    r = binc.ask(b.SET, b"k", SET_EXTRAS, b"hello")
    assert r["status"] == 0 and r["cas"] and r["opaque"] == 0xABCD
    g = binc.ask(b.GETK, b"k")
    want = (0, struct.pack(">I", 5), b"k", b"hello", r["cas"])
    assert (g["status"], g["extras"], g["key"], g["value"], g["cas"]) == want
    assert raw.ask(b"gets k\r\n") == b"VALUE k 5 5 %d" % r["cas"]
    miss = binc.ask(b.GET, b"nope")
    assert (miss["status"], miss["value"]) == (b.NOT_FOUND, b"Not found")


def test_binary_quiet_commands_answer_only_errors_and_hits(binc):
    binc.send(0x11, b"q", SET_EXTRAS, b"v")  # setq: stored silently
    binc.send(b.GETQ, b"missing")  # a quiet miss: nothing
    binc.send(0x12, b"q", SET_EXTRAS, b"v")  # addq of an existing key: an error, always sent
    binc.send(b.GETKQ, b"q")  # a quiet hit: answered
    binc.send(b.NOOP)
    answers = [binc.recv() for _ in range(3)]
    assert [(a["op"], a["status"]) for a in answers] == [(0x12, b.EXISTS), (b.GETKQ, 0), (b.NOOP, 0)]
    assert answers[1]["value"] == b"v"


def test_binary_cas_add_replace_append_delete(binc):
    cas = binc.ask(b.SET, b"c", SET_EXTRAS, b"1")["cas"]
    assert binc.ask(b.SET, b"c", SET_EXTRAS, b"2", cas=cas + 100)["status"] == b.EXISTS
    assert binc.ask(b.SET, b"none", SET_EXTRAS, b"2", cas=7)["status"] == b.NOT_FOUND
    assert binc.ask(b.ADD, b"c", SET_EXTRAS, b"2")["status"] == b.EXISTS
    assert binc.ask(b.REPLACE, b"none", SET_EXTRAS, b"2")["status"] == b.NOT_FOUND
    assert binc.ask(b.APPEND, b"c", value=b"9")["status"] == 0
    assert binc.ask(b.PREPEND, b"none", value=b"9")["status"] == b.NOT_STORED
    assert binc.ask(b.GET, b"c")["value"] == b"19"
    assert binc.ask(b.DELETE, b"c", cas=1)["status"] == b.EXISTS
    assert binc.ask(b.DELETE, b"c")["status"] == 0
    assert binc.ask(b.DELETE, b"c")["status"] == b.NOT_FOUND


def test_binary_incr_decr_create_and_wrap(binc):
    ext = struct.pack(">QQI", 5, 40, 0)
    r = binc.ask(b.INCR, b"n", ext)
    assert (r["status"], struct.unpack(">Q", r["value"])[0]) == (0, 40)  # created with the initial value
    assert struct.unpack(">Q", binc.ask(b.INCR, b"n", ext)["value"])[0] == 45
    assert struct.unpack(">Q", binc.ask(b.DECR, b"n", struct.pack(">QQI", 100, 0, 0))["value"])[0] == 0
    no_create = struct.pack(">QQI", 1, 0, 0xFFFFFFFF)
    assert binc.ask(b.INCR, b"absent", no_create)["status"] == b.NOT_FOUND
    binc.ask(b.SET, b"t", SET_EXTRAS, b"text")
    assert binc.ask(b.INCR, b"t", ext)["status"] == b.NON_NUMERIC


def test_binary_touch_gat_flush_version_stat(binc):
    binc.ask(b.SET, b"g", SET_EXTRAS, b"v")
    ttl = struct.pack(">I", 100)
    assert binc.ask(b.TOUCH, b"g", ttl)["value"] == b""
    assert binc.ask(b.GATK, b"g", ttl)["value"] == b"v"
    assert binc.ask(b.VERSION_OP)["value"]
    binc.send(b.STAT)
    names = []
    while (r := binc.recv())["key"]:
        names.append(r["key"])
    assert b"pid" in names and b"cmd_get" in names
    assert binc.ask(b.FLUSH)["status"] == 0
    assert binc.ask(b.GET, b"g")["status"] == b.NOT_FOUND


def test_binary_too_large_value_is_swallowed_and_removes_the_old_one(binc):
    binc.ask(b.SET, b"big", SET_EXTRAS, b"small")
    r = binc.ask(b.SET, b"big", SET_EXTRAS, b"x" * (65 << 10))
    assert (r["status"], r["value"]) == (b.TOO_LARGE, b"Too large.")
    assert binc.ask(b.GET, b"big")["status"] == b.NOT_FOUND
    assert binc.ask(b.NOOP)["status"] == 0  # the connection is still in step


def test_binary_malformed_requests_get_an_error_and_a_close(srv, raw):
    for op, key, extras in [(b.GET, b"k", b"\0" * 4), (b.SET, b"k", b""), (b.GET, b"x" * 300, b"")]:
        c = Bin(srv)
        r = c.ask(op, key, extras)
        assert (r["status"], r["value"]) == (b.INVALID, b"Invalid arguments")
        with pytest.raises(ConnectionError):
            c.ask(b.NOOP)
    c = Bin(srv)
    assert c.ask(0x5F)["status"] == b.UNKNOWN  # unknown opcode: answered, connection kept
    assert c.ask(b.NOOP)["status"] == 0
    c.s.sendall(b.HEADER.pack(0x80, b.GET, 10, 0, 0, 0, 4, 0, 0))  # key longer than the body
    assert c.recv()["status"] == b.UNKNOWN
    assert raw.ask(b"version\r\n").startswith(b"VERSION")  # the server is fine


def test_one_connection_may_mix_protocols(binc):
    binc.ask(b.SET, b"mix", SET_EXTRAS, b"both")
    binc.s.sendall(b"get mix\r\n")
    data = b""
    while not data.endswith(b"END\r\n"):
        data += binc.s.recv(4096)
    assert data == b"VALUE mix 5 4\r\nboth\r\nEND\r\n"
