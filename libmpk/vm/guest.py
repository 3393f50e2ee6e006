"""Boot the PKU guest, run one command in it, return its exit status.

Output: the guest's ttyS0/ttyS1 are wired to FIFOs that this process copies
to its own stdout/stderr as they arrive; the kernel console goes to a log
shown only when the guest fails.  Exit status comes back through the shared
run folder.  Serial output is slow (~0.6 MB/s): keep guest output small.
"""

from __future__ import annotations

import os
import select
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from . import image

QEMU = "qemu-system-x86_64"
TIMEOUT_RC = 124
# Host variables that would mislead the guest's programs.
_ENV_DROP = {"PWD", "OLDPWD", "SHLVL", "_", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}


class GuestError(RuntimeError):
    """The guest could not be prepared, booted, or did not report an exit status."""


def ensure_qemu(log=print) -> str:
    """Path of qemu-system-x86_64, installing Debian's qemu-system-x86 if missing."""
    path = shutil.which(QEMU)
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise GuestError(f"{QEMU} not found; install qemu-system-x86 (needs root and apt)")
    log("mpk vm: installing qemu-system-x86 (once)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "qemu-system-x86"]
    if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise GuestError(f"apt-get install qemu-system-x86 failed: {p.stderr.strip()[-500:]}")
    path = shutil.which(QEMU)
    if not path:
        raise GuestError(f"{QEMU} still not found after installing qemu-system-x86")
    return path


def project_root(start: Path) -> Path:
    """The checkout containing ``start`` (git top level), else ``start`` itself."""
    p = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return Path(p.stdout.strip()) if p.returncode == 0 and p.stdout.strip() else start


def _script(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> str:
    lines = ["#!/bin/sh", "ulimit -c 0"]
    lines += [f"export {k}={shlex.quote(v)}" for k, v in sorted(env.items()) if k.isidentifier()]
    lines += [f"cd {shlex.quote(str(cwd))} || exit 126", "exec " + " ".join(shlex.quote(a) for a in argv)]
    return "\n".join(lines) + "\n"


def _qemu_cmd(qemu: str, img: image.Image, run: Path, shares: list[Path], memory: str, cpus: int) -> list[str]:
    cmd = [
        qemu,
        "-accel", "tcg,thread=multi",
        "-cpu", "max",
        "-smp", str(cpus),
        "-m", memory,
        "-nodefaults", "-no-reboot", "-display", "none", "-monitor", "none",
        "-kernel", str(img.kernel),
        "-initrd", str(img.initramfs),
        "-append", "console=ttyS2 panic=-1 quiet loglevel=4 rdinit=/init",
        "-chardev", f"pipe,id=out,path={run / 'out'}", "-serial", "chardev:out",
        "-chardev", f"pipe,id=err,path={run / 'err'}", "-serial", "chardev:err",
        "-chardev", f"file,id=con,path={run / 'console.log'}", "-serial", "chardev:con",
    ]  # fmt: skip
    exports = [("hostroot", Path("/"), True), ("mpkrun", run, False)]
    exports += [(f"share{i}", p, False) for i, p in enumerate(shares)]
    for i, (tag, path, ro) in enumerate(exports):
        opts = f"local,id=fs{i},path={path},security_model=none,multidevs=remap" + (",readonly=on" if ro else "")
        cmd += ["-fsdev", opts]
        cmd += ["-device", f"virtio-9p-pci,fsdev=fs{i},mount_tag={tag}"]
    return cmd


def run(
    argv: Sequence[str],
    *,
    cwd: str | os.PathLike | None = None,
    shares: Sequence[str | os.PathLike] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 1800.0,
    memory: str = "4G",
    cpus: int = 2,
    stdout: BinaryIO | None = None,
    stderr: BinaryIO | None = None,
    log=None,
) -> int:
    """Run ``argv`` in the PKU guest; its exit status (124 on timeout).

    ``shares`` are mounted read-write at their own paths (default: the
    checkout containing ``cwd``); everything else is the host's root,
    read-only with a throw-away overlay.
    """
    if not argv:
        raise GuestError("no command to run")
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    cwd = Path(cwd or os.getcwd()).resolve()
    share_paths = [Path(s).resolve() for s in (shares if shares is not None else [project_root(cwd)])]
    environ = {k: v for k, v in (env if env is not None else os.environ).items() if k not in _ENV_DROP}
    environ["MPK_IN_VM"] = "1"
    try:
        img = image.prepare(log)
    except image.ImageError as e:
        raise GuestError(str(e)) from None
    qemu = ensure_qemu(log)
    out_sink = stdout or sys.stdout.buffer
    err_sink = stderr or sys.stderr.buffer
    run_dir = Path(tempfile.mkdtemp(prefix="mpkvm-"))
    proc = None
    try:
        (run_dir / "shares").write_text("".join(f"share{i} {p}\n" for i, p in enumerate(share_paths)))
        (run_dir / "cmd.sh").write_text(_script(argv, cwd, environ))
        fds = {}
        for name in ("out", "err"):
            # QEMU's pipe backend uses NAME.out for output and NAME.in for input
            # (given NAME alone it would read its own output back as input).
            os.mkfifo(run_dir / f"{name}.in")
            os.mkfifo(run_dir / f"{name}.out")
            fds[name] = os.open(run_dir / f"{name}.out", os.O_RDONLY | os.O_NONBLOCK)
        cmd = _qemu_cmd(qemu, img, run_dir, share_paths, memory, cpus)
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        sinks = {fds["out"]: out_sink, fds["err"]: err_sink}
        deadline = time.monotonic() + timeout
        timed_out = False
        while True:
            exited = proc.poll() is not None
            ready, _, _ = select.select(list(sinks), [], [], 0.05)
            for fd in ready:
                try:
                    data = os.read(fd, 1 << 16)
                except BlockingIOError:
                    continue
                if data:
                    sinks[fd].write(data)
                    sinks[fd].flush()
                elif exited:
                    del sinks[fd]  # EOF after qemu is gone
            if exited and (not ready or not sinks):
                break
            if time.monotonic() > deadline and not exited:
                timed_out = True
                proc.kill()
        qemu_err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        for fd in fds.values():
            os.close(fd)
        if timed_out:
            log(f"mpk vm: timed out after {timeout:.0f}s; guest killed")
            return TIMEOUT_RC
        rc_file = run_dir / "rc"
        if not rc_file.exists():
            console = (run_dir / "console.log").read_text(errors="replace")[-3000:]
            raise GuestError(
                f"the guest ended without an exit status (qemu exit {proc.returncode})\n"
                f"qemu: {qemu_err.strip()[-1000:]}\nguest console:\n{console}"
            )
        return int(rc_file.read_text().strip() or 125)
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(run_dir, ignore_errors=True)


def run_captured(argv: Sequence[str], **kw) -> tuple[int, bytes, bytes]:
    """:func:`run`, returning (status, stdout, stderr) instead of streaming them."""
    import io

    out, err = io.BytesIO(), io.BytesIO()
    rc = run(argv, stdout=out, stderr=err, **kw)
    return rc, out.getvalue(), err.getvalue()
