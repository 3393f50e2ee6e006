"""begin/end from users' own @njit code share state with the Python API."""

from __future__ import annotations

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
