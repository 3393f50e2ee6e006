"""Run commands on real PKU semantics, on any x86-64 Linux host.

QEMU's software CPU (``-accel tcg -cpu max``) implements protection keys, and
Debian's stock kernel enables them, so a guest booted from those shows
``pku ospke``.  The guest sees the host's root read-only (virtio-9p, with a
tmpfs overlay so writes work and vanish) and, read-write at the same paths,
the shared folders: always the project checkout, any extra ones asked for,
and the folders of the host paths under /tmp or /dev/shm that the command
names (its script, venv, PYTHONPATH) -- the guest has its own fresh tmpfs
there, which would hide them.  So the host's Python, venv and code run
unchanged inside.

Cost, measured on a 2-CPU x86-64 host that was busy with other work: ~15 s
to boot, run ``true`` and power off.  Python is the slow part under TCG:
``python -c pass`` takes ~5 s, ``import numba`` ~45 s, and ``mpk vm --
.venv/bin/mpk info`` 80-125 s in all -- several minutes more whenever numba's
on-disk cache has no entry for the guest's CPU yet (after a source change),
since every cached function then compiles under emulation.
"""

from .guest import GuestError, run, run_captured

__all__ = ["GuestError", "run", "run_captured"]
