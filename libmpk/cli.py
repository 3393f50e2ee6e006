"""``mpk``: info, and (as the layers land) vm, audit, run, bench.

Subcommands import their layer lazily so ``mpk info`` stays quick.

Errors: a command that cannot go on raises :class:`CommandError` (or lets a
``SandboxError`` or ``OSError`` through); :func:`main` turns each into one
line, ``mpk COMMAND: error: ...``, and exit status 2 -- never a traceback.
Bad arguments are refused by argparse itself (usage, one error line, exit 2),
so argument types below check ranges.  Ctrl-C exits 130 without a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence

# The mpk tool does no linear algebra: a BLAS thread pool (numpy starts one
# per core at import) would only add threads that every process-wide PKRU
# update must signal.  Before numpy is imported; the user's setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from libmpk.apps.cmdline import (  # noqa: E402 (after the pool setting)
    INTERRUPTED,
    USAGE_ERROR,
    CommandError,
    flush_standard_streams,
    positive,
)


def describe_os_error(e: OSError) -> str:
    """``OSError`` as one line: the reason, and the file if there is one."""
    reason = e.strerror or str(e)
    return f"{e.filename}: {reason}" if e.filename else reason


def _cmd_info(args: argparse.Namespace) -> int:
    from libmpk import sandbox

    if args.backend:
        sandbox.init(backend=args.backend)
    data = sandbox.info()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    from .infotext import render

    print(render(data))
    return 0


def _cmd_vm(args: argparse.Namespace) -> int:
    from .vm import GuestError, run

    command = list(args.command_args)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise CommandError("give a command to run in the guest, e.g. mpk vm -- mpk info")

    def leave(signum: int, _frame) -> None:  # (a SIGTERM or SIGHUP: run's cleanup still runs)
        raise SystemExit(128 + signum)

    old = {sig: signal.signal(sig, leave) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return run(
            command,
            shares=args.share or None,
            timeout=args.timeout,
            memory=args.memory,
            cpus=args.cpus,
        )
    except GuestError as e:
        raise CommandError(str(e), status=125) from None
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _cmd_audit(args: argparse.Namespace) -> int:
    from .audit import run_audit

    return run_audit(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mpk", description="libmpk for Python: virtual memory protection keys")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = sub.add_parser("info", help="machine, PKU support, backend and its guarantees")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.add_argument("--backend", choices=("pku", "mprotect"), help="initialise with this backend first")
    info.set_defaults(func=_cmd_info)

    vm = sub.add_parser(
        "vm",
        help="run a command on real PKU semantics inside a QEMU guest",
        description="Boot a QEMU (TCG, -cpu max) guest with PKU and run COMMAND in it, with the host's root "
        "read-only (throw-away overlay) and, read-write at the same paths, the checkout, each --share DIR, and "
        "the folders of host paths under /tmp or /dev/shm that COMMAND names (the guest's /tmp is its own). "
        "Exit status, stdout and stderr are the command's; 124 on timeout, 125 if the guest itself failed. "
        "Cost: ~15 s to boot and run `true`; Python is slow under emulation: `mpk vm -- .venv/bin/mpk info` "
        "takes 80-125 s, minutes more when numba's cache must compile for the guest's CPU.",
    )
    vm.add_argument("--timeout", type=positive(float), default=1800.0, help="seconds before the guest is killed (1800)")
    vm.add_argument(
        "--share",
        action="append",
        type=_directory,
        metavar="DIR",
        help="also share DIR read-write (repeatable; the checkout is always shared)",
    )
    vm.add_argument("--memory", default="4G", help="guest memory (4G)")
    vm.add_argument("--cpus", type=positive(int), default=2, help="guest CPUs (2)")
    vm.add_argument("command_args", nargs=argparse.REMAINDER, metavar="COMMAND")
    vm.set_defaults(func=_cmd_vm)

    audit = sub.add_parser(
        "audit",
        help="scan ELF files and live processes for PKRU-changing gadgets",
        description="Scan every byte offset of executable code for WRPKRU (0F 01 EF) and XRSTOR with a memory "
        "operand (0F AE /5). Exit 1 if a stray gadget is found, 0 if clean, 2 on errors.",
    )
    audit.add_argument("files", nargs="*", metavar="FILE", help="ELF files (executable sections)")
    audit.add_argument("--pid", type=int, action="append", default=[], help="a live process (repeatable)")
    audit.add_argument("--self", action="store_true", help="this process, with the sandbox and a JIT code cache loaded")
    audit.add_argument("--json", action="store_true", help="machine-readable output")
    audit.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help="progress on stderr")
    audit.set_defaults(func=_cmd_audit)

    from libmpk.apps.js.cli import add_parser as add_run
    from libmpk.apps.keyvault.cli import add_parser as add_keyvault
    from libmpk.apps.kvstore.cli import add_parser as add_kvstore

    add_run(sub)
    add_keyvault(sub)
    add_kvstore(sub)

    from libmpk.bench.cli import add_arguments as add_bench
    from libmpk.bench.cli import main as bench_main

    bench = sub.add_parser(
        "bench",
        help="the paper's evaluation: every benchmark suite, ratios, JSON and plots",
        description="Run the benchmark suites side by side in one process and print each suite's tables, then a "
        "summary of the ratios. Exit 1 if a suite failed, 2 on a usage error (unknown suite, unreadable "
        "or unwritable file).",
    )
    add_bench(bench)
    bench.set_defaults(func=bench_main)
    return p


def _directory(text: str) -> str:
    """An argparse type: an existing directory (QEMU would fail on any other)."""
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"not a directory: {text}")
    return text


def main(argv: Sequence[str] | None = None, *, leave_quickly: bool = False) -> int:
    """Run ``mpk ARGV``; its exit status.  The one place where a failure
    becomes the single line ``mpk COMMAND: error: ...`` (see the module doc).
    ``leave_quickly`` (the console script): a command that asks for it
    (``mpk run``) ends the process when it returns -- see :func:`_leave`."""
    try:
        return _run(argv, leave_quickly)
    except KeyboardInterrupt:  # at any point, the ~1 s of imports included
        return INTERRUPTED


def entry() -> None:
    """The ``mpk`` console script."""
    raise SystemExit(main(leave_quickly=True))


def _leave(status: int) -> None:
    """End the process now: flush the standard streams, run the exit
    handlers (the background compiler's worker is reaped by one), then exit
    without the interpreter's teardown.  After a JIT-compiled program that
    teardown freed the compiler's ~100,000 objects and the program's heap one
    by one -- ~0.5 s of an AWFY run whose benchmark took 0.1 s -- for a
    process the kernel takes back whole.  Only commands that hold no
    unflushed state of their own ask for it."""
    import atexit

    flush_standard_streams()
    atexit._run_exitfuncs()
    flush_standard_streams()  # (what the handlers printed)
    os._exit(status)


def _run(argv: Sequence[str] | None, leave_quickly: bool = False) -> int:
    from libmpk.sandbox.errors import SandboxError

    command = "mpk"
    try:
        args = build_parser().parse_args(argv)
        command = f"mpk {args.command}"
        func: Callable[[argparse.Namespace], int] = args.func
        status = func(args)
        if leave_quickly and getattr(args, "leave_quickly", False):
            _leave(status)
        return status
    except CommandError as e:
        return _fail(command, str(e), e.status)
    except SandboxError as e:
        return _fail(command, str(e), USAGE_ERROR)
    except BrokenPipeError:  # `mpk ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as e:
        return _fail(command, describe_os_error(e), USAGE_ERROR)


def _fail(command: str, message: str, status: int) -> int:
    print(f"{command}: error: {message}", file=sys.stderr)
    return status
