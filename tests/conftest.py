"""Shared fixtures: a freshly initialised sandbox per backend.

``backend`` runs a test on the zero-key fallback and, marked ``pku``, on
real protection keys; the ``pku`` marker decides where that can happen
(natively on a PKU CPU, else in the QEMU guest -- see libmpk/vm/pytest_plugin.py).
"""

from __future__ import annotations

import pytest

from libmpk import sandbox
from libmpk.sandbox import api

BACKENDS = ["mprotect", pytest.param("pku", marks=pytest.mark.pku)]


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
