"""``mpk run``: run a JavaScript-like program (interpreter + protected JIT)."""

from __future__ import annotations

import argparse
import gc
import json
import sys


def add_parser(sub) -> None:
    run = sub.add_parser(
        "run",
        help="run a JavaScript-like program; hot numeric code is JIT-compiled into the protected code cache",
        description="Run FILE (or -e CODE). Hot functions and loops with numeric types are compiled with "
        "llvmlite into the jit/ code cache (scanned for PKRU gadgets, written only inside the W^X window).",
    )
    run.add_argument("file", nargs="?", help="program file")
    run.add_argument("-e", dest="code", metavar="CODE", help="run CODE instead of a file")
    run.add_argument("--no-jit", action="store_true", help="interpreter only")
    run.add_argument(
        "--wx",
        choices=("pku", "mprotect", "none"),
        help="W^X mode of the code cache (default: pku where available, else mprotect)",
    )
    run.add_argument("--stats", action="store_true", help="print JIT statistics to stderr at exit")
    run.add_argument("--stats-json", metavar="PATH", help="write the statistics as JSON")
    run.add_argument("--seed", type=int, default=42, help="Math.random seed")
    run.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from libmpk.sandbox.errors import SandboxError

    from .engine import Engine

    if args.code is None and args.file is None:
        print("mpk run: give a FILE or -e CODE", file=sys.stderr)
        return 2
    if args.code is not None:
        source, filename = args.code, "[eval]"
    else:
        try:
            with open(args.file, encoding="utf-8") as f:
                source = f.read()
        except OSError as e:
            print(f"mpk run: cannot read {args.file}: {e.strerror}", file=sys.stderr)
            return 2
        filename = args.file
    try:
        engine = Engine(jit=not args.no_jit, wx=args.wx, seed=args.seed)
    except SandboxError as e:
        print(f"mpk run: {e}", file=sys.stderr)
        return 2
    # Start-up (numba, llvmlite, the sandbox, the code cache) left ~100,000
    # long-lived objects; freezing them keeps the collector from walking them
    # again on every full collection while the program allocates (IR objects
    # during compilation above all).  This process is ours, so we may.
    gc.collect()
    gc.freeze()
    result = engine.run_source(source, filename)
    sys.stdout.flush()
    if result.error is not None:
        print(result.error_text, file=sys.stderr)
    if args.stats or args.stats_json:
        stats = engine.stats()
        if args.stats:
            print(render_stats(stats), file=sys.stderr)
        if args.stats_json:
            with open(args.stats_json, "w") as f:
                json.dump(stats, f, indent=2)
    return result.status


def render_stats(s: dict) -> str:
    lines = ["--- mpk run: JIT statistics ---"]
    if not s.get("jit"):
        lines.append("JIT disabled (--no-jit)")
        return "\n".join(lines)
    lines.append(
        f"backend {s['backend']}, code cache W^X {s.get('wx', '-')}: {s['functions_compiled']} functions + "
        f"{s['loops_compiled']} loops compiled in {s['modules']} modules, {s['compile_ms']:.1f} ms"
    )
    lines.append(
        f"code {s.get('code_bytes', 0)} bytes, {s.get('write_windows', 0)} write windows, "
        f"{s.get('scans', 0)} gadget scans, {s.get('scan_hits', 0)} hits, {s.get('replaced', 0)} re-placed, "
        f"{s.get('refused', 0)} refused, {s['blinded_constants']} constants blinded"
    )
    lines.append(
        f"{s['native_calls']} native calls, {s['osr_entries']} loop entries (OSR), {s['deopts']} deopts, "
        f"{s['guard_declines']} guard declines, {s['not_compiled']} not compiled"
    )
    for what, why in s.get("not_compiled_reasons", {}).items():
        lines.append(f"  not compiled: {what}: {why}")
    return "\n".join(lines)
