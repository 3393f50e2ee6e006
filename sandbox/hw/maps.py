"""What the kernel says about an address: page protection and protection key,
from /proc/self/smaps.  Lets tests and users check protection without
touching (and faulting on) the memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..prot import PROT_EXEC, PROT_READ, PROT_WRITE


@dataclass(frozen=True)
class Mapping:
    start: int
    end: int
    prot: int
    pkey: int  # 0 where the kernel reports none
    path: str


def _prot(perms: str) -> int:
    return (
        (PROT_READ if perms[0] == "r" else 0)
        | (PROT_WRITE if perms[1] == "w" else 0)
        | (PROT_EXEC if perms[2] == "x" else 0)
    )


def mapping_of(address: int, pid: str = "self") -> Mapping | None:
    """The mapping containing ``address``, or None."""
    current: Mapping | None = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split(None, 5)
            if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                if current is not None:
                    return current
                lo, hi = (int(x, 16) for x in head[0].split("-"))
                if lo <= address < hi:
                    current = Mapping(lo, hi, _prot(head[1]), 0, head[5].strip() if len(head) > 5 else "")
            elif current is not None and head[0] == "ProtectionKey:":
                current = Mapping(current.start, current.end, current.prot, int(head[1]), current.path)
    return current
