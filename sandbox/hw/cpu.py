"""Does this machine have usable PKU?  Decided from CPU flags and a
``pkey_alloc`` probe -- never by executing RDPKRU/WRPKRU, which is SIGILL on a
CPU without PKU.
"""

from __future__ import annotations

import errno
import functools
import platform
from dataclasses import dataclass, field

from ..errors import OSCallError
from . import syscalls


@dataclass(frozen=True)
class CpuInfo:
    arch: str
    vendor: str
    model: str
    flags: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PkuSupport:
    available: bool
    reason: str
    cpu: CpuInfo
    kernel: str


def read_cpuinfo(path: str = "/proc/cpuinfo") -> CpuInfo:
    vendor = model = "unknown"
    flags: frozenset[str] = frozenset()
    try:
        with open(path) as f:
            for line in f:
                if not line.strip():
                    break  # the first processor is enough
                name, _, value = line.partition(":")
                name, value = name.strip(), value.strip()
                if name == "vendor_id":
                    vendor = value
                elif name == "model name":
                    model = value
                elif name == "flags":
                    flags = frozenset(value.split())
    except OSError:
        pass
    return CpuInfo(platform.machine(), vendor, model, flags)


def _probe_pkey_alloc() -> tuple[bool, str]:
    try:
        key = syscalls.pkey_alloc()
    except OSCallError as e:
        if e.errno in (errno.EINVAL, errno.ENOSPC, errno.ENOSYS):
            name = errno.errorcode.get(e.errno, e.errno)
            return False, f"pkey_alloc refused: {name} (kernel or CPU gives no protection keys)"
        return False, str(e)
    syscalls.pkey_free(key)  # probe only: nothing was ever tagged with it
    return True, f"pkey_alloc works (probe got key {key})"


@functools.lru_cache(maxsize=1)
def detect() -> PkuSupport:
    """Probe once per process."""
    cpu = read_cpuinfo()
    kernel = platform.release()
    if cpu.arch not in ("x86_64", "AMD64"):
        return PkuSupport(False, f"architecture {cpu.arch} has no x86 protection keys", cpu, kernel)
    ok, probe = _probe_pkey_alloc()
    if "pku" not in cpu.flags:
        why = "CPU does not report the 'pku' flag (no Memory Protection Keys)"
    elif "ospke" not in cpu.flags:
        why = "CPU has 'pku' but the OS has not enabled it (no 'ospke' flag)"
    elif not ok:
        why = "CPU flags pku+ospke present"
    else:
        return PkuSupport(True, f"CPU flags pku+ospke present; {probe}", cpu, kernel)
    return PkuSupport(False, f"{why}; {probe}", cpu, kernel)
