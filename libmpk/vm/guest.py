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

from libmpk.sandbox.hw import syscalls

from . import image

QEMU = "qemu-system-x86_64"
TIMEOUT_RC = 124
# Host variables that would mislead the guest's programs.
_ENV_DROP = {"PWD", "OLDPWD", "SHLVL", "_", "DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"}
# The guest mounts its own tmpfs on these, hiding the host's files there: a
# host path under one is visible in the guest only through a share.
GUEST_TMPFS = (Path("/tmp"), Path("/dev/shm"))
# The guest's own kernel views: a path there names the guest's, not the host's.
_GUEST_OWN = (Path("/dev"), Path("/proc"), Path("/sys"))
# A host process's own file descriptors (e.g. bash's <(...)): no share can
# carry them.
_HOST_FDS = (Path("/dev/fd"), Path("/proc/self/fd"))


class GuestError(RuntimeError):
    """The guest could not be prepared, booted, or did not report an exit status."""


def ensure_tool(command: str, package: str, log=print) -> str:
    """Path of ``command``, installing Debian's ``package`` if it is missing
    (root and apt-get needed: a fresh machine has neither qemu nor strace)."""
    path = shutil.which(command)
    if path:
        return path
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise GuestError(f"{command} not found; install {package} (needs root and apt)")
    log(f"mpk vm: installing {package} (once)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
    if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise GuestError(f"apt-get install {package} failed: {p.stderr.strip()[-500:]}")
    path = shutil.which(command)
    if not path:
        raise GuestError(f"{command} still not found after installing {package}")
    return path


def ensure_qemu(log=print) -> str:
    """Path of qemu-system-x86_64, installing Debian's qemu-system-x86 if missing."""
    return ensure_tool(QEMU, "qemu-system-x86", log)


def project_root(start: Path) -> Path:
    """The checkout containing ``start`` (git top level), else ``start`` itself."""
    p = subprocess.run(["git", "-C", str(start), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    return Path(p.stdout.strip()) if p.returncode == 0 and p.stdout.strip() else start


def _script(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> str:
    lines = ["#!/bin/sh", "ulimit -c 0"]
    lines += [f"export {k}={shlex.quote(v)}" for k, v in sorted(env.items()) if k.isidentifier()]
    # $TMPDIR is scratch, but a host TMPDIR under /tmp is missing in the guest's
    # fresh /tmp, where mktemp would fail and Python silently fall back to /tmp.
    lines += ['[ -z "${TMPDIR:-}" ] || mkdir -p "$TMPDIR" 2>/dev/null']
    lines += [f"cd {shlex.quote(str(cwd))} || exit 126", "exec " + " ".join(shlex.quote(a) for a in argv)]
    return "\n".join(lines) + "\n"


def _within(path: Path, folders: Sequence[Path]) -> bool:
    return any(path == f or f in path.parents for f in folders)


def _both(path: Path) -> list[Path]:
    """``path`` as named and with symlinks resolved: the guest follows a
    symlink to its target, so both must be visible there."""
    return [path, Path(os.path.realpath(path))]


def _holder(path: Path) -> Path | None:
    """The folder to share so that ``path`` is there: itself if a folder, else
    the folder holding it (a file, or a new file the command may write)."""
    if os.path.isdir(path):
        return path
    return path.parent if os.path.isdir(path.parent) else None


def _program_folders(exe: Path, env: dict[str, str], depth: int = 0) -> list[Path]:
    """Folders a program needs: an executable in ``bin/`` needs the prefix
    above (a venv's pyvenv.cfg and lib/, an installation's lib/), a venv its
    base interpreter, a script its ``#!`` interpreter."""
    folders: list[Path] = []
    for path in _both(exe):
        folders.append(path.parent.parent if path.parent.name == "bin" else path.parent)
        cfg = folders[-1] / "pyvenv.cfg"
        if os.path.isfile(cfg):
            for line in cfg.read_text(errors="replace").splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "home" and value.strip():
                    home = Path(value.strip())  # the base interpreter's bin/
                    folders.append(home.parent if home.name == "bin" else home)
    if depth < 2:
        try:
            with open(exe, "rb") as f:
                head = f.read(256).split(b"\n")[0]
        except OSError:
            head = b""
        words = head[2:].decode(errors="replace").split() if head.startswith(b"#!") else []
        if len(words) >= 2 and os.path.basename(words[0]) == "env":
            words = [shutil.which(words[1], path=env.get("PATH", os.defpath)) or ""]
        if words and words[0].startswith("/"):
            folders += _program_folders(Path(words[0]), env, depth + 1)
    return folders


def plan_shares(
    argv: Sequence[str], cwd: Path, env: dict[str, str], extra: Sequence[str | os.PathLike] = ()
) -> list[Path]:
    """The folders to share read-write, parents first: the checkout holding
    ``cwd`` (so the command's working directory is there), each of ``extra``,
    and every folder the guest would otherwise hide from the command.

    The guest sees the host's root, but its own tmpfs on /tmp and /dev/shm: a
    script, venv or PYTHONPATH entry there would be "No such file" in the
    guest.  So the folders of such paths -- arguments naming existing host paths
    (or new files in existing folders), the program and its interpreter,
    PYTHONPATH entries, $VIRTUAL_ENV -- are shared too.  Paths elsewhere are
    left to the read-only host root, as documented.  What cannot be shared is
    refused with a :class:`GuestError` naming it.
    """
    shares = [project_root(cwd)]
    for s in extra:
        path = Path(cwd, s).resolve()
        if not path.is_dir():
            raise GuestError(f"--share {s}: no such folder")
        shares.append(path)

    wanted: list[Path] = []
    exe = argv[0] if "/" in argv[0] else shutil.which(argv[0], path=env.get("PATH", os.defpath))
    if exe and os.path.isfile(Path(cwd, exe)):
        wanted += _program_folders(Path(os.path.normpath(Path(cwd, exe))), env)
    named = [a.partition("=")[2] if a.startswith("-") and "=" in a else a for a in argv]
    named += env.get("PYTHONPATH", "").split(os.pathsep) + [env.get("VIRTUAL_ENV", "")]
    for arg in filter(None, named):
        path = Path(os.path.normpath(Path(cwd, arg)))
        if _within(path, _HOST_FDS):
            raise GuestError(
                f"{arg} is a file descriptor of this host process, which the guest cannot see: "
                "write it to a file in a folder given with --share"
            )
        if _within(path, _GUEST_OWN) and not _within(path, GUEST_TMPFS):
            continue  # /dev/null, /proc/cpuinfo: the guest's are meant
        wanted += filter(None, map(_holder, _both(path)))

    for folder in wanted:
        if _within(folder, GUEST_TMPFS) and not _within(folder, shares):
            shares.append(folder)
    for path in shares:
        if "\n" in str(path):
            raise GuestError(f"cannot share {str(path)!r} with the guest: its name has a newline")
    # Parents first, and a folder inside another share is already there.
    shares.sort(key=lambda p: len(p.parts))
    return [p for i, p in enumerate(shares) if not _within(p, shares[:i])]


def host_tsc_khz() -> int | None:
    """The host's time-stamp counter rate, in kHz, or None where it is not
    constant.  TCG's guest reads the host's TSC, and its kernel calibrates
    the rate at boot against the emulated HPET; with ``tsc=reliable`` a bad
    early value stays (the later refinement may move it only within 1%).
    Once the guest's clock ran 2.5x fast -- its pytest said 3908 s where the
    host timed the whole guest at 1525 s -- and every timeout in the guest
    fired early.  Measured here against CLOCK_MONOTONIC and given to the
    guest's kernel, so it does not calibrate at all.  None also where numba
    cannot run here: the guest then calibrates for itself, as before."""
    from libmpk.sandbox.hw import cpu

    if "constant_tsc" not in cpu.read_cpuinfo().flags:
        return None
    try:
        from libmpk.sandbox.store import stamp  # (rdtsc, compiled: numba's cache)

        stamp()
    except Exception:
        return None
    rates = []
    for _ in range(3):
        t0, c0 = time.perf_counter_ns(), stamp()
        time.sleep(0.03)
        c1, t1 = stamp(), time.perf_counter_ns()
        rates.append((c1 - c0) * 1_000_000 // (t1 - t0))  # cycles per ms
    return sorted(rates)[1]


def _qemu_cmd(
    qemu: str, img: image.Image, run: Path, shares: list[Path], memory: str, cpus: int, tsc_khz: int | None = None
) -> list[str]:
    tsc = f" tsc_early_khz={tsc_khz}" if tsc_khz else ""
    cmd = [
        qemu,
        "-accel", "tcg,thread=multi",
        "-cpu", "max",
        "-smp", str(cpus),
        "-m", memory,
        "-nodefaults", "-no-reboot", "-display", "none", "-monitor", "none",
        "-kernel", str(img.kernel),
        "-initrd", str(img.initramfs),
        # tsc: the clock hardware has -- read in the vDSO, no system call --
        # instead of the HPET the kernel picks under TCG (every clock read a
        # syscall: strace counts differ from silicon's, timers run slower)
        "-append", "console=ttyS2 panic=-1 quiet loglevel=4 rdinit=/init tsc=reliable clocksource=tsc" + tsc,
        "-chardev", f"pipe,id=out,path={run / 'out'}", "-serial", "chardev:out",
        "-chardev", f"pipe,id=err,path={run / 'err'}", "-serial", "chardev:err",
        "-chardev", f"file,id=con,path={run / 'console.log'}", "-serial", "chardev:con",
    ]  # fmt: skip
    exports = [("hostroot", Path("/"), True), ("mpkrun", run, False)]
    exports += [(f"share{i}", p, False) for i, p in enumerate(shares)]
    for i, (tag, path, ro) in enumerate(exports):
        path = str(path).replace(",", ",,")  # QEMU's option syntax escapes a comma by doubling it
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
    nice: int = 0,
    stdout: BinaryIO | None = None,
    stderr: BinaryIO | None = None,
    log=None,
) -> int:
    """Run ``argv`` in the PKU guest; its exit status (124 on timeout).

    Mounted read-write at their own paths: the checkout containing ``cwd``,
    each of ``shares`` (in addition, never instead), and the folders of host
    paths under /tmp or /dev/shm that the command names (see
    :func:`plan_shares`); everything else is the host's root, read-only with
    a throw-away overlay, so writes there vanish.  ``nice`` lowers QEMU's
    priority: a guest working beside other work takes only the CPU it leaves.
    """
    if not argv:
        raise GuestError("no command to run")
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    cwd = Path(cwd or os.getcwd()).resolve()
    environ = {k: v for k, v in (env if env is not None else os.environ).items() if k not in _ENV_DROP}
    share_paths = plan_shares(argv, cwd, environ, shares or ())
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
        cmd = _qemu_cmd(qemu, img, run_dir, share_paths, memory, cpus, host_tsc_khz())
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=_starter(nice),
        )
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


def _starter(nice: int):
    arm = syscalls.dies_with_us()  # (no guest left running alone if we are killed)

    def start() -> None:
        arm()
        if nice:
            os.nice(nice)

    return start


def run_captured(argv: Sequence[str], **kw) -> tuple[int, bytes, bytes]:
    """:func:`run`, returning (status, stdout, stderr) instead of streaming them."""
    import io

    out, err = io.BytesIO(), io.BytesIO()
    rc = run(argv, stdout=out, stderr=err, **kw)
    return rc, out.getvalue(), err.getvalue()
