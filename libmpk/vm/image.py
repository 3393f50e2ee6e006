"""The guest's kernel and initramfs, fetched and built once, cached outside
the repository ($MPK_VM_CACHE, default ~/.cache/libmpk-py/vm).

- Kernel: Debian's ``linux-image-amd64`` resolved to its current ABI package
  at run time (the number rotates on the mirror), ``apt-get download`` +
  ``dpkg-deb -x``; nothing is installed on the host.  The uncompressed vmlinux
  is cut out of the bzImage because booting it directly (PVH) skips the slow
  decompression under TCG.
- Initramfs: busybox-static (also downloaded, not installed), the 9p/overlay
  modules in dependency order, and the init script from libmpk.vm.initramfs.
"""

from __future__ import annotations

import fcntl
import lzma
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import initramfs, modules

KERNEL_META = "linux-image-amd64"
BUSYBOX = "busybox-static"
FORMAT = 4  # bump when the cached layout or the init script changes


class ImageError(RuntimeError):
    pass


@dataclass(frozen=True)
class Image:
    kernel: Path
    initramfs: Path
    version: str


def cache_dir() -> Path:
    return Path(os.environ.get("MPK_VM_CACHE") or Path.home() / ".cache" / "libmpk-py" / "vm")


def _run(cmd: list[str], cwd: Path | None = None) -> str:
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        raise ImageError(f"{cmd[0]} not found: the PKU guest needs a Debian-style host (apt, dpkg-deb)") from None
    if p.returncode != 0:
        raise ImageError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()[-800:]}")
    return p.stdout


_updated = False


def _apt_update() -> None:
    global _updated
    if not _updated:
        _run(["apt-get", "update", "-q"])
        _updated = True


def kernel_package() -> str:
    """linux-image-amd64's current dependency, e.g. linux-image-6.1.0-56-amd64."""
    pinned = os.environ.get("MPK_VM_KERNEL_PACKAGE")
    if pinned:
        return pinned
    for attempt in range(2):
        try:
            out = _run(["apt-cache", "depends", KERNEL_META])
        except ImageError:
            out = ""
        m = re.search(r"Depends:\s*(linux-image-[0-9][\w.+-]*)", out)
        if m:
            return m.group(1)
        if attempt == 0:
            _apt_update()
    raise ImageError(f"cannot resolve {KERNEL_META} to a kernel package (apt-cache depends found none)")


def _download(package: str, dest: Path) -> Path:
    for attempt in range(2):
        try:
            _run(["apt-get", "download", "-q", package], cwd=dest)
            break
        except ImageError:
            if attempt:
                raise
            _apt_update()
    debs = sorted(dest.glob(f"{package}_*.deb"))
    if not debs:
        raise ImageError(f"apt-get download {package} produced no .deb")
    return debs[-1]


def extract_vmlinux(bzimage: Path, out: Path) -> bool:
    """Cut the xz-compressed vmlinux out of a bzImage; False if it is not there."""
    data = bzimage.read_bytes()
    start = data.find(b"\xfd7zXZ\x00")
    if start < 0:
        return False
    try:
        elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[start:])
    except lzma.LZMAError:
        return False
    if not elf.startswith(b"\x7fELF"):
        return False
    out.write_bytes(elf)
    return True


def prepare(log=print) -> Image:
    """The cached image for the current kernel package, building it if needed."""
    package = kernel_package()
    root = cache_dir() / f"{package}.v{FORMAT}"
    done = root / "ready"
    if done.exists():
        return _image(root)
    root.mkdir(parents=True, exist_ok=True)
    # Two builders at once (the test session's guest beside a test that boots
    # its own) would write the same files under each other's readers.
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            log(f"mpk vm: preparing guest image {package} in {root} (once)")
            _build(root, package)
            done.write_text("ok\n")
    return _image(root)


def _build(root: Path, package: str) -> None:
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        tmpd = Path(tmp)
        _run(["dpkg-deb", "-x", str(_download(package, tmpd)), str(tmpd / "kernel")])
        _run(["dpkg-deb", "-x", str(_download(BUSYBOX, tmpd)), str(tmpd / "busybox")])
        boot = tmpd / "kernel" / "boot"
        vmlinuz = next(boot.glob("vmlinuz-*"))
        version = vmlinuz.name[len("vmlinuz-") :]
        if not extract_vmlinux(vmlinuz, root / "vmlinux"):
            shutil.copy(vmlinuz, root / "vmlinuz")
        moddir = tmpd / "kernel" / "lib" / "modules" / version
        mods = modules.load_order(moddir)
        busybox = tmpd / "busybox" / "bin" / "busybox"
        initramfs.build(root / "initramfs.cpio", busybox, mods)
        (root / "version").write_text(version)


def _image(root: Path) -> Image:
    kernel = root / "vmlinux" if (root / "vmlinux").exists() else root / "vmlinuz"
    return Image(kernel, root / "initramfs.cpio", (root / "version").read_text().strip())
