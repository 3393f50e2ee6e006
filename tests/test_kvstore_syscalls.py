"""What a kvstore request costs the server in system calls, counted (strace):
under PKU, ``--protect mpk`` opens an item with a PKRU write, so a request
is what any server pays -- reading the request, writing the reply, waiting
for the next -- and no mprotect at all; ``--protect mprotect`` pays two
mprotects an item access.  Counts, not times: they hold on a loaded machine
and in the emulated guest alike.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.pku

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 200
SCRIPT = """
import os, socket, sys, threading
from libmpk import sandbox
from libmpk.apps.kvstore.server import serve_in_thread
from libmpk.apps.kvstore.store import Store
sandbox.init(backend="pku")
store = Store(sys.argv[1], limit=8 << 20)
srv, thread = serve_in_thread(store)
s = socket.create_connection(("127.0.0.1", srv.server_address[1]))
def ask(req, end):
    s.sendall(req)
    buf = b""
    while not buf.endswith(end):
        buf += s.recv(65536)
value = b"v" * 1000
for i in range(50):  # warm: everything compiled, the vkey cached
    ask(b"set k%d 0 0 1000\\r\\n" % i + value + b"\\r\\n", b"STORED\\r\\n")
    ask(b"get k%d\\r\\n" % i, b"END\\r\\n")
os.write(1, b"tid=%d\\n<<\\n" % thread.native_id)
for i in range(int(sys.argv[2]) // 2):
    ask(b"set k%d 0 0 1000\\r\\n" % i + value + b"\\r\\n", b"STORED\\r\\n")
    ask(b"get k%d\\r\\n" % i, b"END\\r\\n")
os.write(1, b">>\\n")
"""


def server_calls(fresh, protect: str) -> Counter:
    """The server thread's system calls between the markers, by name (a
    fresh process, tests/fresh.py, traced from its start)."""
    p = fresh.run(SCRIPT, protect, str(REQUESTS), traced=True)
    assert p.returncode == 0, p.stderr[-2000:]
    tid = re.search(r"tid=(\d+)", p.stdout).group(1)
    lines = p.trace
    start = next(i for i, x in enumerate(lines) if 'write(1, "tid=' in x)
    end = next(i for i, x in enumerate(lines) if 'write(1, ">>' in x)
    calls: Counter = Counter()
    for line in lines[start:end]:
        m = re.match(r"(\d+)\s+(?:<\.\.\. )?(\w+)", line)
        if m and m.group(1) == tid and "resumed>" not in line.split("(")[0] + " ":
            calls[m.group(2)] += 1
    return calls


PROTECTION = ("mprotect", "pkey_mprotect", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "tgkill")


def test_mpk_mode_makes_no_protection_syscall_per_request(fresh):
    calls = server_calls(fresh, "mpk")
    assert not any(calls[name] for name in PROTECTION), calls  # no page-table change, no PKRU sync
    # futex: CPython's GIL passing between this script's client and server
    # threads (under the guest's slow clock it shows up) -- not the server's
    io = sum(calls.values()) - calls["futex"]
    assert io <= 3 * REQUESTS + 10, calls  # wait, receive, send: nothing per item


def test_mprotect_mode_pays_two_mprotects_per_item(fresh):
    calls = server_calls(fresh, "mprotect")
    assert calls["mprotect"] >= 2 * REQUESTS, calls  # (a set also writes: open + close, at least)
