"""begin/end for users' own ``@njit`` code.

    from numba import njit
    from libmpk.sandbox import nb

    @njit
    def checksum(buf, vkey):
        nb.begin(vkey, 1)          # PROT_READ
        s = buf.sum()
        nb.end(vkey)
        return s

A hit is one native call into the compiled switch (bound at link time, so
numba can cache your function; the switch reaches its tables through the
arena's link-time symbol, not frozen globals).  The switch is called rather
than inlined so that no WRPKRU ever lands in your code: every gate in the
process is one of the library's registered functions (sandbox.gates).
Misses and errors drop into object mode and take the same Python slow path
as sandbox.begin/end, so both share one domain stack per thread.
"""

from __future__ import annotations

from numba import objmode, types

from . import switch
from ._numba_cache import njit

_fast_begin = types.ExternalFunction(switch.BEGIN_SYMBOL, types.int64(types.int64, types.int64))
_fast_end = types.ExternalFunction(switch.END_SYMBOL, types.int64(types.int64))


def _begin_slow(vkey: int, prot: int, status: int) -> None:
    from .api import _sb

    _sb().begin_slow(vkey, prot, status)


def _end_slow(vkey: int, status: int) -> None:
    from .api import _sb

    _sb().end_slow(vkey, status)


@njit(cache=True)
def begin(vkey, prot):
    status = _fast_begin(vkey, prot)
    if status != 0:
        with objmode():
            _begin_slow(vkey, prot, status)


@njit(cache=True)
def end(vkey):
    status = _fast_end(vkey)
    if status != 0:
        with objmode():
            _end_slow(vkey, status)
