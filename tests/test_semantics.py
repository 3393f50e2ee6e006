"""libmpk semantics with real pages and real faults, on both backends.

Each test runs on the zero-key fallback and (marked ``pku``) on real
protection keys; the only behaviour allowed to differ is thread-locality,
which is asserted per backend.
"""

from __future__ import annotations

import threading

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libmpk import sandbox
from libmpk.sandbox import PROT_NONE, PROT_READ, PROT_WRITE
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw.faults import SEGV_ACCERR, SEGV_PKUERR

from .handshake import expect

RW = PROT_READ | PROT_WRITE


def expected_code(vkey: int) -> int:
    """PKU faults on a vkey holding a hardware key; page-table faults otherwise."""
    return SEGV_PKUERR if vkey in sandbox.stats()["cached"] else SEGV_ACCERR


def code_after_begin() -> int:
    """The fault code once a begin has loaded the vkey (the cache is never full here)."""
    return SEGV_PKUERR if sandbox.info()["thread_local_domains"] else SEGV_ACCERR


def write_byte(region: sandbox.Region, value: int = 1, offset: int = 0) -> int:
    region.view()[offset] = value
    return value


def read_byte(region: sandbox.Region, offset: int = 0) -> int:
    return region.view()[offset]


def test_write_to_read_only_vkey_dies_with_sigsegv(sb):
    r = sb.mmap(1, 4096, PROT_READ)
    out = run_in_child(write_byte, r)
    assert out.segv, out
    assert out.fault.code == expected_code(1) and out.fault.address == r.address
    assert read_byte(r) == 0  # reads follow the process-wide protection


def test_begin_grants_and_end_revokes(sb):
    r = sb.mmap(2, 8192, PROT_READ)

    def inside():
        sb.begin(2, RW)
        write_byte(r, 42, 4096)
        return read_byte(r, 4096)

    out = run_in_child(inside)
    assert out.ok and out.value == 42, out

    def after_end():
        with sb.domain(2, RW):
            write_byte(r, 7)
        assert read_byte(r) == 7  # still readable: the vkey is PROT_READ
        write_byte(r, 8)  # must fault

    out = run_in_child(after_end)
    assert out.segv, out
    assert out.fault.code == code_after_begin()


def test_domain_replaces_protection_and_nests(sb):
    r = sb.mmap(3, 4096, RW)

    def nested_read_only():
        write_byte(r, 1)  # process-wide RW
        with sb.domain(3, RW):
            with sb.domain(3, PROT_READ):
                assert read_byte(r) == 1
                write_byte(r, 2)  # innermost domain is read-only: fault

    out = run_in_child(nested_read_only)
    assert out.segv, out

    def unwinds():
        with sb.domain(3, PROT_NONE):
            with sb.domain(3, RW):
                write_byte(r, 5)
            # back to PROT_NONE
        write_byte(r, 6)  # back to the vkey's own RW
        with sb.domain(3, PROT_NONE):
            return read_byte(r)  # must fault

    out = run_in_child(unwinds)
    assert out.segv, out
    assert read_byte(r) == 0  # the parent never saw the child's writes


def test_mprotect_is_process_wide(sb):
    r = sb.mmap(4, 4096, RW)
    sb.begin(4, RW)
    sb.end(4)  # give it a hardware key where there are keys
    write_byte(r, 3)
    sb.mprotect(4, PROT_READ)
    assert read_byte(r) == 3
    out = run_in_child(write_byte, r)
    assert out.segv and out.fault.code == expected_code(4), out
    sb.mprotect(4, PROT_NONE)
    out = run_in_child(read_byte, r)
    assert out.segv and out.fault.code == expected_code(4), out
    sb.mprotect(4, RW)
    assert write_byte(r, 9) == 9 and read_byte(r) == 9


def test_thread_locality_matches_backend(sb):
    r = sb.mmap(5, 4096, PROT_READ)
    thread_local = sb.info()["thread_local_domains"]

    def two_threads():
        opened, done = threading.Event(), threading.Event()

        def owner():
            with sb.domain(5, RW):
                write_byte(r, 1)
                opened.set()
                expect(done, "the main thread's check")
                write_byte(r, 2)

        t = threading.Thread(target=owner)
        t.start()
        expect(opened, "the domain")
        write_byte(r, 3)  # no domain in this thread: faults only under PKU
        done.set()
        t.join()
        return read_byte(r)

    out = run_in_child(two_threads)
    if thread_local:
        assert out.segv and out.fault.code == SEGV_PKUERR, out
    else:
        assert out.ok and out.value == 2, out


def test_page_group_grows_and_follows_protection(sb):
    a = sb.mmap(6, 4096, PROT_READ)
    b = sb.mmap(6, 3 * 4096 + 1, PROT_READ)
    assert b.length == 4 * 4096
    assert [x.address for x in sb.regions(6)] == [a.address, b.address]
    with sb.domain(6, RW):
        write_byte(a, 1)
        write_byte(b, 2, b.length - 1)
    for region in (a, b):
        out = run_in_child(write_byte, region)
        assert out.segv, out


def test_thousand_vkeys(sb):
    n = 1000
    regions = [sb.mmap(1000 + v, 4096, PROT_READ) for v in range(n)]
    for rnd in range(2):
        for v, r in enumerate(regions):
            with sb.domain(1000 + v, RW):
                r.asarray(np.int32)[0] = v * 10 + rnd
    assert all(r.asarray(np.int32)[0] == v * 10 + 1 for v, r in enumerate(regions))
    s = sb.stats()
    keys = sb.info()["cache_capacity"]
    assert len(s["cached"]) == min(keys, n)
    if keys:
        assert s["evictions"] >= 2 * n - keys and s["hits"] >= 0
    else:
        assert s["page_domains"] == 2 * n
    out = run_in_child(write_byte, regions[500])
    assert out.segv, out
    for v in range(n):
        sb.munmap(1000 + v)


def test_unmap_and_map_again_gives_a_fresh_group(sb):
    r = sb.mmap(7, 4096, RW)
    write_byte(r, 5)
    with sb.domain(7, PROT_READ):
        pass
    sb.munmap(7)
    assert not r.mapped
    r2 = sb.mmap(7, 4096, PROT_READ)
    assert read_byte(r2) == 0  # fresh zeroed pages
    out = run_in_child(write_byte, r2)
    assert out.segv, out


def _normalise(prot: int) -> int:
    return prot | PROT_READ if prot & PROT_WRITE else prot


ops = st.lists(
    st.tuples(st.sampled_from(["begin", "end", "mprotect"]), st.integers(0, 2), st.sampled_from([0, 1, 3])),
    max_size=25,
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops)
def test_access_matches_model(sb, seq):
    """Random begin/end/mprotect sequences: the kernel's view of each page
    (page protection, key and this thread's PKRU) equals the model's."""
    base = {v: PROT_READ for v in range(3)}
    stack: dict[int, list[int]] = {v: [] for v in range(3)}
    regions = [sb.mmap(50 + v, 4096, PROT_READ) for v in range(3)]
    try:
        for op, v, prot in seq:
            if op == "begin":
                sb.begin(50 + v, prot)
                stack[v].append(prot)
            elif op == "end" and stack[v]:
                sb.end(50 + v)
                stack[v].pop()
            elif op == "mprotect":
                sb.mprotect(50 + v, prot)
                base[v] = prot
            want = [_normalise(stack[u][-1] if stack[u] else base[u]) for u in range(3)]
            # (one read of the kernel's view for the three: smaps is long where numba is loaded)
            assert sb.access_many([r.address for r in regions]) == want, (op, v, prot)
    finally:
        for v in range(3):
            for _ in stack[v]:
                sb.end(50 + v)
            sb.munmap(50 + v)
