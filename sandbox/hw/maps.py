"""What the kernel says about an address: page protection and protection key,
from /proc/self/smaps.  Lets tests and users check protection without
touching (and faulting on) the memory.
"""

from __future__ import annotations

import bisect
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


def mappings(pid: str = "self") -> list[Mapping]:
    """Every mapping of the process, in address order."""
    out: list[Mapping] = []
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split(None, 5)
            if not head:
                continue
            if "-" in head[0] and not head[0].endswith(":") and len(head) >= 5:
                lo, hi = (int(x, 16) for x in head[0].split("-"))
                out.append(Mapping(lo, hi, _prot(head[1]), 0, head[5].strip() if len(head) > 5 else ""))
            elif head[0] == "ProtectionKey:" and out:
                m = out[-1]
                out[-1] = Mapping(m.start, m.end, m.prot, int(head[1]), m.path)
    return out


def find(maps: list[Mapping], address: int) -> Mapping | None:
    """The mapping of ``maps`` (address-ordered) containing ``address``."""
    i = bisect.bisect_right([m.start for m in maps], address) - 1
    if i >= 0 and maps[i].start <= address < maps[i].end:
        return maps[i]
    return None


def mapping_of(address: int, pid: str = "self") -> Mapping | None:
    """The mapping containing ``address``, or None."""
    return find(mappings(pid), address)
