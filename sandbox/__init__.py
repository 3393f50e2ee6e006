"""libmpk for Python: virtual protection keys over Intel/AMD MPK (PKU).

Unlimited vkeys, each owning a group of pages, are mapped onto the 15
hardware keys by an LRU cache; vkeys evicted from it (and every vkey on a CPU
without PKU) fall back to page-table protection.  See README.md.
"""

from __future__ import annotations

import libmpk

libmpk.only_as_layer(__name__)  # one copy of the library per process

__version__ = "0.1.0"

from . import _numba_cache  # noqa: E402

_numba_cache.refresh()  # before anything compiles

from libmpk.lazy import lazy_attributes  # noqa: E402

from .errors import (  # noqa: E402  (cheap: no numba)
    ArgumentError,
    BackendError,
    BusyError,
    DomainError,
    KeysExhaustedError,
    LoadError,
    LockError,
    LostDescriptorError,
    OSCallError,
    ProtError,
    SandboxError,
    ThreadLimitError,
    VkeyError,
)
from .prot import PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE  # noqa: E402

__all__ = [
    "ArgumentError",
    "BackendError",
    "BusyError",
    "LoadError",
    "LockError",
    "LostDescriptorError",
    "DomainError",
    "KeysExhaustedError",
    "OSCallError",
    "ProtError",
    "SandboxError",
    "ThreadLimitError",
    "VkeyError",
    "HeapError",
    "PROT_EXEC",
    "PROT_NONE",
    "PROT_READ",
    "PROT_WRITE",
    "MemoryArray",
    "Region",
    "Reservation",
    "access",
    "access_many",
    "backend_name",
    "begin",
    "calloc",
    "chunk",
    "domain",
    "end",
    "free",
    "heap_stats",
    "info",
    "init",
    "malloc",
    "mmap",
    "mprotect",
    "munmap",
    "new_vkey",
    "pin",
    "protection",
    "realloc",
    "regions",
    "reserve",
    "reset_thread_rights",
    "shutdown",
    "stats",
    "unpin",
    "mpk_begin",
    "mpk_end",
    "mpk_free",
    "mpk_init",
    "mpk_malloc",
    "mpk_mmap",
    "mpk_mprotect",
    "mpk_munmap",
]

# The rest is loaded on first use (libmpk.lazy): importing the API compiles
# or loads the numba switch (~1 s), which a program that only catches
# SandboxError, or a JavaScript program that never gets hot, should not pay.
__getattr__ = lazy_attributes(
    __name__,
    {name: ".api" for name in __all__ if name not in globals()}
    | {"HeapError": ".heap", "MemoryArray": ".region", "Region": ".region", "Reservation": ".region"},
)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
