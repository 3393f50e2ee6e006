"""Shared fixtures: a freshly initialised sandbox per backend.

``backend`` runs a test on the zero-key fallback and, marked ``pku``, on
real protection keys; the ``pku`` marker decides where that can happen
(natively on a PKU CPU, else in the QEMU guest -- see libmpk/vm/pytest_plugin.py).
"""

from __future__ import annotations

import os
import signal
import threading

import pytest

from libmpk import sandbox
from libmpk.jit.codecache import CodeCache
from libmpk.sandbox import PROT_READ, PROT_WRITE, api
from libmpk.sandbox.forked import run_in_child
from libmpk.sandbox.hw import cpu
from libmpk.vm.pytest_plugin import GuestProxy

from .watchdog import Watchdog

BACKENDS = ["mprotect", pytest.param("pku", marks=pytest.mark.pku)]

# A shell starts a background job with SIGINT ignored, and children inherit
# that: the tests that Ctrl-C a program would then wait on one that cannot
# hear it.  Ctrl-C's default here makes it the default in every child.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


# `mpk run` keeps parsed trees and compiled objects between runs
# (apps.js.parsecache, jit.objcache): off for the programs the tests run, so
# one test's run never finds what another's kept (a kept O2 object skips the
# baseline and the background build a test may count).  The caches' own
# tests give them directories of their own.
os.environ.setdefault("MPK_JS_CACHE", "0")


def _reset() -> None:
    try:
        sandbox.shutdown()
    except sandbox.SandboxError:
        api._abandon()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def sb(backend: str):
    """The sandbox module, initialised on ``backend`` with evict_rate 0."""
    yield from _fresh(backend, evict_rate=0)


def _fresh(backend: str, **options):
    _reset()
    sandbox.init(backend=backend, **options)
    yield sandbox
    _reset()


@pytest.fixture
def fallback():
    """The sandbox on the zero-key fallback (runs on every machine)."""
    yield from _fresh("mprotect")


@pytest.fixture
def pku():
    """The sandbox on real protection keys (tests using it are marked ``pku``)."""
    yield from _fresh("pku")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "clients: real clients' own test suites against kvstore, fetched from the registries at test time"
    )
    if not config.option.collectonly:
        config._mpk_watchdog = Watchdog()


def pytest_unconfigure(config) -> None:
    dog = getattr(config, "_mpk_watchdog", None)
    if dog is not None:
        dog.close()


# Each test's limit (tests/watchdog.py): the slowest takes a few minutes on a
# busy CI machine; in the emulated guest everything takes longer.
TEST_LIMIT_S = float(os.environ.get("MPK_TEST_LIMIT_S", 2400 if os.environ.get("MPK_IN_VM") else 1200))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    dog = getattr(item.config, "_mpk_watchdog", None)
    if dog is None or isinstance(item, GuestProxy):  # (the first proxy waits for the guest, which has its own limit)
        return (yield)
    dog.started(item.nodeid, TEST_LIMIT_S)
    try:
        return (yield)
    finally:
        dog.ended()


@pytest.fixture(autouse=True)
def _compiler_loads_when_code_is_hot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite's JS programs are small: an engine made here loads its
    compiler as soon as code is hot enough to compile (as one that runs long
    enough does), not after the extra heat a real program must show first
    (apps.js.hotness), so each test exercises the compiler.  The load
    thresholds' own tests pass them explicitly."""
    from libmpk.apps.js import hotness

    monkeypatch.setattr(hotness, "LOAD_CALLS", 0)
    monkeypatch.setattr(hotness, "LOAD_LOOPS", 0)


@pytest.fixture(scope="session", autouse=True)
def _natives_loaded_before_forks(request: pytest.FixtureRequest):
    """With PKU, run the library's common paths once in this process before
    any test.  Attack tests run in forked children, and a child that calls a
    native its parent never loaded pays numba's load -- in the emulated
    guest, on a cold cache, a compile of minutes -- somewhere in the middle
    of the scenario it times.  Loaded here, every child inherits it."""
    if not any(item.get_closest_marker("pku") for item in request.session.items) or not cpu.detect().available:
        yield
        return
    _reset()
    sandbox.init(backend="pku", evict_rate=0)
    rw = PROT_READ | PROT_WRITE
    r = sandbox.mmap(1, 4096, rw)
    sandbox.mmap(2, 4096, PROT_READ)
    for _ in range(2):  # a miss (key load, recorded domain), then hits; nested
        with sandbox.domain(1, rw), sandbox.domain(2, PROT_READ), sandbox.domain(1, PROT_READ):
            r.view()[0]

    def in_a_thread() -> None:
        sandbox.begin(1, rw)  # left open: the thread's exit releases it

    t = threading.Thread(target=in_a_thread)
    t.start()
    t.join()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    sandbox.mprotect(1, PROT_READ)  # a request to another thread
    sandbox.mprotect(1, rw)
    stop.set()
    other.join()
    sandbox.free(sandbox.malloc(1, 64))
    run_in_child(sandbox.access, r.address)  # the fork hooks
    sandbox.munmap(2)
    cache = CodeCache("pku", code_size=1 << 16, rodata_size=1 << 16, data_size=1 << 16)
    cache.commit(cache.place(1), b"\xc3")  # the scan, a write window, the code key
    with cache.writable():
        pass
    cache.close()
    _reset()
    yield


@pytest.fixture(scope="session")
def fresh():
    """A zygote for tests that need a fresh process (tests/fresh.py)."""
    from .fresh import Zygote

    z = Zygote()
    yield z
    z.close()
