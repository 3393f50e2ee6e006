"""``mpk``: info, and (as the layers land) vm, audit, run, bench.

Subcommands import their layer lazily so ``mpk info`` stays quick.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence


def _cmd_info(args: argparse.Namespace) -> int:
    import sandbox

    if args.backend:
        sandbox.init(backend=args.backend)
    data = sandbox.info()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    from .infotext import render

    print(render(data))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mpk", description="libmpk for Python: virtual memory protection keys")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    info = sub.add_parser("info", help="machine, PKU support, backend and its guarantees")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.add_argument("--backend", choices=("pku", "mprotect"), help="initialise with this backend first")
    info.set_defaults(func=_cmd_info)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from sandbox.errors import SandboxError

    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except SandboxError as e:
        print(f"mpk {args.command}: error: {e}", file=sys.stderr)
        return 2
