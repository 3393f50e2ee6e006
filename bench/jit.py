"""The JIT layer: compile+load cost, scan speed, self-audit, write windows,
and the audit against ROPgadget's opcode search on the same file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import numpy as np

from libmpk import sandbox
from libmpk.jit import CodeCache, Loader, emit_object, scan
from libmpk.jit.audit import audit_elf, audit_process

from .harness import Figure, Sample, Table, measure, measure_batch, progress

LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6"


def _functions(n: int, tag: int) -> str:
    return "\n".join(
        f"define i64 @f{tag}_{i}(i64 %x) {{\n  %a = mul i64 %x, {i + 3}\n  %b = add i64 %a, {i}\n  ret i64 %b\n}}"
        for i in range(n)
    )


def compile_table(quick: bool) -> Table:
    t = Table(
        "compile + load per function (llvmlite -> own loader -> scanned commit)",
        ["batch", "wx", "emit (per fn)", "load+scan+commit (per fn)", "total (per fn)", "batch 1 / this"],
    )
    modes = ["mprotect", "none"] + (["pku"] if sandbox.info()["backend"] == "pku" else [])
    repeat = 3 if quick else 5
    tag = [0]
    for wx in modes:
        progress(f"compile and load batches, W^X mode {wx}")
        cache = CodeCache(wx)
        loader = Loader(cache)
        single = None
        for batch in (1, 10, 100):
            emits, loads = [], []
            for _ in range(repeat):
                tag[0] += 1
                t0 = time.perf_counter()
                obj = emit_object(_functions(batch, tag[0]))
                t1 = time.perf_counter()
                loader.load_object(obj)
                t2 = time.perf_counter()
                emits.append((t1 - t0) / batch)
                loads.append((t2 - t1) / batch)
            e, lo = Sample(emits), Sample(loads)
            total = Sample([a + b for a, b in zip(emits, loads, strict=True)])
            single = single or total
            t.add(batch, wx, e, lo, total, single.median / total.median)
        cache.close()
    t.notes.append("emit dominates; batching functions into one module amortises its fixed cost")
    last = t.rows[len(t.rows) // len(modes) - 1]
    t.headline.append(("JIT: per-function cost, batch 1 / batch 100", last[-1]))
    t.figure = Figure(
        "jit_by_batch",
        x="batch",
        ys=["emit (per fn)", "load+scan+commit (per fn)"],
        series="wx",
        ylabel="time per function (s)",
    )
    return t


def scan_table(quick: bool) -> Table:
    t = Table("gadget scan speed", ["input", "size", "scan", "MiB/s", "time / memcpy"])
    progress("scanning random bytes, libc and this process")
    data = os.urandom((8 if quick else 64) << 20)
    copy = np.frombuffer(data, np.uint8)
    memcpy = (len(data) / 2**20) / measure(lambda: copy.copy(), 1, 5).median  # MiB/s of a plain copy

    def row(name: str, nbytes: int, s: Sample) -> None:
        speed = (nbytes / 2**20) / s.median
        t.add(name, f"{nbytes >> 20} MiB", s, speed, memcpy / speed)

    row("random bytes", len(data), measure(lambda: scan(data), 1, 3))
    if os.path.exists(LIBC):
        row("audit libc (scan+explain+symbols)", os.path.getsize(LIBC), measure(lambda: audit_elf(LIBC), 1, 3))
    s = measure(lambda: audit_process("self"), 1, 3 if quick else 5)
    rep = audit_process("self")
    row(f"audit this process ({rep.regions} regions, numba loaded)", rep.scanned_bytes, s)
    t.headline.append(("gadget scan: time / memcpy of the same bytes", t.rows[0][-1]))
    t.notes.append("time / memcpy: how many copies of the bytes one scan costs (every offset, both patterns)")
    return t


def ropgadget_table(quick: bool) -> Table:
    t = Table(
        "mpk audit vs ROPgadget --opcode (same file, same patterns)",
        ["file", "mpk audit", "ROPgadget (25 opcode runs)", "ROPgadget / mpk", "same hits"],
    )
    rop = shutil.which("ROPgadget") or os.path.join(os.path.dirname(sys.executable), "ROPgadget")
    if not os.path.exists(rop) or not os.path.exists(LIBC):
        t.notes.append("ROPgadget or libc not available: skipped")
        return t
    ops = ["0f01ef"] + [f"0fae{m:02x}" for m in (*range(0x28, 0x30), *range(0x68, 0x70), *range(0xA8, 0xB0))]
    mpk = [sys.executable, "-m", "libmpk", "audit", "--json", LIBC]

    def run_mpk() -> set:
        import json

        out = json.loads(subprocess.run(mpk, capture_output=True, text=True).stdout)
        return {(h["address"], h["kind"]) for h in out["targets"][0]["hits"]}

    def run_rop() -> set:
        found = set()
        for op in ops:
            p = subprocess.run([rop, "--binary", LIBC, "--opcode", op], capture_output=True, text=True)
            found |= {
                (int(x.split()[0], 16), "wrpkru" if op == "0f01ef" else "xrstor")
                for x in p.stdout.splitlines()
                if x.startswith("0x")
            }
        return found

    progress("mpk audit and ROPgadget on libc")
    a = measure(run_mpk, 1, 2 if quick else 3)
    b = measure(run_rop, 1, 2 if quick else 3)
    t.add(os.path.basename(LIBC), a, b, b.median / a.median, run_mpk() == run_rop())
    t.headline.append(("audit: ROPgadget / mpk audit on libc", b.median / a.median))
    t.notes.append("both as commands a user would run; ROPgadget needs one run per opcode pattern")
    return t


def window_table(quick: bool) -> Table:
    t = Table("write window open+close (with cache.writable())", ["wx", "window", "time / none"])
    number = 200 if quick else 2000
    base = None
    modes = ["none", "mprotect"] + (["pku"] if sandbox.info()["backend"] == "pku" else [])
    for wx in modes:
        cache = CodeCache(wx)

        def window(cache=cache) -> None:
            with cache.writable():
                pass

        s = measure(window, number, 5)
        base = base or s
        t.add(wx, s, s.median / base.median)
        cache.close()
    for row in t.rows[1:]:
        t.headline.append((f"W^X write window: {row[0]} / none", row[-1]))
    t.notes.append(
        "mprotect: opens nothing (each commit writes its own rodata pages); "
        "pku: one rodata domain, this thread only (2 WRPKRU, no syscall)"
    )
    return t


def run(quick: bool = False) -> list[Table]:
    return [compile_table(quick), scan_table(quick), window_table(quick), ropgadget_table(quick)]


__all__ = ["run", "measure_batch"]
