"""Memory and protection-key system calls through ctypes, with errno.

Raw syscall numbers are used for the pkey calls so the code does not depend on
the libc exporting wrappers (glibc grew them only in 2.27).
"""

from __future__ import annotations

import ctypes
import os

from ..errors import OSCallError

PAGE_SIZE: int = os.sysconf("SC_PAGE_SIZE")

MAP_PRIVATE = 0x02
MAP_ANONYMOUS = 0x20
MAP_NORESERVE = 0x4000
_MAP_FAILED = ctypes.c_void_p(-1).value

SYS_pkey_mprotect = 329
SYS_pkey_alloc = 330
SYS_pkey_free = 331

_libc = ctypes.CDLL(None, use_errno=True)

_mmap = _libc.mmap
_mmap.restype = ctypes.c_void_p
_mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long)
_munmap = _libc.munmap
_munmap.restype = ctypes.c_int
_munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_mprotect = _libc.mprotect
_mprotect.restype = ctypes.c_int
_mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
_syscall = _libc.syscall
_syscall.restype = ctypes.c_long


def _fail(call: str, detail: str = "") -> OSCallError:
    return OSCallError(call, ctypes.get_errno(), detail)


def page_round(length: int) -> int:
    """``length`` rounded up to whole pages."""
    return (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)


def mmap_anon(length: int, prot: int, flags: int = 0) -> int:
    """Map ``length`` bytes of fresh zeroed anonymous memory; return its address."""
    addr = _mmap(None, length, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0)
    if addr is None or addr == _MAP_FAILED:
        raise _fail("mmap", f"length={length}")
    return addr


def munmap(addr: int, length: int) -> None:
    if _munmap(addr, length) != 0:
        raise _fail("munmap", f"addr={addr:#x} length={length}")


def mprotect(addr: int, length: int, prot: int) -> None:
    if _mprotect(addr, length, prot) != 0:
        raise _fail("mprotect", f"addr={addr:#x} length={length} prot={prot:#x}")


def pkey_alloc(flags: int = 0, access_rights: int = 0) -> int:
    """Allocate a hardware protection key; the caller's PKRU gets ``access_rights``."""
    key = _syscall(ctypes.c_long(SYS_pkey_alloc), ctypes.c_ulong(flags), ctypes.c_ulong(access_rights))
    if key < 0:
        raise _fail("pkey_alloc")
    return key


def pkey_free(key: int) -> None:
    """Return a key to the kernel.  The library never does this for keys it
    has used (pkey_free does not untag pages); only the detection probe does."""
    if _syscall(ctypes.c_long(SYS_pkey_free), ctypes.c_ulong(key)) != 0:
        raise _fail("pkey_free", f"key={key}")


def pkey_mprotect(addr: int, length: int, prot: int, key: int) -> None:
    """mprotect that also tags the pages with ``key`` (key 0 = the default)."""
    rc = _syscall(
        ctypes.c_long(SYS_pkey_mprotect),
        ctypes.c_void_p(addr),
        ctypes.c_size_t(length),
        ctypes.c_ulong(prot),
        ctypes.c_long(key),
    )
    if rc != 0:
        raise _fail("pkey_mprotect", f"addr={addr:#x} length={length} prot={prot:#x} key={key}")
