"""A ~2 MB initramfs: busybox, the 9p/overlay modules and an init that
assembles the guest's root from the host's and runs one command.

The cpio "newc" format is written directly: it is a fixed ASCII header per
file, and no maintained Python package writes it without a C library.
"""

from __future__ import annotations

from pathlib import Path

INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
die() { echo "mpk-vm init: $*" > /dev/ttyS2; echo 125 > /mnt/run/rc 2>/dev/null; sync; poweroff -f; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do insmod "/lib/modules/$m" || die "insmod $m failed"; done
O=trans=virtio,version=9p2000.L,msize=512000
mkdir -p /mnt/run /mnt/lower /mnt/rw /root
mount -t 9p -o $O,cache=none mpkrun /mnt/run || die "cannot mount the run folder"
mount -t 9p -o $O,ro,cache=loose hostroot /mnt/lower || die "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
mount -t overlay overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work /root \
    || die "cannot mount the overlay root"
mount -t proc proc /root/proc
mount -t sysfs sysfs /root/sys
mount -t devtmpfs devtmpfs /root/dev
mkdir -p /root/dev/pts /root/dev/shm /root/tmp /root/run/mpkvm
mount -t devpts devpts /root/dev/pts
mount -t tmpfs tmpfs /root/dev/shm
mount -t tmpfs tmpfs /root/tmp
while read -r tag path; do
    mkdir -p "/root$path"
    mount -t 9p -o $O,cache=mmap "$tag" "/root$path" || die "cannot mount $path"
done < /mnt/run/shares
mount --bind /mnt/run /root/run/mpkvm
ip link set lo up || die "cannot bring up the loopback interface"
stty -F /dev/ttyS0 raw -echo 2>/dev/null
stty -F /dev/ttyS1 raw -echo 2>/dev/null
chroot /root /bin/sh /run/mpkvm/cmd.sh < /dev/null > /dev/ttyS0 2> /dev/ttyS1
echo $? > /mnt/run/rc
sync
poweroff -f
"""


def _entry(name: str, mode: int, data: bytes = b"", ino: int = 0, rdev: tuple[int, int] = (0, 0)) -> bytes:
    encoded = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(encoded), 0)
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = head + encoded
    out += b"\0" * (-len(out) % 4)
    out += data + b"\0" * (-len(data) % 4)
    return out


def build(out: Path, busybox: Path, modules: list[Path]) -> None:
    parts: list[bytes] = []
    ino = 1

    def add(name: str, mode: int, data: bytes = b"", rdev: tuple[int, int] = (0, 0)) -> None:
        nonlocal ino
        parts.append(_entry(name, mode, data, ino, rdev))
        ino += 1

    for d in ("bin", "dev", "proc", "sys", "mnt", "root", "lib", "lib/modules"):
        add(d, 0o040755)
    add("dev/console", 0o020600, rdev=(5, 1))
    add("bin/busybox", 0o100755, busybox.read_bytes())
    add("bin/sh", 0o120777, b"busybox")
    add("init", 0o100755, INIT.encode())
    for m in modules:
        add(f"lib/modules/{m.name}", 0o100644, m.read_bytes())
    add("modules.order", 0o100644, "".join(f"{m.name}\n" for m in modules).encode())
    parts.append(_entry("TRAILER!!!", 0))
    out.write_bytes(b"".join(parts))
