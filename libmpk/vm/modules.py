"""Kernel modules the guest's init must load, in dependency order.

The kernel package ships modules without modules.dep (depmod runs at install
time), so dependencies are read from each module's own ``.modinfo`` ELF
section ("depends=a,b") with pyelftools.
"""

from __future__ import annotations

from pathlib import Path

from elftools.elf.elffile import ELFFile

# What the guest needs: virtio PCI transport, 9p over virtio, overlayfs.
WANTED = ("virtio_pci", "9pnet_virtio", "9p", "overlay")


def _norm(name: str) -> str:
    return name.replace("-", "_")


def index(moddir: Path) -> dict[str, Path]:
    """Module name -> .ko path under ``moddir`` (lib/modules/VERSION)."""
    return {_norm(p.name[: -len(".ko")]): p for p in moddir.rglob("*.ko")}


def depends(path: Path) -> list[str]:
    with open(path, "rb") as f:
        sec = ELFFile(f).get_section_by_name(".modinfo")
        if sec is None:
            return []
        for field in sec.data().split(b"\0"):
            if field.startswith(b"depends="):
                return [_norm(d) for d in field[8:].decode().split(",") if d]
    return []


def load_order(moddir: Path, wanted: tuple[str, ...] = WANTED) -> list[Path]:
    """The modules ``wanted`` needs, dependencies first.  Built-ins are skipped."""
    mods = index(moddir)
    order: list[Path] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        path = mods.get(name)
        if path is None:  # built into the kernel
            return
        for dep in depends(path):
            visit(dep)
        order.append(path)

    for name in wanted:
        visit(_norm(name))
    return order
