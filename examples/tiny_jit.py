"""A tiny third-party JIT that gets protected, scanned code from ``jit``.

    python examples/tiny_jit.py "x x * 3 x * + 1 -" 2.5

It compiles postfix arithmetic over one variable ``x`` to LLVM IR with its own
(string) IR builder, then hands the IR to the code cache: the cache compiles,
relocates, scans every byte offset for PKRU gadgets, and commits the code
inside a write window.  Nothing here touches protection keys or page
permissions -- that is the point.
"""

from __future__ import annotations

import ctypes
import sys

from libmpk import sandbox
from libmpk.jit import CodeCache, compile_ir, default_mode


class TinyIRBuilder:
    """Just enough of an SSA builder for doubles."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []
        self.n = 0

    def fresh(self) -> str:
        self.n += 1
        return f"%t{self.n}"

    def binop(self, op: str, a: str, b: str) -> str:
        r = self.fresh()
        self.lines.append(f"  {r} = {op} double {a}, {b}")
        return r

    def call(self, fn: str, a: str) -> str:
        r = self.fresh()
        self.lines.append(f"  {r} = call double @{fn}(double {a})")
        return r

    def finish(self, result: str) -> str:
        body = "\n".join(self.lines)
        decls = "declare double @sqrt(double)\ndeclare double @sin(double)\n"
        return f"{decls}define double @{self.name}(double %x) {{\n{body}\n  ret double {result}\n}}\n"


OPS = {"+": "fadd", "-": "fsub", "*": "fmul", "/": "fdiv"}


def compile_postfix(cache: CodeCache, source: str, name: str = "expr"):
    b = TinyIRBuilder(name)
    stack: list[str] = []
    for tok in source.split():
        if tok == "x":
            stack.append("%x")
        elif tok in OPS:
            rhs, lhs = stack.pop(), stack.pop()
            stack.append(b.binop(OPS[tok], lhs, rhs))
        elif tok in ("sqrt", "sin"):
            stack.append(b.call(tok, stack.pop()))
        else:
            stack.append(repr(float(tok)).replace("inf", "0x7FF0000000000000"))
    if len(stack) != 1:
        raise SyntaxError(f"unbalanced expression: {source!r}")
    module = compile_ir(cache, b.finish(stack[0]))
    return module.ctypes(name, ctypes.c_double, ctypes.c_double)


def main(argv: list[str]) -> int:
    source = argv[1] if len(argv) > 1 else "x x * 3 x * + 1 -"
    x = float(argv[2]) if len(argv) > 2 else 2.5
    sandbox.init()
    cache = CodeCache(default_mode())
    f = compile_postfix(cache, source)
    print(
        f"{source!r} at x={x}: {f(x)}   (code cache: {cache.wx}, {cache.snapshot()['code_bytes']} bytes, "
        f"{cache.snapshot()['scan_hits']} gadget hits)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
