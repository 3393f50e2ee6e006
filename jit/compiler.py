"""LLVM IR to a relocatable object with llvmlite, for the loader.

reloc="pic", codemodel="small": every reference is RIP-relative or through
the GOT, so the loader never writes an absolute address into code (the
static model needs 32-bit absolute relocations that overflow outside the low
2 GiB).  One TargetMachine per process; functions compiled together share one
object, since emitting has a fixed cost of about a millisecond.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import llvmlite.binding as llvm

import libmpk.sandbox.hw.intrinsics  # noqa: F401  (initialises LLVM's native target and asm parser)

from .errors import JitError

_tm = None
_tm_init_lock = threading.Lock()


def target_machine(cpu: str | None = None, features: str | None = None, opt: int = 2):
    """The process's TargetMachine for the host CPU (or ``cpu``/``features``)."""
    global _tm
    with _tm_init_lock:
        if _tm is None or cpu is not None or features is not None:
            target = llvm.Target.from_default_triple()
            tm = target.create_target_machine(
                cpu=cpu if cpu is not None else llvm.get_host_cpu_name(),
                features=features if features is not None else llvm.get_host_cpu_features().flatten(),
                opt=opt,
                reloc="pic",
                codemodel="small",
            )
            if cpu is not None or features is not None:
                return tm
            _tm = tm
        return _tm


def parse(ir: str | Iterable[str]):
    """Parse (and link) IR text into one verified llvmlite module."""
    texts = [ir] if isinstance(ir, str) else list(ir)
    if not texts:
        raise JitError("no IR to compile")
    try:
        mod = llvm.parse_assembly(texts[0])
        for extra in texts[1:]:
            mod.link_in(llvm.parse_assembly(extra))
        mod.verify()
    except RuntimeError as e:
        raise JitError(f"invalid LLVM IR: {e}") from None
    return mod


def optimize(mod, level: int = 2) -> None:
    """Run the standard O``level`` pipeline (a pass manager runs only once, so
    each module gets a fresh one)."""
    pto = llvm.create_pipeline_tuning_options(speed_level=level)
    pb = llvm.create_pass_builder(target_machine(), pto)
    pb.getModulePassManager().run(mod, pb)


def emit_object(ir: str | Iterable[str], opt: int = 2) -> bytes:
    """IR text -> optimised module -> ELF relocatable object bytes."""
    mod = parse(ir)
    mod.triple = llvm.get_process_triple()
    if opt:
        optimize(mod, opt)
    return target_machine().emit_object(mod)
