"""LLVM IR to a relocatable object with llvmlite, for the loader.

reloc="pic", codemodel="small": every reference is RIP-relative or through
the GOT, so the loader never writes an absolute address into code (the
static model needs 32-bit absolute relocations that overflow outside the low
2 GiB).  One TargetMachine per process; functions compiled together share one
object, since emitting has a fixed cost of about a millisecond.
"""

from __future__ import annotations

import operator
import re
import threading
from collections.abc import Iterable

import llvmlite.binding as llvm
from llvmlite import ir as llvm_ir

import libmpk.sandbox.hw.intrinsics  # noqa: F401  (initialises LLVM's native target and asm parser)

from .errors import InvalidIRError, JitError

IR = str | llvm_ir.Module | llvm.ModuleRef
"""One module: LLVM IR text, an ``llvmlite.ir.Module`` (what IR builders
make) or a parsed ``llvmlite.binding.ModuleRef``."""
IRSource = IR | Iterable[IR]
"""What :func:`emit_object` and ``compile_ir`` take: one module, or several to link."""

_tms: dict[int, object] = {}  # opt level -> the process's TargetMachine for the host CPU
_tm_init_lock = threading.Lock()


def target_machine(cpu: str | None = None, features: str | None = None, opt: int = 2):
    """The process's TargetMachine for the host CPU at code-generation level
    ``opt`` (one per level), or a fresh one for ``cpu``/``features``."""
    with _tm_init_lock:
        tm = _tms.get(opt) if cpu is None and features is None else None
        if tm is None:
            target = llvm.Target.from_default_triple()
            tm = target.create_target_machine(
                cpu=cpu if cpu is not None else llvm.get_host_cpu_name(),
                features=features if features is not None else llvm.get_host_cpu_features().flatten(),
                opt=opt,
                reloc="pic",
                codemodel="small",
            )
            if cpu is None and features is None:
                _tms[opt] = tm
        return tm


_DEFINE = re.compile(r'^(define [^\n]*@"?([\w.$]+)"?\([^\n]*\))(?=\s*(?:\{|$))', re.M)


def entry_pads(ir: str, names: Iterable[str]) -> str:
    """``ir`` with a 5-byte NOP before the code of each function in ``names``
    (LLVM's "patchable-function-entry"), so that :meth:`Module.redirect`
    can later turn it into a jump to a replacement.  A name that ``ir`` does
    not define raises JitError."""
    want = set(names)
    seen: set[str] = set()

    def pad(m: re.Match) -> str:
        if m.group(2) not in want:
            return m.group(0)
        seen.add(m.group(2))
        return m.group(1) + ' "patchable-function-entry"="5"'

    out = _DEFINE.sub(pad, ir)
    if want - seen:
        raise JitError(f"entry_pads: no definition of {', '.join(sorted(want - seen))} on a line of its own")
    return out


_WARM_IR = """
define double @warm(double* %p, i64 %n) {
entry:
  br label %head
head:
  %i = phi i64 [0, %entry], [%j, %body]
  %s = phi double [0.0, %entry], [%t, %body]
  %c = icmp slt i64 %i, %n
  br i1 %c, label %body, label %done
body:
  %q = getelementptr double, double* %p, i64 %i
  %x = load double, double* %q
  %t = fadd double %s, %x
  %j = add i64 %i, 1
  br label %head
done:
  ret double %s
}
"""


def warm_up(levels: tuple | None = None) -> None:
    """Run a small loop through parsing, the pipeline of each of ``levels``
    and code generation once, so that LLVM's one-time set-up (pass
    registries, the code generator's tables: a few ms) is paid here -- where
    a JIT loads -- and not by its first real compilation.  Only the levels
    this process will build: a JIT whose O2 builds run in a forked worker
    warms that pipeline there, not twice."""
    for opt in (2, BASELINE) if levels is None else levels:
        emit_object(_WARM_IR, opt)


def _text(part: object) -> str:
    """One module's IR text.  Modules are printed and re-parsed rather than
    used in place, so the caller's ModuleRef is neither optimised nor consumed
    by linking (LLVM's link_in destroys its argument)."""
    if isinstance(part, str):
        return part
    if isinstance(part, llvm.ModuleRef):
        if part.closed:
            raise JitError("this llvmlite ModuleRef was closed (or consumed by link_in)")
        return str(part)
    if isinstance(part, llvm_ir.Module):
        return str(part)
    raise JitError(
        "IR must be LLVM IR text (str), an llvmlite.ir.Module or an llvmlite.binding.ModuleRef, "
        f"or an iterable of them to link; got {type(part).__name__}"
    )


def _texts(ir: object) -> list[str]:
    if isinstance(ir, (str, llvm_ir.Module, llvm.ModuleRef)):
        return [_text(ir)]
    if isinstance(ir, (bytes, bytearray, memoryview)):
        raise JitError("IR text must be str, not bytes: decode it first (e.g. data.decode())")
    if not isinstance(ir, Iterable):
        return [_text(ir)]  # raises, naming the type
    return [_text(part) for part in ir]


def parse(ir: IRSource) -> llvm.ModuleRef:
    """Parse (and link) IR into one verified llvmlite module (a fresh one,
    even when given a ModuleRef)."""
    texts = _texts(ir)
    if not texts:
        raise JitError("no IR to compile")
    try:
        mod = llvm.parse_assembly(texts[0])
        for extra in texts[1:]:
            mod.link_in(llvm.parse_assembly(extra))
        mod.verify()
    except RuntimeError as e:
        raise InvalidIRError(f"invalid LLVM IR: {e}") from None
    return mod


def optimize(mod, level: int = 2) -> None:
    """Run the standard O``level`` pipeline (a pass manager runs only once, so
    each module gets a fresh one)."""
    pto = llvm.create_pipeline_tuning_options(speed_level=level)
    pb = llvm.create_pass_builder(target_machine(), pto)
    pb.getModulePassManager().run(mod, pb)


BASELINE = "baseline"
"""``opt`` for a JIT's first tier: SROA, instcombine and simplifycfg, then
LLVM's -O0 code generator (fast instruction selection) with its optimising
register allocator.  About 5x less compile time than O2 for code about 1.5-3x
slower -- worth it for code that may run only milliseconds, while O2 is built
in the background."""

# -O0's own allocator keeps every value that crosses a block on the stack (a
# store and a load around each use: a loop's counters, its array bases).  The
# greedy one costs a baseline build 10-30% more and makes its code 1.5-2x
# faster (JS kernels, baseline only).  An LLVM option is process-wide; it only
# changes -O0 code generation (higher levels use this allocator already), and
# a forked compiler inherits it.
llvm.set_option("libmpk", "-optimize-regalloc")


def _baseline_passes(mod) -> None:
    pb = llvm.create_pass_builder(target_machine(), llvm.create_pipeline_tuning_options(speed_level=0))
    mpm = llvm.create_new_module_pass_manager()
    mpm.add_always_inliner_pass()  # a front end's small callees it marked alwaysinline
    mpm.add_sroa_pass()  # the front end's allocas become registers
    mpm.add_instruction_combine_pass()
    mpm.add_simplify_cfg_pass()
    mpm.run(mod, pb)


def _opt_level(opt: object) -> int | str:
    if opt == BASELINE and isinstance(opt, str):
        return BASELINE
    if not isinstance(opt, bool):
        try:
            level = operator.index(opt)
        except TypeError:
            level = None
        if level is not None and 0 <= level <= 3:
            return level
    raise JitError(f"opt must be an optimisation level 0, 1, 2 or 3, or {BASELINE!r}; got {opt!r}")


def emit_object(ir: IRSource, opt: int | str = 2) -> bytes:
    """IR -> optimised module -> ELF relocatable object bytes.

    ``ir``: LLVM IR text, an ``llvmlite.ir.Module``, an
    ``llvmlite.binding.ModuleRef``, or an iterable of these to link into one
    object.  ``opt``: LLVM's -O level, 0-3, or :data:`BASELINE`.  Bad input
    raises JitError.  Safe to call from several threads (llvmlite runs one
    LLVM call at a time).
    """
    level = _opt_level(opt)  # checked first: a bad level would waste a parse
    mod = parse(ir)
    mod.triple = llvm.get_process_triple()
    if level == BASELINE:
        _baseline_passes(mod)
        return target_machine(opt=0).emit_object(mod)
    if level:
        optimize(mod, level)
    return target_machine().emit_object(mod)
