"""``mpk run``: run a JavaScript-like program (interpreter + protected JIT)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn, TextIO

if TYPE_CHECKING:
    from .engine import Engine


def add_parser(sub) -> None:
    run = sub.add_parser(
        "run",
        help="run a JavaScript-like program; hot numeric code is JIT-compiled into the protected code cache",
        description="Run FILE (or -e CODE). Hot functions and loops with numeric types are compiled with "
        "llvmlite into the jit/ code cache (scanned for PKRU gadgets, written only inside the W^X window). "
        "Exit status: 0 done, 1 an uncaught JS error, 2 a usage error, 70 an engine bug, 130 Ctrl-C.",
    )
    run.add_argument("file", nargs="?", help="program file")
    run.add_argument(
        "argv", nargs="*", help="arguments the program sees in process.argv[2:] (after -- if they look like options)"
    )
    run.add_argument("-e", dest="code", metavar="CODE", help="run CODE instead of a file")
    run.add_argument("--no-jit", action="store_true", help="interpreter only")
    run.add_argument(
        "--preload-jit",
        action="store_true",
        help="load the compiler before the program starts (~0.5 s here) rather than when code gets hot: "
        "a program that times itself then times its own code, not the load",
    )
    run.add_argument(
        "--wx",
        choices=("pku", "mprotect", "none"),
        help="W^X mode of the code cache (default: pku where available, else mprotect)",
    )
    run.add_argument(
        "--no-background-jit",
        action="store_true",
        help="one tier: build every module at O2 at once, on the program's thread (default: a quick baseline "
        "build first, then O2 on another thread, swapped in when ready)",
    )
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="parse and compile everything afresh (default: a file's tree, once parsed at two runs, and each "
        "compiled module's object are kept in $MPK_JS_CACHE, ~/.cache/libmpk-py/js, for the runs after)",
    )
    run.add_argument("--stats", action="store_true", help="print JIT statistics to stderr at exit")
    run.add_argument("--stats-json", metavar="PATH", help="write the statistics as JSON")
    run.add_argument("--seed", type=int, default=42, help="Math.random seed")
    run.set_defaults(func=main, leave_quickly=True)  # (libmpk.cli._leave: nothing to tear down)


def main(args: argparse.Namespace) -> int:
    from libmpk.apps.cmdline import INTERRUPTED, CommandError

    from .engine import Engine
    from .parsecache import ParseCache, default_dir

    if (args.code is None) == (args.file is None):
        raise CommandError("give either a FILE or -e CODE" + (", not both" if args.code is not None else ""))
    if args.code is not None:
        source, filename = decode_source(os.fsencode(args.code)), "[eval]"
    else:
        source, filename = decode_source(_read(args.file)), args.file
    if not args.no_jit:
        _check_backend(args.wx)
    argv = ["mpk", os.path.abspath(args.file) if args.file else "[eval]", *args.argv]
    engine = Engine(
        jit=not args.no_jit,
        wx=args.wx,
        seed=args.seed,
        out=_ProgramOutput(sys.stdout),
        argv=argv,
        background_jit=not args.no_background_jit,
    )
    if not args.no_cache and (cache_dir := default_dir()) is not None:
        engine.parse_cache = ParseCache(cache_dir)
    if engine.tier is not None:
        # This process is ours: once the compiler loads, its ~100,000
        # long-lived objects (numba, llvmlite, the sandbox) are frozen, so
        # full collections while the program allocates (IR objects during
        # compilation above all) do not walk them again.
        engine.tier.freeze = True
        if args.preload_jit:
            engine.tier.load()
    gc.collect()
    gc.freeze()
    try:
        result = engine.run_source(source, filename)
    except KeyboardInterrupt:
        # (a program too slow to wait for is the one whose statistics say why)
        _report(args, engine, "interrupted by Ctrl-C: the counts so far")
        _exit_now(INTERRUPTED)
    sys.stdout.flush()
    if result.error is not None:
        print(result.error_text, file=sys.stderr)
    _report(args, engine)
    return result.status


def _report(args, engine: Engine, why: str | None = None) -> None:
    """``--stats`` / ``--stats-json``.  After Ctrl-C the program's thread
    runs on (nothing can stop it): the counts are those of the moment read."""
    if not (args.stats or args.stats_json):
        return
    stats = engine.stats()
    if why is not None:
        stats["interrupted"] = why
    if args.stats:
        print(render_stats(stats) + (f"\n({why})" if why else ""), file=sys.stderr)
    if args.stats_json:
        with open(args.stats_json, "w") as f:
            json.dump(stats, f, indent=2)


def decode_source(data: bytes) -> str:
    """Source text as node reads it: UTF-8, each invalid sequence becoming
    U+FFFD -- harmless in strings and comments, a SyntaxError from the
    lexer anywhere else."""
    return data.decode("utf-8", errors="replace")


def _read(path: str) -> bytes:
    from libmpk.apps.cmdline import CommandError

    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror}") from None


def _check_backend(wx: str | None) -> None:
    """Refuse up front (exit 2, as ``mpk info`` refuses) what would otherwise
    quietly turn the JIT off: a bad MPK_BACKEND, or ``--wx pku`` -- a demand,
    not a preference -- where this process gets no protection keys (no PKU,
    or MPK_BACKEND=mprotect).  Only the backend is chosen here; the sandbox
    and the JIT behind it load when the first function gets hot."""
    if wx != "pku" and not os.environ.get("MPK_BACKEND"):
        return  # nothing to refuse: the automatic choice always works
    from libmpk.apps.cmdline import CommandError
    from libmpk.sandbox import backend

    chosen = backend.select()
    if wx == "pku" and chosen.name != backend.PKU:
        raise CommandError(
            f"--wx pku needs protection keys, but the sandbox backend is {chosen.name} "
            f"({chosen.why}); use --wx mprotect"
        )


class _ProgramOutput:
    """The program's stdout.  Once its reader has gone (``mpk run p.js |
    head``) the program stops quietly, as SIGPIPE stops ``yes | head``,
    rather than the BrokenPipeError surfacing as an engine bug (exit 70)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())
            _exit_now(0)


def _exit_now(status: int) -> NoReturn:
    """Leave at once, quietly.  The program runs on a thread of its own that
    nothing can stop (Ctrl-C reaches the main thread only), so a normal
    interpreter exit would wait for it forever."""
    from libmpk.apps.cmdline import flush_standard_streams

    flush_standard_streams()
    os._exit(status)


def render_stats(s: dict) -> str:
    lines = ["--- mpk run: JIT statistics ---"]
    pc = s.get("disk_cache")
    if pc:
        objects = ""
        if "objects_read" in pc:
            objects = f"; {pc['objects_read']} compiled objects read, {pc['objects_stored']} stored"
            if pc["objects_refused"]:
                objects += f", {pc['objects_refused']} refused (dropped and built again)"
        lines.append(
            f"disk cache {pc['dir']}: {pc['read']} trees read, {pc['parsed']} parsed ({pc['stored']} stored){objects}"
        )
    if not s.get("jit"):
        lines.append("JIT disabled (--no-jit)")
        return "\n".join(lines)
    if not s.get("jit_loaded"):
        from .hotness import LOAD_CALLS, LOAD_LOOPS

        lines.append(
            "JIT not loaded: nothing compilable got hot enough to load the compiler for "
            f"({LOAD_CALLS} calls of a function, {LOAD_CALLS // 10} of one with loops, {LOAD_LOOPS} loop iterations)"
        )
        lines += [f"  not compiled: {what}: {why}" for what, why in s.get("not_compiled_reasons", {}).items()]
        return "\n".join(lines)
    lines.append(f"compiler loaded in {s['jit_load_ms']:.0f} ms (numba, llvmlite, the sandbox, the code cache)")
    lines.append(
        f"backend {s['backend']}, code cache W^X {s.get('wx', '-')}: {s['functions_compiled']} functions + "
        f"{s['loops_compiled']} loops compiled in {s['modules']} modules, {s['compile_ms']:.1f} ms "
        f"({s.get('callees_copied', 0)} small callees copied into their callers' modules, to inline)"
    )
    lines.append(
        f"code {s.get('code_bytes', 0)} bytes, {s.get('write_windows', 0)} write windows, "
        f"{s.get('scans', 0)} gadget scans, {s.get('scan_hits', 0)} hits, {s.get('replaced', 0)} re-placed, "
        f"{s.get('refused', 0)} refused, {s['blinded_constants']} constants blinded"
    )
    lines.append(
        f"{s['native_calls']} native calls, {s['osr_entries']} loop entries (OSR), {s['deopts']} deopts, "
        f"{s.get('cold_exits', 0)} cold exits, {s.get('native_allocations', 0)} objects and arrays allocated natively "
        f"({s.get('built_in_place', 0)} built in place, "
        f"{s.get('allocation_exits', 0)} exits with the run's heap full), "
        f"{s.get('string_chunks', 0)} chunks of strings made, "
        f"{s['guard_declines']} guard declines, {s['not_compiled']} not compiled, "
        f"{s.get('entries_declined', 0)} entries left to the interpreter, "
        f"{s.get('closures_rebound', 0)} closures entering another closure's code with their own variables, "
        f"{s.get('loops_rebound', 0)} loop entries calling another call's nested functions with their own"
    )
    lines.append(
        f"{s.get('ic_sites', 0)} inline caches: {s.get('ic_patches', 0)} patched in place, "
        f"{s.get('ic_misses', 0)} misses ({s.get('ic_own_methods', 0)} calls of own methods), "
        f"{s.get('ic_megamorphic', 0)} megamorphic, "
        f"{s.get('ic_transitions', 0)} stores that moved an object to a new shape, "
        f"{s.get('ic_patch_refused', 0)} patches refused, {s.get('ic_invalidated', 0)} call sites invalidated"
    )
    lines.append(
        f"{s.get('int_overflows', 0)} int32 checks failed, "
        f"{s.get('int_recompiles', 0)} units compiled again with doubles, "
        f"{s.get('recompiles', 0)} again with newer feedback (cold branches run, or dropped after deopts)"
    )
    lines.append(
        f"{s.get('tier_ups_queued', 0)} baseline modules queued for O2 in the background: "
        f"{s.get('tier_ups', 0)} replaced, {s.get('tier_ups_failed', 0)} failed, "
        f"{s.get('tier_up_exits', 0)} loop exits to switch, "
        f"{s.get('tier_up_redirects', 0)} entry pads redirected ({s.get('tier_up_redirects_refused', 0)} refused)"
    )
    for what, why in s.get("not_compiled_reasons", {}).items():
        lines.append(f"  not compiled: {what}: {why}")
    for what, why in s.get("interpreted_entries", {}).items():
        lines.append(f"  interpreted when called from the interpreter: {what}: {why}")
    return "\n".join(lines)
