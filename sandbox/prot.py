"""Protection bits and their translation to PKRU rights.

The values are those of the ``mmap`` module so ``sandbox.PROT_READ`` and
``mmap.PROT_READ`` are interchangeable.  PKU controls data access only: a
domain can narrow or widen read/write per thread, but execute permission is a
page-table property and therefore process-wide.
"""

from __future__ import annotations

import mmap as _mmap
import operator

from .errors import ProtError

PROT_NONE: int = _mmap.PROT_NONE if hasattr(_mmap, "PROT_NONE") else 0
PROT_READ: int = _mmap.PROT_READ
PROT_WRITE: int = _mmap.PROT_WRITE
PROT_EXEC: int = _mmap.PROT_EXEC
PROT_RW: int = PROT_READ | PROT_WRITE
PROT_ALL: int = PROT_READ | PROT_WRITE | PROT_EXEC

# PKRU has two bits per key: AD (access disable) and WD (write disable).
PKRU_AD: int = 1
PKRU_WD: int = 2


def check(prot: object) -> int:
    """Return ``prot`` as an int, or raise :class:`ProtError` for unknown bits."""
    if isinstance(prot, bool):
        raise ProtError("prot must be an int of PROT_* bits, not bool")
    if not isinstance(prot, int):
        try:
            prot = operator.index(prot)  # numpy integers
        except TypeError:
            raise ProtError(f"prot must be an int of PROT_* bits, not {type(prot).__name__}") from None
    if prot & ~PROT_ALL or prot < 0:
        raise ProtError(f"prot {prot:#x} has bits outside PROT_READ|PROT_WRITE|PROT_EXEC")
    return prot


def pkru_bits(prot: int) -> int:
    """The 2-bit PKRU field granting ``prot``'s data rights.

    x86 cannot express write-only: PROT_WRITE implies read, as with mmap.
    """
    if prot & PROT_WRITE:
        return 0
    if prot & PROT_READ:
        return PKRU_WD
    return PKRU_AD | PKRU_WD


def describe(prot: int) -> str:
    """``PROT_READ|PROT_WRITE`` style text for messages."""
    if prot == PROT_NONE:
        return "PROT_NONE"
    names = [n for n, b in (("PROT_READ", PROT_READ), ("PROT_WRITE", PROT_WRITE), ("PROT_EXEC", PROT_EXEC)) if prot & b]
    return "|".join(names)
