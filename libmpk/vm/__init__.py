"""Run commands on real PKU semantics, on any x86-64 Linux host.

QEMU's software CPU (``-accel tcg -cpu max``) implements protection keys, and
Debian's stock kernel enables them, so a guest booted from those shows
``pku ospke``.  The guest sees the host's root read-only (virtio-9p, with a
tmpfs overlay so writes work and vanish) and the shared folders -- by default
the project checkout -- read-write at the same paths, so the host's Python,
venv and code run unchanged inside.
"""

from .guest import GuestError, run, run_captured

__all__ = ["GuestError", "run", "run_captured"]
