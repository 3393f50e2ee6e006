"""Backend choice: real PKU, or the same library with zero hardware keys.

There is one code path.  The backend only decides how many hardware keys the
key cache gets: with PKU, every key the kernel will give (up to 15, allocated
once per process and never freed -- see "protection-key use-after-free"); with
``mprotect``, none, so every vkey lives in the evicted state and domains are
page-table protections (process-wide).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import BackendError, OSCallError
from .hw import cpu, syscalls
from .prot import PKRU_AD, PKRU_WD

PKU = "pku"
MPROTECT = "mprotect"
BACKENDS = (PKU, MPROTECT)
ENV = "MPK_BACKEND"

_hw_keys: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Backend:
    name: str
    keys: tuple[int, ...]  # hardware keys the library holds (empty on mprotect)
    support: cpu.PkuSupport
    why: str  # why this backend was chosen

    @property
    def thread_local(self) -> bool:
        return self.name == PKU


def _allocate_keys() -> tuple[int, ...]:
    """Take every key the kernel will give, once per process, no access by default."""
    global _hw_keys
    if _hw_keys is None:
        keys = []
        while len(keys) < 15:
            try:
                keys.append(syscalls.pkey_alloc(0, PKRU_AD | PKRU_WD))
            except OSCallError:
                break
        _hw_keys = tuple(sorted(keys))
    return _hw_keys


def keys_held() -> bool:
    """Whether this process holds hardware keys (so its pages may carry tags)."""
    return bool(_hw_keys)


def select(requested: str | None = None) -> Backend:
    """Pick a backend: ``requested``, else $MPK_BACKEND, else PKU when usable."""
    support = cpu.detect()
    source = "argument"
    if requested is None:
        requested = os.environ.get(ENV) or None
        source = f"{ENV}={requested}"
    if requested is not None and requested not in BACKENDS:
        raise BackendError(f"unknown backend {requested!r} ({source}); choose one of {', '.join(BACKENDS)}")
    if requested == MPROTECT:
        return Backend(MPROTECT, (), support, f"{source}")
    if not support.available:
        if requested == PKU:
            raise BackendError(f"backend 'pku' requested ({source}) but PKU is unavailable: {support.reason}")
        return Backend(MPROTECT, (), support, f"automatic: {support.reason}")
    keys = _allocate_keys()
    if not keys:
        if requested == PKU:
            raise BackendError("backend 'pku' requested but pkey_alloc gave no keys (all taken in this process)")
        return Backend(MPROTECT, (), support, "automatic: pkey_alloc gave no keys")
    return Backend(PKU, keys, support, source if requested else "automatic: PKU available")
