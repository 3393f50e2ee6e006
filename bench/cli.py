"""``mpk bench`` (and ``python -m libmpk.bench``): run the suites in one process,
print each suite's tables as it finishes and a summary of ratios at the end;
optionally JSON and PNG plots.

Every suite runs side by side in the same process run, so its ratios compare
figures taken minutes apart on the same machine state.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .suites import SUITES

if TYPE_CHECKING:  # imported where used: `mpk`'s parser imports this module
    from .report import Report


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quick", action="store_true", help="fewer repetitions and smaller sizes (about 2 minutes)")
    p.add_argument(
        "--only",
        action="append",
        type=_suite_names,
        metavar="NAME",
        help=f"run only these suites (repeat or comma-separate): {', '.join(SUITES)}",
    )
    p.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="PATH",
        help="write the results as JSON to PATH (no PATH or '-': stdout, tables go to stderr)",
    )
    p.add_argument("--plot", metavar="DIR", help="write PNG figures to DIR")
    p.add_argument(
        "--from",
        dest="saved",
        metavar="JSON",
        help="run nothing: print (and with --plot, plot) a run saved earlier with --json",
    )
    p.add_argument("--list", action="store_true", help="list the suites and exit")


def _names(part: str) -> tuple[list[str], list[str]]:
    """The suite names in one comma-separated ``--only`` value: (known, unknown)."""
    names = [n.strip() for n in part.split(",") if n.strip()]
    return [n for n in names if n in SUITES], [n for n in names if n not in SUITES]


def _unknown(unknown: list[str]) -> str:
    return f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}"


def _suite_names(part: str) -> str:
    """An argparse type for ``--only``: an unknown name is a usage error
    (exit 2), refused before anything runs."""
    unknown = _names(part)[1]
    if unknown:
        raise argparse.ArgumentTypeError(_unknown(unknown))
    return part


def _selected(only: list[str] | None) -> list[str]:
    if not only:
        return list(SUITES)
    known, unknown = [], []
    for part in only:
        k, u = _names(part)
        known += k
        unknown += u
    if unknown:
        raise SystemExit(f"mpk bench: {_unknown(unknown)}")
    return [n for n in SUITES if n in known]


def run_suites(names: list[str], quick: bool, out=sys.stderr) -> Report:
    import datetime
    import traceback

    from libmpk import sandbox

    from . import harness
    from .machine import describe, one_line
    from .report import Report, SuiteResult

    sandbox.init()
    report = Report(describe(), quick, datetime.datetime.now().astimezone().isoformat(timespec="seconds"))
    print(f"machine: {one_line(report.machine)}", file=out, flush=True)
    harness._progress[0] = True
    t_all = time.perf_counter()
    try:
        for i, name in enumerate(names, 1):
            print(f"[{i}/{len(names)}] {name}: {SUITES[name]}", file=sys.stderr, flush=True)
            result = SuiteResult(name, SUITES[name])
            t0 = time.perf_counter()
            try:
                module = importlib.import_module(f"libmpk.bench.{name}")
                result.tables = module.run(quick=quick)
            except Exception as e:  # a broken suite is reported, the others still run
                result.error = f"{type(e).__name__}: {e}"
                traceback.print_exc(file=sys.stderr)
            result.seconds = time.perf_counter() - t0
            report.suites.append(result)
            print(f"    {name} done in {result.seconds:.1f} s", file=sys.stderr, flush=True)
            for table in result.tables:
                print("\n" + table.render(), file=out, flush=True)
            print(file=out, flush=True)
    finally:
        harness._progress[0] = False
    report.seconds = time.perf_counter() - t_all
    return report


def main(args: argparse.Namespace) -> int:
    from libmpk.apps.cmdline import CommandError

    if args.list:
        for name, what in SUITES.items():
            print(f"{name:10} {what}")
        return 0
    to_stdout = args.json == "-"
    if args.json and not to_stdout and not Path(args.json).resolve().parent.is_dir():
        raise CommandError(f"cannot write {args.json}: no such directory")  # found out now, not after the run
    human = sys.stderr if to_stdout else sys.stdout
    if args.saved:
        report = _load(args.saved)
        _print_saved(report, human)
    else:
        report = run_suites(_selected(args.only), args.quick, out=human)
    print(report.summary().render(), file=human)
    print(f"\n{len(report.suites)} suite(s) in {report.seconds:.0f} s", file=human, flush=True)
    if args.json:
        text = report.to_json()
        if to_stdout:
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
            print(f"JSON: {args.json}", file=human)
    if args.plot:
        from .plots import plot_report

        try:
            paths = plot_report(report, Path(args.plot))
        except OSError as e:
            raise CommandError(f"cannot write plots to {args.plot}: {e.strerror or e}") from None
        for path in paths:
            print(f"plot: {path}", file=human)
    return 1 if any(s.error for s in report.suites) else 0


def _load(path: str) -> Report:
    import json

    from libmpk.apps.cmdline import CommandError

    from .report import Report

    try:
        return Report.from_dict(json.loads(Path(path).read_text()))
    except OSError as e:
        raise CommandError(f"cannot read {path}: {e.strerror or e}") from None
    except (ValueError, KeyError, TypeError) as e:
        raise CommandError(f"cannot read {path}: not a saved run ({type(e).__name__}: {e})") from None


def _print_saved(report: Report, out) -> None:
    from .machine import one_line

    quick = ", --quick" if report.quick else ""
    print(f"saved run of {report.started}{quick}\nmachine: {one_line(report.machine)}", file=out)
    for s in report.suites:
        if s.error:
            print(f"\n{s.name} FAILED: {s.error}", file=out)
        for table in s.tables:
            print("\n" + table.render(), file=out)
    print(file=out)
