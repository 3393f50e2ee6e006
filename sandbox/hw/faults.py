"""A native SIGSEGV recorder, so a process that dies of a protection fault
says *which* fault: si_code (SEGV_ACCERR = page tables, SEGV_PKUERR = a
protection key), the address and the key.

The handler is a numba ``cfunc`` (Python signal handlers cannot run on a
synchronous fault).  It copies the siginfo fields into a page mapped
MAP_SHARED before any fork -- so a parent can read what killed its child --
and returns; SA_RESETHAND has restored the default action, so the faulting
instruction runs again and the process dies of SIGSEGV as it would have.
The page is on key 0, the one key a signal handler can always touch.
"""

from __future__ import annotations

import ctypes
import signal
from dataclasses import dataclass

import numpy as np
from numba import carray, types

from .._numba_cache import cfunc
from . import intrinsics as _intrinsics  # noqa: F401  (initialises the asm parser)
from . import symbols, syscalls
from .intrinsics import extern_address

SEGV_MAPERR = 1
SEGV_ACCERR = 2
SEGV_PKUERR = 4
CODE_NAMES = {SEGV_MAPERR: "SEGV_MAPERR", SEGV_ACCERR: "SEGV_ACCERR", SEGV_PKUERR: "SEGV_PKUERR"}

_SYMBOL = "libmpk_py_faultbuf_v1"
_MAP_SHARED = 0x01
_BUF = syscalls._mmap(None, syscalls.PAGE_SIZE, 3, _MAP_SHARED | syscalls.MAP_ANONYMOUS, -1, 0)
_WORDS = np.ctypeslib.as_array((ctypes.c_int64 * 8).from_address(_BUF))
symbols.bind(_SYMBOL, _BUF)

# word layout of the record
_F_COUNT, _F_SIGNO, _F_CODE, _F_ADDR, _F_PKEY = range(5)


@cfunc(types.void(types.int32, types.voidptr, types.voidptr), cache=True)
def _record(signo, info, ucontext):
    out = carray(extern_address(_SYMBOL), (8,), np.int64)
    si32 = carray(info, (12,), np.int32)  # siginfo_t: signo, errno, code, pad, union...
    si64 = carray(info, (6,), np.int64)
    out[_F_SIGNO] = si32[0]
    out[_F_CODE] = si32[2]
    out[_F_ADDR] = si64[2]  # _sigfault.si_addr at offset 16
    out[_F_PKEY] = si32[8]  # _sigfault._pkey at offset 32
    out[_F_COUNT] += 1


@dataclass(frozen=True)
class Fault:
    signo: int
    code: int
    address: int
    pkey: int

    @property
    def code_name(self) -> str:
        return CODE_NAMES.get(self.code, str(self.code))

    @property
    def is_pku(self) -> bool:
        return self.code == SEGV_PKUERR


def clear() -> None:
    """Forget the last recorded fault (call before forking a child to watch)."""
    _WORDS[:] = 0


def install(signals: tuple[int, ...] = (signal.SIGSEGV,)) -> None:
    """Record the next fault of this process (one-shot, then die as usual)."""
    flags = syscalls.SA_SIGINFO | syscalls.SA_RESETHAND | syscalls.SA_ONSTACK
    for sig in signals:
        syscalls.sigaction(sig, _record.address, flags)


def last() -> Fault | None:
    """The fault recorded since ``clear()``, by this process or a forked child."""
    if not _WORDS[_F_COUNT]:
        return None
    return Fault(int(_WORDS[_F_SIGNO]), int(_WORDS[_F_CODE]), int(_WORDS[_F_ADDR]), int(_WORDS[_F_PKEY]))
