"""Compile the library's natives on the host before a guest needs them.

Run as ``python -m libmpk.vm.warm`` with the environment the guest will get
(:func:`libmpk.vm.pytest_plugin.shared_target`).  numba keys its disk cache on
the CPU it compiles for; with one named target on both sides, what compiles
here in seconds loads in the guest, where each native would otherwise
compile under TCG (over 20 minutes of a fresh clone's guest run).  The
natives are the same on both backends -- the backend is a word in the
tables, not a compile-time choice -- so the fallback here compiles what the
guest's PKU backend runs.  Whatever this misses still compiles where it is
first called.
"""

from __future__ import annotations

import io

import numpy as np


def _sandbox() -> None:
    from libmpk import sandbox

    sandbox.init()
    vkeys = [sandbox.new_vkey() for _ in range(20)]
    regions = [sandbox.mmap(v, 4096, sandbox.PROT_READ) for v in vkeys]
    for v, r in zip(vkeys, regions, strict=True):
        with sandbox.domain(v, sandbox.PROT_READ | sandbox.PROT_WRITE):
            r.asarray(np.int64)[0] = v
        sandbox.mprotect(v, sandbox.PROT_READ | sandbox.PROT_WRITE)
        sandbox.mprotect(v, sandbox.PROT_READ)
    heap_key = sandbox.new_vkey()
    sandbox.mmap(heap_key, 4096, sandbox.PROT_READ)
    ptrs = [sandbox.malloc(heap_key, n) for n in (16, 200, 5000)]
    ptrs[0] = sandbox.realloc(ptrs[0], 64)
    sandbox.stats()
    sandbox.heap_stats()
    for p in ptrs:
        sandbox.free(p)
    for v in [*vkeys, heap_key]:
        sandbox.munmap(v)


def _code_cache() -> None:
    import ctypes

    from libmpk.jit import CodeCache, compile_ir, default_mode

    cache = CodeCache(default_mode())
    ir = 'define i64 @"warm"(i64 %x) {\n  %y = mul i64 %x, 3\n  ret i64 %y\n}\n'
    f = compile_ir(cache, ir).ctypes("warm", ctypes.c_int64, ctypes.c_int64)
    if f(14) != 42:
        raise RuntimeError(f"compiled code returned {f(14)}")
    cache.snapshot()


_JS = """
function Point(x, y) { this.x = x; this.y = y; }
Point.prototype.norm = function () { return this.x * this.x + this.y * this.y; };
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
var s = 0, a = new Array(100).fill(1), f = [];
for (var i = 0; i < 3000; i++) { s = (s + new Point(i, 1).norm() + a[i % 100]) | 0; f.push(i * 0.5); }
var t = "warm", c = 0;
for (var j = 0; j < 2000; j++) c += t.charCodeAt(j % 4);
console.log(s, fib(18), f.length, c);
"""


def _pku_paths() -> None:
    """Natives only the PKU backend calls: compiled for the types their Python
    callers pass (ints are int64, flags boolean), never run -- RDPKRU here
    would be SIGILL."""
    from numba import types as t

    from libmpk.sandbox import store, switch, threads

    i = t.int64
    for native, sig in [
        (switch.read_pkru, ()),
        (switch.write_pkru, (i,)),
        (switch.begin_locked, (i, i)),
        (switch.reset_rights, ()),
        (switch.set_key_rights, (i, i, i, t.boolean)),
        (threads.own_readable_slot, ()),
        (store.word_add, (i, i)),
        (store.word_cas, (i, i, i)),
    ]:
        native.compile(sig)


def _js() -> None:
    from libmpk.apps.js.engine import Engine

    out = io.StringIO()
    Engine(out=out, hot_loops=1, background_jit=False).run_source(_JS, "warm.js")


def main() -> int:
    failed = 0
    for step in (_sandbox, _pku_paths, _code_cache, _js):
        try:
            step()
        except Exception as e:  # (a warm-up that fails only costs the guest time)
            print(f"mpk vm warm-up: {step.__name__[1:]}: {type(e).__name__}: {e}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
