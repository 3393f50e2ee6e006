"""``mpk``: info, and (as the layers land) vm, audit, run, bench.

Subcommands import their layer lazily so ``mpk info`` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence


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
        print("mpk vm: give a command to run in the guest, e.g. mpk vm -- mpk info", file=sys.stderr)
        return 2
    try:
        return run(
            command,
            shares=args.share or None,
            timeout=args.timeout,
            memory=args.memory,
            cpus=args.cpus,
        )
    except GuestError as e:
        print(f"mpk vm: {e}", file=sys.stderr)
        return 125


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
        "read-only (throw-away overlay) and the checkout read-write at the same paths. Exit status, stdout "
        "and stderr are the command's; 124 on timeout, 125 if the guest itself failed.",
    )
    vm.add_argument("--timeout", type=float, default=1800.0, help="seconds before the guest is killed (1800)")
    vm.add_argument("--share", action="append", metavar="DIR", help="share DIR read-write (default: the checkout)")
    vm.add_argument("--memory", default="4G", help="guest memory (4G)")
    vm.add_argument("--cpus", type=int, default=2, help="guest CPUs (2)")
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
        "summary of the ratios. Exit 1 if a suite failed.",
    )
    add_bench(bench)
    bench.set_defaults(func=bench_main)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from libmpk.sandbox.errors import SandboxError

    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except SandboxError as e:
        print(f"mpk {args.command}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `mpk ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
