"""``mpk audit``: files, pids, and this process with the JIT loaded."""

from __future__ import annotations

import argparse
import json
import sys


def _self_report(progress):
    """Audit this process after loading what an embedder would: the sandbox
    (its gates compiled and used) and a code cache holding a module."""
    from libmpk import sandbox
    from libmpk.jit import CodeCache, compile_ir, default_mode
    from libmpk.jit.audit import audit_process
    from libmpk.sandbox import gates

    sandbox.init()
    vkey = sandbox.new_vkey()
    sandbox.mmap(vkey, 4096, sandbox.PROT_READ)
    with sandbox.domain(vkey, sandbox.PROT_READ | sandbox.PROT_WRITE):
        pass
    cache = CodeCache(default_mode())
    compile_ir(cache, "define i64 @twice(i64 %x) {\n  %r = shl i64 %x, 1\n  ret i64 %r\n}\n")
    lo, hi = cache.code_range
    report = audit_process("self", progress, labels=[(lo, hi, "jit code cache")], gates=gates.gate_at)
    report.notes.append(f"JIT code cache ({cache.wx}) at {lo:#x}-{hi:#x}; backend {sandbox.backend_name()}")
    return report


def run_audit(args: argparse.Namespace) -> int:
    from libmpk.apps.cmdline import CommandError
    from libmpk.jit.audit import AuditError, audit_elf, audit_process, progress_printer, render, to_json

    if not (args.files or args.pid or args.self):
        raise CommandError("name FILEs, --pid PID or --self")
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    reports, errors = [], []
    for path in args.files:
        try:
            reports.append(audit_elf(path, progress_printer(path) if show else None))
        except AuditError as e:
            errors.append(str(e))
    for pid in args.pid:
        try:
            reports.append(audit_process(pid, progress_printer(f"pid {pid}") if show else None))
        except AuditError as e:
            errors.append(str(e))
    if args.self:
        reports.append(_self_report(progress_printer("self") if show else None))
    if args.json:
        out = to_json(reports)
        out["errors"] = errors
        print(json.dumps(out, indent=2))
    else:
        if reports:
            print(render(reports))
    for e in errors:  # reported after the targets that could be read, not instead of them
        print(f"mpk audit: error: {e}", file=sys.stderr)
    if errors:
        return 2
    return 1 if any(r.stray for r in reports) else 0
