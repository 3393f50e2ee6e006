"""begin/end from users' own @njit code share state with the Python API."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numba import njit

from libmpk import sandbox
from libmpk.sandbox import PROT_READ, PROT_WRITE, nb
from libmpk.sandbox.forked import run_in_child

RW = PROT_READ | PROT_WRITE


@njit
def bump_all(buf, vkey):
    nb.begin(vkey, 3)
    for i in range(buf.size):
        buf[i] += 1
    nb.end(vkey)
    return buf.sum()


@njit
def open_only(vkey, prot):
    nb.begin(vkey, prot)


@njit
def close_only(vkey):
    nb.end(vkey)


def test_njit_domain_writes_read_only_vkey(sb):
    r = sb.mmap(30, 4096, PROT_READ)
    a = r.asarray(np.int64)
    assert bump_all(a, 30) == a.size
    assert bump_all(a, 30) == 2 * a.size
    out = run_in_child(lambda: a.__setitem__(0, 5))
    assert out.segv, out


def test_njit_and_python_share_one_domain_stack(sb):
    r = sb.mmap(31, 4096, PROT_READ)
    open_only(31, RW)  # opened in numba ...
    r.view()[0] = 1
    sb.end(31)  # ... closed from Python
    sb.begin(31, RW)
    close_only(31)
    with pytest.raises(sandbox.DomainError):
        close_only(31)
    out = run_in_child(lambda: r.view().__setitem__(0, 2))
    assert out.segv, out


def test_njit_errors_are_typed(sb):
    with pytest.raises(sandbox.VkeyError):
        open_only(999, RW)
    sb.mmap(32, 4096, PROT_READ)
    with pytest.raises(sandbox.ProtError):
        open_only(32, 64)


def test_numba_cache_digest_covers_every_source_of_the_package(tmp_path, monkeypatch):
    """Compiled functions inline code from other modules (the domain stack,
    the vkey map ...), so a change to any source file must drop the cache."""
    from libmpk.sandbox import _numba_cache

    (tmp_path / "hw").mkdir()
    (tmp_path / "switch.py").write_text("a = 1\n")
    (tmp_path / "hw" / "intrinsics.py").write_text("b = 1\n")
    (tmp_path / "domainstack.py").write_text("c = 1\n")
    monkeypatch.setattr(_numba_cache, "_ROOT", tmp_path)
    seen = {_numba_cache._digest()}
    for name in ("domainstack.py", "hw/intrinsics.py", "newmodule.py"):
        (tmp_path / name).write_text("changed = 2\n")
        seen.add(_numba_cache._digest())
    assert len(seen) == 4


def _natives():
    """Every cached numba native the sandbox package defines."""
    import importlib
    import pkgutil

    from numba.core.caching import NullCache

    import libmpk.sandbox as pkg

    found = {}
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        mod = importlib.import_module(info.name)
        for name, value in vars(mod).items():
            cache = getattr(value, "_cache", None)
            if cache is not None and not isinstance(cache, NullCache):
                found[f"{info.name}.{name}"] = value
    return found


def test_every_cached_native_loads_without_numbas_context_refresh():
    """numba's own loader imports and installs all its registries before the
    first load (~100 ms of the JS compiler's load); the library's natives load
    through _numba_cache.LoadCache instead.  One declared with numba's own
    decorator would bring the cost back silently."""
    from numba.core.caching import FunctionCache

    from libmpk.sandbox import _numba_cache

    natives = _natives()
    assert len(natives) >= 30, sorted(natives)  # (the switch, the arena, the stack, sync, threads, faults, nb)
    lean = _numba_cache.load_cache_class()
    wrong = {n for n, f in natives.items() if not isinstance(f._cache, lean)}
    assert not wrong, sorted(wrong)
    assert issubclass(lean, FunctionCache)  # (same files, same index: numba's cache, loaded leaner)


_FRESH = """
import sys
import numpy as np
from numba import njit
from libmpk import sandbox as sb
from libmpk.sandbox import nb
sb.init()
r = sb.mmap(40, 4096, sb.PROT_READ)
sb.begin(40, sb.PROT_READ | sb.PROT_WRITE)
r.view()[0] = 7
sb.end(40)
registries = sorted(m for m in ("numba.typed.typeddict", "numba.np.random.generator_core",
                                "numba.cpython.cmathimpl") if m in sys.modules)
print("registries", registries)

@njit
def bump(buf, vkey):
    nb.begin(vkey, 3)
    buf[1] += buf[0]
    nb.end(vkey)
    return buf[1]

a = r.asarray(np.int64)
print("bumped", bump(a, 40), bump(a, 40))
"""


def test_a_fresh_process_loads_the_natives_leanly_and_still_compiles_users_njit():
    """In a fresh process (warm disk cache): the sandbox's natives load and
    run without numba's registries, and a user's ``@njit`` calling nb.begin
    -- a real compilation, which refreshes numba's context itself --
    compiles and runs after them."""
    import subprocess
    import sys

    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", _FRESH], capture_output=True, text=True, timeout=600
    )
    out = run()
    if "registries []" not in out.stdout:
        out = run()  # (the first run may have compiled a cold cache: a compile refreshes)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "registries []" in out.stdout, out.stdout
    assert "bumped 7 14" in out.stdout, out.stdout


_NRT = (
    """
import sys
from numba.core.runtime import nrtdynmod
from numba.core.registry import cpu_target
from libmpk.sandbox import _numba_cache
if sys.argv[1] == "forbid":
    def compiled(*a, **k):
        raise AssertionError("NRT compiled in this process")
    nrtdynmod.create_nrt_module = compiled  # (numba's own initialise compiles through it too)
print("path", _numba_cache._nrt_path(cpu_target.target_context))
"""
    + _FRESH
)


def test_nrt_loads_from_the_package_cache_not_compiled_in_every_process():
    """numba compiles its runtime's module (NRT) in every process before the
    first native loads (~45 ms here); the package keeps its object code with
    its other cached natives.  A process that may not compile NRT still runs
    the sandbox's natives and compiles a user's ``@njit`` calling nb.begin
    (numba links NRT's library into every compilation); an entry that is not
    sound is compiled again and replaced."""
    import subprocess
    import sys

    def run(mode):
        out = subprocess.run([sys.executable, "-c", _NRT, mode], capture_output=True, text=True, timeout=600)
        assert out.returncode == 0, out.stderr[-3000:]
        assert "bumped 7 14" in out.stdout, out.stdout
        return Path(next(ln for ln in out.stdout.splitlines() if ln.startswith("path ")).split(" ", 1)[1])

    path = run("allow")  # (writes the entry, if this target had none)
    assert path.read_bytes().startswith(b"libmpk-nrt-1\n")
    assert run("forbid") == path  # (read back: compiling would have raised)
    good = path.read_bytes()
    flipped = bytearray(good)
    flipped[-100] ^= 0xFF  # (lengths right, a byte of the object or bitcode wrong)
    for bad in (b"", b"libmpk-nrt-1\n" + b"\xff" * 60, good[:-9], bytes(flipped)):
        path.write_bytes(bad)
        run("allow")
        sound = path.read_bytes()
        assert sound.startswith(b"libmpk-nrt-1\n") and len(sound) > 1000, bad[:20]
    run("forbid")


_THREADED_INIT = """
import threading
from libmpk import sandbox

def fd_size():
    for line in open("/proc/self/status"):
        if line.startswith("FDSize:"):
            return int(line.split()[1])

hold = threading.Event()
t = threading.Thread(target=hold.wait)
t.start()  # (as `mpk run` has: the JS program runs on a thread)
before = fd_size()
sandbox.init()
after = fd_size()
hold.set()
t.join()
import os
def target(n):
    try:
        return os.readlink(f"/proc/self/fd/{n}")
    except OSError:
        return ""  # (listdir's own descriptor, closed by now)

fds = sorted(int(n) for n in os.listdir("/proc/self/fd"))
tables = [n for n in fds if target(n).startswith("/memfd:libmpk-tables")]
print("sizes", before, after, "tables", tables)
"""


def test_the_tables_file_does_not_grow_a_threaded_processs_descriptor_table():
    """Growing the descriptor table of a process with threads waits out an
    RCU grace period (10-25 ms here, at every load of the JS compiler): the
    tables' memfd goes high in the table the process has, not above it."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _THREADED_INIT], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    words = out.stdout.split()
    before, after = int(words[1]), int(words[2])
    assert before == after, out.stdout
    tables = [int(w.strip("[],")) for w in words[4:] if w.strip("[],")]
    assert len(tables) == 1 and before - 8 <= tables[0] < before, out.stdout  # (high: far from the low fds)
