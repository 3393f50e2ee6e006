"""Every bad input gets a typed error from the one SandboxError base."""

from __future__ import annotations

import errno

import numpy as np
import pytest

from libmpk import sandbox
from libmpk.sandbox import PROT_EXEC, PROT_READ, PROT_WRITE
from libmpk.sandbox.forked import run_in_child

RW = PROT_READ | PROT_WRITE


def test_all_errors_share_one_base():
    for cls in (
        sandbox.ArgumentError,
        sandbox.ProtError,
        sandbox.VkeyError,
        sandbox.DomainError,
        sandbox.KeysExhaustedError,
        sandbox.BusyError,
        sandbox.OSCallError,
        sandbox.BackendError,
        sandbox.ThreadLimitError,
    ):
        assert issubclass(cls, sandbox.SandboxError)


def test_unknown_vkey(sb):
    for call in (lambda: sb.begin(77, PROT_READ), lambda: sb.mprotect(77, RW), lambda: sb.munmap(77)):
        with pytest.raises(sandbox.VkeyError, match="never mmap"):
            call()
    with pytest.raises(sandbox.VkeyError):
        sb.end(77)


def test_use_after_munmap_and_double_munmap(sb):
    r = sb.mmap(8, 4096, RW)
    sb.munmap(8)
    with pytest.raises(sandbox.VkeyError, match="unmapped"):
        sb.begin(8, RW)
    with pytest.raises(sandbox.VkeyError, match="unmapped"):
        sb.mprotect(8, PROT_READ)
    with pytest.raises(sandbox.VkeyError, match="unmapped"):
        sb.munmap(8)
    with pytest.raises(sandbox.VkeyError, match="unmapped"):
        r.view()


def test_end_without_begin(sb):
    sb.mmap(9, 4096, RW)
    with pytest.raises(sandbox.DomainError, match="without a matching begin"):
        sb.end(9)
    with sb.domain(9, PROT_READ):
        pass
    with pytest.raises(sandbox.DomainError):
        sb.end(9)
    sb.munmap(9)


@pytest.mark.parametrize("prot", [8, 0x10, -1, 1 << 40])
def test_bad_prot_bits(sb, prot):
    sb.mmap(10, 4096, RW)
    with pytest.raises(sandbox.ProtError):
        sb.begin(10, prot)
    with pytest.raises(sandbox.ProtError):
        sb.mprotect(10, prot)
    with pytest.raises(sandbox.ProtError):
        sb.mmap(11, 4096, prot)
    sb.munmap(10)


@pytest.mark.parametrize("prot", ["rw", 1.0, None])
def test_prot_of_wrong_type(sb, prot):
    sb.mmap(10, 4096, RW)
    with pytest.raises(sandbox.ArgumentError):
        sb.begin(10, prot)
    with pytest.raises(sandbox.ArgumentError):
        sb.mprotect(10, prot)
    sb.munmap(10)


@pytest.mark.parametrize("vkey", [-1, -(1 << 70), 1 << 64, "3", 2.5, None])
def test_bad_vkey(sb, vkey):
    for call in (
        lambda: sb.begin(vkey, RW),
        lambda: sb.end(vkey),
        lambda: sb.mmap(vkey, 4096, RW),
        lambda: sb.mprotect(vkey, RW),
        lambda: sb.munmap(vkey),
    ):
        with pytest.raises(sandbox.ArgumentError):
            call()


@pytest.mark.parametrize("length", [0, -4096, 1 << 50, 4096.0, "4096"])
def test_bad_length(sb, length):
    with pytest.raises(sandbox.ArgumentError):
        sb.mmap(12, length, RW)


def _refused_mmap() -> tuple[int, str, bool]:
    import resource

    # an address-space limit just above what the process uses: the kernel
    # refuses the mapping whatever its overcommit policy (a 32 TiB mapping
    # was accepted under vm.overcommit_memory=1)
    used = int(open("/proc/self/statm").read().split()[0]) * 4096
    resource.setrlimit(resource.RLIMIT_AS, (used + (1 << 30), resource.RLIM_INFINITY))
    try:
        sandbox.mmap(13, 4 << 30, RW)
    except sandbox.OSCallError as e:
        return e.errno, str(e), isinstance(e, OSError)
    return 0, "mapped", False


def test_os_refusal_carries_errno(sb):
    out = run_in_child(_refused_mmap)
    assert out.ok, out
    code, text, is_oserror = out.value
    assert code == errno.ENOMEM, text
    assert is_oserror and "ENOMEM" in text


def test_mmap_with_other_protection_than_its_group(sb):
    sb.mmap(14, 4096, PROT_READ)
    with pytest.raises(sandbox.ProtError, match="one group has one protection"):
        sb.mmap(14, 4096, RW)
    sb.munmap(14)


def test_domain_cannot_add_exec(sb):
    sb.mmap(15, 4096, PROT_READ)
    with pytest.raises(sandbox.ProtError, match="PROT_EXEC"):
        sb.begin(15, PROT_READ | PROT_EXEC)
    with sb.domain(15, PROT_READ):  # state unharmed
        pass
    sb.munmap(15)


def test_munmap_with_open_domain(sb):
    sb.mmap(16, 4096, PROT_READ)
    sb.begin(16, RW)
    with pytest.raises(sandbox.DomainError, match="still open"):
        sb.munmap(16)
    sb.end(16)
    sb.munmap(16)


def test_munmap_with_live_view(sb):
    r = sb.mmap(17, 4096, RW)
    view = r.asarray(np.uint32)
    with pytest.raises(sandbox.BusyError, match="live view"):
        sb.munmap(17)
    view[0] = 1  # still mapped, still usable
    del view
    sb.munmap(17)


def test_nesting_limit(sb):
    sb.mmap(18, 4096, RW)
    depth = 0
    with pytest.raises(sandbox.DomainError, match="deeper"):
        while True:
            sb.begin(18, PROT_READ)
            depth += 1
    assert depth >= 32
    for _ in range(depth):
        sb.end(18)
    sb.munmap(18)


def test_backend_requests(monkeypatch):
    from libmpk.sandbox import backend as bk

    with pytest.raises(sandbox.BackendError, match="unknown backend"):
        bk.select("hardware")
    monkeypatch.setenv("MPK_BACKEND", "nope")
    with pytest.raises(sandbox.BackendError, match="MPK_BACKEND"):
        bk.select()
    monkeypatch.setenv("MPK_BACKEND", "mprotect")
    assert bk.select().name == "mprotect"
    if not bk.cpu.detect().available:
        with pytest.raises(sandbox.BackendError, match="PKU is unavailable"):
            bk.select("pku")


def test_bad_evict_rate():
    sandbox.shutdown()
    for rate in (-1, 1.5, "2"):
        with pytest.raises(sandbox.ArgumentError):
            sandbox.init(evict_rate=rate, backend="mprotect")


def test_reinit_refused_while_mapped(fallback):
    fallback.mmap(19, 4096, RW)
    with pytest.raises(sandbox.SandboxError, match="shutdown"):
        fallback.init()
    fallback.munmap(19)
    fallback.init(evict_rate=2, backend="mprotect")
    assert fallback.info()["evict_rate"] == 2
