"""libmpk for Python: virtual protection keys over Intel/AMD MPK (PKU).

Unlimited vkeys, each owning a group of pages, are mapped onto the 15
hardware keys by an LRU cache; vkeys evicted from it (and every vkey on a CPU
without PKU) fall back to page-table protection.  See README.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import _numba_cache  # noqa: E402

_numba_cache.refresh()  # before anything compiles

from .api import (  # noqa: E402
    access,
    access_many,
    backend_name,
    begin,
    calloc,
    chunk,
    domain,
    end,
    free,
    heap_stats,
    info,
    init,
    malloc,
    mmap,
    mpk_begin,
    mpk_end,
    mpk_free,
    mpk_init,
    mpk_malloc,
    mpk_mmap,
    mpk_mprotect,
    mpk_munmap,
    mprotect,
    munmap,
    new_vkey,
    pin,
    protection,
    realloc,
    regions,
    reserve,
    reset_thread_rights,
    shutdown,
    stats,
    unpin,
)
from .errors import (  # noqa: E402
    ArgumentError,
    BackendError,
    BusyError,
    DomainError,
    KeysExhaustedError,
    LockError,
    OSCallError,
    ProtError,
    SandboxError,
    ThreadLimitError,
    VkeyError,
)
from .heap import HeapError  # noqa: E402
from .prot import PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE  # noqa: E402
from .region import MemoryArray, Region, Reservation  # noqa: E402

__all__ = [
    "ArgumentError",
    "BackendError",
    "BusyError",
    "LockError",
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
