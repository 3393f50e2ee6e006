"""libmpk for Python: virtual protection keys over Intel/AMD MPK (PKU).

Unlimited vkeys, each owning a group of pages, are mapped onto the 15
hardware keys by an LRU cache; vkeys evicted from it (and every vkey on a CPU
without PKU) fall back to page-table protection.  See README.md.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import (  # noqa: E402
    access,
    access_many,
    backend_name,
    begin,
    domain,
    end,
    info,
    init,
    mmap,
    mpk_begin,
    mpk_end,
    mpk_init,
    mpk_mmap,
    mpk_mprotect,
    mpk_munmap,
    mprotect,
    munmap,
    new_vkey,
    regions,
    shutdown,
    stats,
)
from .errors import (  # noqa: E402
    ArgumentError,
    BackendError,
    BusyError,
    DomainError,
    KeysExhaustedError,
    OSCallError,
    ProtError,
    SandboxError,
    ThreadLimitError,
    VkeyError,
)
from .prot import PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE  # noqa: E402
from .region import Region  # noqa: E402

__all__ = [
    "ArgumentError",
    "BackendError",
    "BusyError",
    "DomainError",
    "KeysExhaustedError",
    "OSCallError",
    "ProtError",
    "SandboxError",
    "ThreadLimitError",
    "VkeyError",
    "PROT_EXEC",
    "PROT_NONE",
    "PROT_READ",
    "PROT_WRITE",
    "Region",
    "access",
    "access_many",
    "backend_name",
    "begin",
    "domain",
    "end",
    "info",
    "init",
    "mmap",
    "mprotect",
    "munmap",
    "new_vkey",
    "regions",
    "shutdown",
    "stats",
    "mpk_begin",
    "mpk_end",
    "mpk_init",
    "mpk_mmap",
    "mpk_mprotect",
    "mpk_munmap",
]
