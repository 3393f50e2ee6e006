"""What a process-wide ``sandbox.mprotect`` costs under PKU, counted exactly:
system calls (strace) made by the caller for one PKRU update of a cached vkey
(and, last, what a JIT write window and an inline-cache patch cost: none).

Alone, the caller edits its own PKRU and learns from one fstat that nobody
else needs telling: at most 2 system calls, no signal.  With n other threads:
exactly one signal to each of them, none to itself, at most one futex sleep
per answer, and a constant rest (the listing, twice: native getdents64, not
a Python call per thread).  Counts, not times, so
they hold on a loaded machine and in the emulated guest alike.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.pku

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import os, sys, threading
from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE
sandbox.init(backend="pku", evict_rate=0)
stop = threading.Event()
others = [threading.Thread(target=stop.wait) for _ in range(int(sys.argv[1]))]
for t in others:
    t.start()
sandbox.mmap(1, 4096, PROT_READ | PROT_WRITE)
with sandbox.domain(1, PROT_READ):  # loads vkey 1 into a hardware key
    pass
for _ in range(2):  # warm: handler installed, everything compiled
    sandbox.mprotect(1, PROT_READ)
    sandbox.mprotect(1, PROT_READ | PROT_WRITE)
assert sandbox.stats()["cached"].get(1), sandbox.stats()
os.write(1, b"<<")
sandbox.mprotect(1, PROT_READ)
os.write(1, b">>")
stop.set()
"""


WINDOWS = """
from libmpk import sandbox
from libmpk.jit.codecache import CodeCache
sandbox.init(backend="pku")
cache = CodeCache("pku")
for _ in range(3):  # warm: the rodata vkey keyed, everything compiled
    with cache.writable():
        pass
import os
os.write(1, b"<<")
for _ in range(100):
    with cache.writable():
        pass
os.write(1, b">>")
"""


PATCHES = """
import ctypes, os
from libmpk import sandbox
from libmpk.jit.codecache import CodeCache
sandbox.init(backend="pku")
cache = CodeCache("pku")
code = b"\\x48\\xb8" + bytes(8) + b"\\xc3"  # movabs rax, imm64; ret
p = cache.place(len(code))
h = cache.commit(p, code)
fn = ctypes.CFUNCTYPE(ctypes.c_int64)(p.code)
for v in range(3):  # warm
    cache.patch(h, p.code + 2, (v + 1).to_bytes(8, "little"))
os.write(1, b"<<")
for v in range(100):
    cache.patch(h, p.code + 2, (v + 1000).to_bytes(8, "little"))
os.write(1, b">>")
assert fn() == 1099 and cache.stats.patches == 103, (fn(), cache.stats)
"""


FIRST_REQUEST = """
import json, sys, threading
from numba.core.dispatcher import Dispatcher
from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE
from libmpk.sandbox.hw import sync

def loaded():
    return {k: len(v.overloads) for k, v in vars(sync).items() if isinstance(v, Dispatcher)}

sandbox.init(backend="pku", evict_rate=0)
sandbox.mmap(1, 4096, PROT_READ | PROT_WRITE)
with sandbox.domain(1, PROT_READ):  # loads vkey 1 into a hardware key
    pass
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
before = loaded()
sandbox.mprotect(1, PROT_READ)  # the first request that must reach another thread
after = loaded()
stop.set()
print(json.dumps({k: (before.get(k), n) for k, n in after.items() if n != before.get(k)}))
"""


def traced_mprotect(fresh, others: int) -> tuple[int, list[str]]:
    """The caller's system calls between the markers in an mprotect run."""
    return traced(fresh, SCRIPT, str(others))


def traced(fresh, script: str, *args: str) -> tuple[int, list[str]]:
    """The caller's system calls between the markers, as strace names them
    (a fresh process, tests/fresh.py, traced from its start)."""
    p = fresh.run(script, *args, traced=True)
    assert p.returncode == 0, p.stderr[-3000:]
    lines = p.trace
    start = next(i for i, line in enumerate(lines) if 'write(1, "<<"' in line)
    pid = lines[start].split()[0]
    calls = []
    for line in lines[start + 1 :]:
        if 'write(1, ">>"' in line:
            break
        m = re.match(rf"{pid}\s+(?:<\.\.\. )?([a-z_0-9]+)[( ]", line)
        if m and "resumed>" not in line:
            calls.append(m.group(1))
    return int(pid), calls


def test_alone_at_most_two_syscalls_and_no_signal(fresh):
    _, calls = traced_mprotect(fresh, 0)
    assert len(calls) <= 2, calls
    assert "rt_tgsigqueueinfo" not in calls and "rt_sigreturn" not in calls, calls


@pytest.mark.parametrize("others", [1, 3])
def test_one_signal_per_other_thread(others, fresh):
    pid, calls = traced_mprotect(fresh, others)
    assert calls.count("rt_tgsigqueueinfo") == others, calls
    assert "rt_sigreturn" not in calls, calls  # the caller never signals itself
    assert calls.count("futex") <= others, calls
    rest = [c for c in calls if c not in ("rt_tgsigqueueinfo", "futex")]
    assert len(rest) <= 10, calls  # listing (lseek + getdents64, twice), fstat, getpid, gettid, sigaction


def test_a_jit_write_window_makes_no_system_call(fresh):
    """``with cache.writable()`` under PKU is one hit domain on the rodata
    vkey: a WRPKRU each way (tests/test_switch_counts.py), and nothing for
    the kernel -- 100 windows, 0 system calls."""
    _, calls = traced(fresh, WINDOWS)
    assert calls == [], calls


def test_an_inline_cache_patch_makes_no_system_call(fresh):
    """``CodeCache.patch`` under PKU: the scan, then this thread's code
    window (a WRPKRU each way) around the store -- 100 patches, 0 system calls."""
    _, calls = traced(fresh, PATCHES)
    assert calls == [], calls


def test_the_first_request_to_other_threads_loads_nothing(fresh):
    """The natives that list, signal and wait for other threads run under
    the library lock, first when a second thread has appeared: loading them
    there (a compile on a cold cache: seconds, minutes in the emulated
    guest) held every other thread's slow path -- and in a forked child it
    outlasted a test's 30 s handshake.  A PKU session loads them at init."""
    p = fresh.run(FIRST_REQUEST)  # (a fresh process: nothing loaded before the script)
    assert p.returncode == 0, p.stderr[-3000:]
    assert json.loads(p.stdout.splitlines()[-1]) == {}  # {native: (overloads before, after)}
