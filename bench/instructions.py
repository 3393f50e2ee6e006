"""Exact instruction counts of a PKU hit switch, single-stepped under gdb.

Times on emulated or shared machines are noise; what a switch executes is
not.  A driver process (this module with ``--driver``) initialises the
sandbox on real protection keys, loads a vkey into a hardware key, compiles
the switch and stops itself (SIGTRAP); every hardware key is owned and the
counted vkey holds the highest one.  gdb then breaks on the entry points of
the hit path (``switch.hit_begin`` / ``hit_end``: the assembled ones users'
@njit code calls, hw.sections), and the driver calls each once: every instruction
from entry to return is single-stepped and counted, with the WRPKRUs and
lock-prefixed instructions among them.  Deterministic for a given build;
needs PKU (natively or in the ``mpk vm`` guest) and gdb with Python.

    python -m libmpk.bench.instructions          # prints a table and JSON
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

from .harness import Table

_GDB_SCRIPT = r"""
import gdb, json
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("handle SIGTRAP stop print nopass")
for sig in range(32, 65):
    gdb.execute(f"handle SIG{sig} nostop noprint pass", to_string=True)
gdb.execute("run", to_string=True)  # the driver's SIGTRAP: it is warmed up
addrs = json.load(open(OUT + ".addrs"))
inf = gdb.selected_inferior()

def count():
    rsp = int(gdb.parse_and_eval("$rsp"))
    ret = int.from_bytes(bytes(inf.read_memory(rsp, 8)), "little")
    n = wr = locked = 0
    while True:
        pc = int(gdb.parse_and_eval("$pc"))
        if pc == ret and int(gdb.parse_and_eval("$rsp")) == rsp + 8:
            return {"instructions": n, "wrpkru": wr, "locked": locked}
        code = bytes(inf.read_memory(pc, 3))
        wr += code == b"\x0f\x01\xef"
        locked += code[0] == 0xF0
        gdb.execute("stepi", to_string=True)
        n += 1

result = {}
for name in ("begin", "end"):
    bp = gdb.Breakpoint("*%d" % addrs[name], internal=True)
    gdb.execute("continue", to_string=True)
    bp.delete()
    result[name] = count()
json.dump(result, open(OUT, "w"))
gdb.execute("kill")
"""


def _driver(out: str) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from libmpk import sandbox
    from libmpk.sandbox import PROT_READ, PROT_WRITE, switch

    sandbox.init(backend="pku")
    begin = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(switch.hit_begin)
    end = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64)(switch.hit_end)
    for v in range(1, sandbox.info()["cache_capacity"] + 1):  # every key owned: the counted one is the last key
        sandbox.mmap(v, 4096, PROT_READ)
        with sandbox.domain(v, PROT_READ | PROT_WRITE):  # loads a key: the calls below hit
            pass
    cached = sandbox.stats()["cached"]
    vkey = max(cached, key=cached.get)
    for _ in range(3):
        assert begin(vkey, PROT_READ | PROT_WRITE) == switch.OK and end(vkey) == switch.OK
    with open(out + ".addrs", "w") as f:
        json.dump({"begin": switch.hit_begin, "end": switch.hit_end}, f)
    os.kill(os.getpid(), signal.SIGTRAP)  # gdb takes over here
    assert begin(vkey, PROT_READ | PROT_WRITE) == switch.OK
    assert end(vkey) == switch.OK


def count_pair(timeout: float = 600.0) -> dict:
    """Instructions, WRPKRUs and locked instructions of one hit begin and
    one end, counted by gdb; raises RuntimeError if they cannot be."""
    gdb = shutil.which("gdb")
    if gdb is None:
        raise RuntimeError("gdb is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "counts.json")
        script = os.path.join(tmp, "count.py")
        with open(script, "w") as f:
            f.write(f"OUT = {out!r}\n" + _GDB_SCRIPT)
        cmd = [gdb, "-q", "-batch", "-x", script, "--args", sys.executable, "-m", __spec__.name, "--driver", out]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if not os.path.exists(out):
            tail = proc.stderr[-2000:] + proc.stdout[-2000:]
            raise RuntimeError(f"gdb counted nothing (rc {proc.returncode}): {tail}")
        with open(out) as f:
            counts = json.load(f)
    counts["pair"] = {k: counts["begin"][k] + counts["end"][k] for k in counts["begin"]}
    return counts


def table() -> Table:
    """The counts as a bench table (mpk bench's switch suite, under PKU)."""
    counts = count_pair()
    t = Table(
        "PKU hit switch, single-stepped under gdb (the nb entry points)",
        ["switch", "instructions", "WRPKRU", "locked"],
    )
    for name in ("begin", "end", "pair"):
        c = counts[name]
        t.add(name, c["instructions"], c["wrpkru"], c["locked"])
    t.notes.append("exact counts (deterministic for a build): python -m libmpk.bench.instructions")
    return t


def main(argv: list[str]) -> int:
    if argv[:1] == ["--driver"]:
        _driver(argv[1])
        return 0
    counts = count_pair()
    print("PKU hit switch, single-stepped (the nb entry points, entry to return)")
    print(f"{'':8}{'instructions':>14}{'WRPKRU':>8}{'locked':>8}")
    for name in ("begin", "end", "pair"):
        c = counts[name]
        print(f"{name:8}{c['instructions']:>14}{c['wrpkru']:>8}{c['locked']:>8}")
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
