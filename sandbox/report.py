"""The facts ``mpk info`` reports: machine, PKU support, backend, guarantees."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from . import __version__
from .backend import PKU, select
from .hw import cpu

if TYPE_CHECKING:
    from .core import Sandbox

_GUARANTEES = {
    PKU: {
        "begin_end": "thread-local: a domain changes only the calling thread's PKRU "
        "(page-table domains for vkeys evicted from the key cache are process-wide)",
        "mprotect": "process-wide",
        "key_switch": "WRPKRU, no system call, for vkeys holding a hardware key",
    },
    "mprotect": {
        "begin_end": "process-wide: no hardware keys, so a domain is an mprotect of the "
        "vkey's pages and every thread gets its rights while it is open",
        "mprotect": "process-wide",
        "key_switch": "mprotect system call per region",
    },
}


def collect(state: Sandbox | None) -> dict:
    support = cpu.detect()
    backend = state.backend if state is not None else select()
    keys = len(backend.keys)
    reserved = 1 if keys else 0  # the key guarding the library's tables
    out = {
        "version": __version__,
        "python": sys.version.split()[0],
        "kernel": support.kernel,
        "cpu_arch": support.cpu.arch,
        "cpu_vendor": support.cpu.vendor,
        "cpu_model": support.cpu.model,
        "pku_available": support.available,
        "pku_reason": support.reason,
        "backend": backend.name,
        "backend_reason": backend.why,
        "hw_keys": keys,
        "hw_keys_reserved": reserved,
        "cache_capacity": keys - reserved,
        "thread_local_domains": backend.thread_local,
        "guarantees": _GUARANTEES[backend.name],
        "initialized": state is not None,
    }
    if state is not None:
        out["evict_rate"] = state.evict_rate
        out["stats"] = state.stats()
    return out
