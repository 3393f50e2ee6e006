"""The PKU guest harness itself: exit status, streams, shares, timeout, and
that the guest really has PKU (mpk info says pku with 15 keys)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from libmpk.vm import GuestError, image, run_captured
from libmpk.vm.guest import ensure_qemu, plan_shares
from libmpk.vm.initramfs import _entry

from .apptools import gone

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.boots_guest  # (after the session's pku guest: two QEMUs at once stalled)


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


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return out


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_run_killed_from_outside_takes_its_guest_with_it(guest, tmp_path, how):
    """A process running a guest, killed from outside, left qemu running
    alone (a core busy until its command ended) and its run folder behind.
    SIGKILL runs no cleanup: qemu must die with it anyway.  SIGTERM is an
    exit: the folder goes too, and the status says which signal."""
    runner = subprocess.Popen(
        [sys.executable, "-m", "libmpk", "vm", "--timeout", "600", "--", "sh", "-c", "echo up; exec sleep 600"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    try:
        # Once the command runs, nothing writes to the runner's pipes: qemu
        # is not ended by a write to a closed pipe.
        assert runner.stdout.readline() == b"up\n", "the guest's command never started"
        qemu = _children(runner.pid)
        assert qemu, "mpk vm's qemu not found"
        runner.send_signal(how)
        rc = runner.wait(60)
    finally:
        runner.kill()
        runner.wait()
    deadline = time.monotonic() + 30
    while not all(gone(p) for p in qemu) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in qemu if not gone(p)]
    for p in alive:
        os.kill(p, 9)
    assert not alive, "qemu outlived the process that ran it"
    if how == signal.SIGTERM:
        assert rc == 128 + signal.SIGTERM
        assert not list(tmp_path.glob("mpkvm-*")), "the run folder was left behind"


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


def assert_plan(shares: list[Path], expected: set[Path]) -> None:
    """The shares are exactly ``expected``, each mounted after any share that
    holds it.  Their order is otherwise free: it depends on where the checkout
    sits (CI clones to a deeper path than /tmp/x), so a test must not fix it."""
    assert set(shares) == expected and len(shares) == len(expected)
    for i, p in enumerate(shares):
        assert not any(q.is_relative_to(p) for q in shares[:i]), f"{p} mounted after a folder inside it"


def test_plan_shares_adds_what_the_guest_would_hide():
    """No boot: the folders each kind of path makes the harness share."""
    scratch = Path(tempfile.mkdtemp(dir="/tmp", prefix="mpkvm-plan-"))
    try:
        script = scratch / "run" / "script.sh"
        script.parent.mkdir()
        script.write_text("echo hi\n")
        venv = scratch / "venv"
        (venv / "bin").mkdir(parents=True)
        (venv / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
        (venv / "bin" / "python").symlink_to(sys.executable)
        lib = scratch / "lib"
        lib.mkdir()
        env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "PYTHONPATH": str(lib)}

        # --share adds to the checkout, never replaces it; a nested share is dropped.
        assert_plan(plan_shares(["true"], ROOT, env, [scratch, scratch / "run"]), {ROOT, scratch})
        # A script argument under /tmp: its folder.  /dev/null and /proc are the guest's own.
        assert_plan(plan_shares(["sh", str(script), "/dev/null", "/proc/cpuinfo"], ROOT, {}), {ROOT, script.parent})
        # The program found on PATH in a venv: the whole venv; PYTHONPATH entries; a new file's folder.
        shares = plan_shares(["python", f"--out={scratch / 'run' / 'new.json'}"], ROOT, env)
        assert_plan(shares, {ROOT, venv, lib, script.parent})
        # Paths on the host root outside /tmp stay with the read-only root.
        assert_plan(plan_shares([sys.executable, str(Path.home())], ROOT, {}), {ROOT})
        # A working folder deeper than a share (CI's clone sits under /check/work/):
        # a share holding it mounts it, in whatever order the paths come.
        deep = scratch / "run" / "a" / "b" / "c"
        deep.mkdir(parents=True)
        assert_plan(plan_shares(["true"], deep, {}, ["/tmp"]), {Path("/tmp")})
        assert_plan(plan_shares(["true"], deep, {}, [scratch / "venv"]), {deep, venv})
        with pytest.raises(GuestError, match="/dev/fd/63 .*--share"):
            plan_shares(["diff", "/dev/fd/63", str(script)], ROOT, {})
        with pytest.raises(GuestError, match="no such folder"):
            plan_shares(["true"], ROOT, {}, [scratch / "missing"])
    finally:
        shutil.rmtree(scratch)


def test_tmp_script_and_extra_share_with_the_checkout_as_cwd(guest):
    """One boot: a script under the host's /tmp runs (the guest's /tmp is its
    own tmpfs), and --share adds a folder while the checkout stays the cwd."""
    scratch = Path(tempfile.mkdtemp(dir="/tmp", prefix="mpkvm-test-"))
    try:
        (scratch / "run").mkdir()
        (scratch / "extra").mkdir()
        (scratch / "extra" / "marker").write_text("extra-visible\n")
        script = scratch / "run" / "script.sh"
        script.write_text(f"echo script-ran; pwd; cat {scratch}/extra/marker; echo from-guest > {scratch}/run/out\n")
        rc, out, err = run_captured(["sh", str(script)], cwd=ROOT, shares=[scratch / "extra"])
        assert rc == 0, err.decode()
        assert out.decode().splitlines() == ["script-ran", str(ROOT), "extra-visible"]
        assert (scratch / "run" / "out").read_text() == "from-guest\n"
    finally:
        shutil.rmtree(scratch)


def test_the_guests_clock_runs_at_the_hosts_rate(guest):
    """TCG's guest reads the host's TSC; its kernel is told the rate
    (host_tsc_khz) instead of calibrating it at boot -- once the guest's
    clock ran 2.5x fast and every timeout in the guest fired early.  The
    emulated RTC follows the host's clock: a 12 s sleep by the guest's
    clock must take at least ~12 s by it."""
    from libmpk.vm.guest import _qemu_cmd, host_tsc_khz

    khz = host_tsc_khz()
    if khz is not None:
        cmd = _qemu_cmd("qemu", image.Image(Path("k"), Path("i"), "v"), Path("/r"), [], "1G", 1, khz)
        assert cmd[cmd.index("-append") + 1].endswith(f" tsc_early_khz={khz}")
    script = (
        "r0=$(cat /sys/class/rtc/rtc0/since_epoch); sleep 12; r1=$(cat /sys/class/rtc/rtc0/since_epoch);"
        "echo $((r1 - r0)); cat /proc/cmdline"
    )
    rc, out, err = run_captured(["sh", "-c", script], cwd=ROOT)
    assert rc == 0, err.decode()
    lines = out.decode().splitlines()
    assert int(lines[0]) >= 11, lines  # (the RTC counts whole seconds)
    if khz is not None:  # (the rate measured for that boot: the same within 0.5%)
        told = [int(w.split("=")[1]) for w in lines[1].split() if w.startswith("tsc_early_khz=")]
        assert len(told) == 1 and abs(told[0] - khz) < khz / 200, (lines, khz)
