"""begin/end for users' own ``@njit`` code.

    from numba import njit
    from sandbox import nb

    @njit
    def checksum(buf, vkey):
        nb.begin(vkey, 1)          # PROT_READ
        s = buf.sum()
        nb.end(vkey)
        return s

A hit is the inlined native switch (the tables are reached through the
arena's link-time symbol, not frozen globals); misses and errors drop into
object mode and take the same Python slow path as sandbox.begin/end, so both
share one domain stack per thread.
"""

from __future__ import annotations

from numba import njit, objmode

from . import switch


def _begin_slow(vkey: int, prot: int, status: int) -> None:
    from .api import _sb

    _sb().begin_slow(vkey, prot, status)


def _end_slow(vkey: int, status: int) -> None:
    from .api import _sb

    _sb().end_slow(vkey, status)


@njit(cache=True)
def begin(vkey, prot):
    status = switch.fast_begin(vkey, prot)
    if status != 0:
        with objmode():
            _begin_slow(vkey, prot, status)


@njit(cache=True)
def end(vkey):
    status = switch.fast_end(vkey)
    if status != 0:
        with objmode():
            _end_slow(vkey, status)
