"""A thousand virtual keys, writes inside domains, and a real fault.

    python examples/vkeys_demo.py

Maps 1000 vkeys read-only, writes to each one inside begin/end, then shows
that a write outside any domain kills a (forked) process with SIGSEGV.
Runs on both backends: PKU where the CPU has it, the mprotect fallback
elsewhere.
"""

from __future__ import annotations

import time

import numpy as np

from libmpk import sandbox
from libmpk.sandbox.forked import run_in_child

N = 1000


def main() -> int:
    info = sandbox.init()
    print(
        f"backend {info['backend']}: {info['hw_keys']} hardware keys; domains are "
        f"{'thread-local' if info['thread_local_domains'] else 'process-wide'}"
    )
    regions = [sandbox.mmap(v, 4096, sandbox.PROT_READ) for v in range(N)]
    t0 = time.perf_counter()
    for v, r in enumerate(regions):
        with sandbox.domain(v, sandbox.PROT_READ | sandbox.PROT_WRITE):
            r.asarray(np.int64)[0] = v * v
    dt = time.perf_counter() - t0
    ok = all(r.asarray(np.int64)[0] == v * v for v, r in enumerate(regions))
    s = sandbox.stats()
    print(f"{N} vkeys written inside domains in {dt * 1e3:.1f} ms; readback ok: {ok}")
    print(
        f"key cache: {len(s['cached'])} cached, {s['hits']} hits, {s['misses']} misses, "
        f"{s['evictions']} evictions, {s['page_domains']} page-table domains"
    )

    def stray_write() -> None:
        regions[123].view()[0] = 0xFF  # no domain open: must fault

    out = run_in_child(stray_write)
    fault = out.fault
    print(
        f"stray write to vkey 123 outside a domain: {'SIGSEGV' if out.segv else out}"
        + (f" ({fault.code_name} at {fault.address:#x}, pkey {fault.pkey})" if fault else "")
    )
    intact = regions[123].asarray(np.int64)[0] == 123 * 123
    print(f"vkey 123 still holds {123 * 123}: {intact}")
    for v in range(N):
        sandbox.munmap(v)
    return 0 if ok and out.segv and intact else 1


if __name__ == "__main__":
    raise SystemExit(main())
