"""The PKU guest harness itself: exit status, streams, shares, timeout, and
that the guest really has PKU (mpk info says pku with 15 keys)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from libmpk.vm import GuestError, image, run_captured
from libmpk.vm.guest import ensure_qemu
from libmpk.vm.initramfs import _entry

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def guest() -> None:
    """Skip (or, with MPK_REQUIRE_PKU=1, fail) where no guest can be built."""
    if os.environ.get("MPK_VM") == "0":
        pytest.skip("MPK_VM=0: the PKU guest is disabled")
    try:
        ensure_qemu(log=lambda m: None)
        image.prepare(log=lambda m: None)
    except (GuestError, image.ImageError) as e:
        if os.environ.get("MPK_REQUIRE_PKU") == "1":
            pytest.fail(f"MPK_REQUIRE_PKU=1 but the guest cannot be built: {e}")
        pytest.skip(f"no PKU guest here: {e}")


def test_newc_entries_are_aligned_and_parse():
    blob = _entry("init", 0o100755, b"#!/bin/sh\n", ino=3) + _entry("TRAILER!!!", 0)
    assert blob[:6] == b"070701"
    fields = [int(blob[6 + 8 * i : 14 + 8 * i], 16) for i in range(13)]
    ino, mode, filesize, namesize = fields[0], fields[1], fields[6], fields[11]
    assert (ino, mode, filesize, namesize) == (3, 0o100755, 10, 5)
    name_end = 110 + namesize
    data_start = name_end + (-name_end % 4)
    assert blob[110:name_end] == b"init\0"
    assert blob[data_start : data_start + filesize] == b"#!/bin/sh\n"
    assert len(blob) % 4 == 0


def test_exit_status_and_streams(guest):
    rc, out, err = run_captured(["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 7"], cwd=ROOT)
    assert (rc, out, err) == (7, b"to-stdout\n", b"to-stderr\n")


def test_timeout_kills_the_guest(guest):
    rc, _, _ = run_captured(["sleep", "600"], cwd=ROOT, timeout=3, log=lambda m: None)
    assert rc == 124


def test_guest_has_pku_and_shares_the_checkout(guest):
    with tempfile.TemporaryDirectory(dir=ROOT, prefix=".vmtest-") as tmp:
        script = (
            "grep -c -w pku /proc/cpuinfo > /dev/null && grep -q -w ospke /proc/cpuinfo && echo pku-ospke;"
            f"echo written-in-guest > {tmp}/from-guest;"
            "echo scratch > /etc/mpkvm-scratch && echo host-root-writable-overlay;"
            f"{sys.executable} -m libmpk info --json"
        )
        rc, out, err = run_captured(["sh", "-c", script], cwd=ROOT)
        assert rc == 0, err.decode()
        lines = out.decode().splitlines()
        assert lines[0] == "pku-ospke" and lines[1] == "host-root-writable-overlay"
        assert Path(tmp, "from-guest").read_text() == "written-in-guest\n"  # the checkout is shared read-write
    assert not Path("/etc/mpkvm-scratch").exists()  # the host root is not
    info = json.loads("\n".join(lines[2:]))
    assert info["backend"] == "pku" and info["hw_keys"] == 15 and info["pku_available"] is True
