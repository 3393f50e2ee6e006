"""Numba intrinsics for the instructions the key switch needs.

RDPKRU/WRPKRU are emitted as inline assembly and inlined into numba-compiled
functions (sandbox.switch), so a key switch from Python or from users' @njit
code is one native call with no ctypes hop.  The atomics and the thread
pointer read are here too because they are single instructions the switch's
lock-free protocol is built from.

LLVM's assembly parser must be initialised before numba compiles inline asm,
otherwise the whole process aborts ("Inline asm not supported by this
streamer") instead of raising.  Importing this module does it.
"""

from __future__ import annotations

import llvmlite.binding as _llvm
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from . import syscalls

_llvm.initialize_native_target()
_llvm.initialize_native_asmprinter()
_llvm.initialize_native_asmparser()

_i32 = ir.IntType(32)
_i64 = ir.IntType(64)
_ZERO32 = ir.Constant(_i32, 0)


@intrinsic
def rdpkru(typingctx):
    """Read this thread's PKRU (RDPKRU: ECX must be 0; EDX is zeroed)."""
    sig = types.uint32()

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(_i32, [_i32])
        return builder.asm(fnty, "rdpkru", "={eax},{ecx},~{edx},~{memory}", [_ZERO32], side_effect=True)

    return sig, codegen


# The tables' symbol and the word that names their hardware key: the gates
# below read it from memory after each WRPKRU (sandbox.arena lays it out).
TABLES_SYMBOL = "libmpk_py_arena_v1"
META_WORD = 3
META_WD_WORD = 14  # the tables' key's WD bit as a PKRU mask (the hand-written gates' check)

# Every WRPKRU the library emits is preceded by these bytes (ECX = EDX = 0)
# and followed by an ERIM-style check of the value just written, which aborts
# (UD2: SIGILL) on a value the gate may not write.  The check reads the
# tables' key from the write-protected tables *after* the WRPKRU -- never
# from a register set before it -- so code that jumps into a gate with its
# own EAX cannot choose what the check compares against.
GATE_BYTES = bytes.fromhex("31c931d20f01ef")  # xor ecx,ecx; xor edx,edx; wrpkru


def close_check_asm(tables: str) -> str:
    """The close gate's check (any PKRU that leaves the tables' key
    write-disabled), reading the key word through ``tables``: an inline-asm
    operand, or the symbol in the hand-written sections (hw.sections)."""
    return (
        f"movabsq {tables}, %rcx\n\tmovq {8 * META_WORD}(%rcx), %rcx\n\ttestq %rcx, %rcx\n\tjz 1f\n\t"
        "leal 1(%rcx,%rcx), %ecx\n\tbtl %ecx, %eax\n\tjc 1f\n\tud2\n1:"
    )


_CLOSE_CHECK = close_check_asm("$1")


def short_check_asm(tables: str) -> str:
    """The hand-written gates' check (hw.sections): the same rule in three
    instructions, against a word that holds the WD bit as a mask (0 without
    PKU: every value aborts)."""
    return f"movabsq {tables}, %rcx\n\ttestl {8 * META_WD_WORD}(%rcx), %eax\n\tjnz 1f\n\tud2\n1:"


# Open gate: exactly one PKRU -- the tables' key and key 0 open, every other
# key access-disabled -- computed from memory before the WRPKRU and again
# after it: reused with a forged EAX it aborts, and used as meant it opens
# nothing but the tables (and the stack) for the stores of a window.
_OPEN_VALUE = (
    "movabsq $0, %rcx\n\tmovq {off}(%rcx), %rcx\n\tleal (%rcx,%rcx), %ecx\n\t"
    "movl $$3, %{r}\n\tshll %cl, %{r}\n\tnotl %{r}\n\tandl $$-4, %{r}"
)
_OPEN_GATE = (
    _OPEN_VALUE.format(off=8 * META_WORD, r="eax")
    + "\n\txorl %ecx, %ecx\n\txorl %edx, %edx\n\twrpkru\n\t"
    + _OPEN_VALUE.format(off=8 * META_WORD, r="edx")
    + "\n\tcmpl %edx, %eax\n\tje 1f\n\tud2\n1:"
)


def gate_checks(tables: int) -> tuple[bytes, bytes, bytes]:
    """The machine code right after the WRPKRU of a close gate, of an open
    gate and of a hand-written gate, in a process whose tables are at
    ``tables`` (the audit's allowlist: only checked gates are the library's)."""
    imm = b"\x48\xb9" + tables.to_bytes(8, "little")  # movabs $tables, %rcx
    close = imm + bytes.fromhex("488b49184885c9740b8d4c09010fa3c872020f0b")
    open_ = imm + bytes.fromhex("488b49188d0c09ba03000000d3e2f7d283e2fc39d074020f0b")
    short = imm + bytes.fromhex("85417075020f0b")  # testl 112(%rcx), %eax; jnz 1f; ud2; 1:
    return close, open_, short


def _tables_symbol(builder):
    mod = builder.module
    gv = mod.globals.get(TABLES_SYMBOL)
    if gv is None:
        gv = ir.GlobalVariable(mod, ir.IntType(8), TABLES_SYMBOL)
        gv.linkage = "external"
    return gv


@intrinsic
def wrpkru(typingctx, value):
    """The close gate: write this thread's PKRU (EAX = value, ECX = EDX = 0),
    then abort unless the tables' key is still write-disabled.

    Clobbers memory so the compiler cannot move loads/stores of protected data
    across the switch.
    """
    sig = types.void(types.uint32)

    def codegen(context, builder, sig, args):
        gv = _tables_symbol(builder)
        fnty = ir.FunctionType(ir.VoidType(), [_i32, gv.type])
        val = builder.trunc(args[0], _i32) if args[0].type != _i32 else args[0]
        builder.asm(
            fnty,
            "xorl %ecx, %ecx\n\txorl %edx, %edx\n\twrpkru\n\t" + _CLOSE_CHECK,
            "{eax},i,~{ecx},~{edx},~{memory},~{flags}",
            [val, gv],
            side_effect=True,
        )
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def wrpkru_open(typingctx):
    """The open gate: this thread may write the tables -- and touch nothing
    but them and key 0 -- until the next close gate.  Takes no value: the one
    PKRU it writes comes from the tables' own key word."""
    sig = types.void()

    def codegen(context, builder, sig, args):
        gv = _tables_symbol(builder)
        fnty = ir.FunctionType(ir.VoidType(), [gv.type])
        builder.asm(fnty, _OPEN_GATE, "i,~{eax},~{ecx},~{edx},~{memory},~{flags}", [gv], side_effect=True)
        return context.get_dummy_value()

    return sig, codegen


def _call_section(builder, name, args):
    mod = builder.module
    fn = mod.globals.get(name)
    if fn is None:
        fn = ir.Function(mod, ir.FunctionType(_i64, [_i64] * len(args)), name)
    return builder.call(fn, args)


@intrinsic
def pkru_enter(typingctx, seen_addr, mask, want):
    """hw.sections' enter: this thread's bits ``mask`` become ``want`` if
    they are the default at ``seen_addr`` and ``want`` is not; 0, or 1 with
    nothing written.  A call, not inlined: the sync handler restarts the
    section by its address."""
    sig = types.int64(types.int64, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        return _call_section(builder, "libmpk_py_pkru_enter_v1", list(args))

    return sig, codegen


@intrinsic
def pkru_leave(typingctx, seen_addr, mask):
    """hw.sections' leave: this thread's bits ``mask`` become the default at
    ``seen_addr`` if they differ from it; 0, or 1 with nothing written."""
    sig = types.int64(types.int64, types.int64)

    def codegen(context, builder, sig, args):
        return _call_section(builder, "libmpk_py_pkru_leave_v1", list(args))

    return sig, codegen


@intrinsic
def thread_pointer(typingctx):
    """The x86-64 thread pointer (%fs:0 holds the TCB's own address under the
    System V TLS ABI): a unique id per live thread, read in one instruction."""
    sig = types.int64()

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(_i64, [])
        return builder.asm(fnty, "movq %fs:0, $0", "=r", [], side_effect=False)

    return sig, codegen


@intrinsic
def rdtsc(typingctx):
    """The time-stamp counter: an LRU stamp that needs no shared counter
    (an atomic add on one would be a cache line every switching thread writes)."""
    sig = types.int64()

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(_i64, [])
        return builder.asm(fnty, "rdtsc\n\tshlq $$32, %rdx\n\torq %rdx, %rax", "={rax},~{rdx}", [], side_effect=True)

    return sig, codegen


@intrinsic
def gettid(typingctx):
    """The kernel thread id, by a raw ``syscall`` (async-signal-safe, no libc)."""
    sig = types.int64()

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(_i64, [_i64])
        return builder.asm(
            fnty, "syscall", "={rax},{rax},~{rcx},~{r11},~{memory}", [ir.Constant(_i64, 186)], side_effect=True
        )

    return sig, codegen


@intrinsic
def syscall3(typingctx, nr, a, b, c):
    """A raw three-argument system call; the kernel's return (-errno on
    failure).  For the fallback's page-table switch, which must not leave
    native code (no libc, async-signal-safe like gettid)."""
    sig = types.int64(types.int64, types.int64, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(_i64, [_i64] * 4)
        return builder.asm(
            fnty, "syscall", "={rax},{rax},{rdi},{rsi},{rdx},~{rcx},~{r11},~{memory}", list(args), side_effect=True
        )

    return sig, codegen


@intrinsic
def syscall4(typingctx, nr, a, b, c, d):
    """A raw four-argument system call (the fourth in R10): rt_tgsigqueueinfo
    and a timed futex wait, from native code; the kernel's return (-errno)."""
    sig = types.int64(types.int64, types.int64, types.int64, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        fnty = ir.FunctionType(_i64, [_i64] * 5)
        return builder.asm(
            fnty,
            "syscall",
            "={rax},{rax},{rdi},{rsi},{rdx},{r10},~{rcx},~{r11},~{memory}",
            list(args),
            side_effect=True,
        )

    return sig, codegen


@intrinsic
def monotonic_ns(typingctx):
    """CLOCK_MONOTONIC in nanoseconds through libc's clock_gettime (the vDSO:
    no system call), bound by name when the code loads, so cached code stays valid."""
    sig = types.int64()

    def codegen(context, builder, sig, args):
        ts_t = ir.ArrayType(_i64, 2)
        fnty = ir.FunctionType(_i32, [_i32, ts_t.as_pointer()])
        mod = builder.module
        fn = mod.globals.get("clock_gettime")
        if fn is None:
            fn = ir.Function(mod, fnty, "clock_gettime")
        ts = builder.alloca(ts_t)
        builder.call(fn, [ir.Constant(_i32, 1), ts])
        sec = builder.load(builder.gep(ts, [_ZERO32, ir.Constant(_i32, 0)]))
        nsec = builder.load(builder.gep(ts, [_ZERO32, ir.Constant(_i32, 1)]))
        return builder.add(builder.mul(sec, ir.Constant(_i64, 1_000_000_000)), nsec)

    return sig, codegen


SYS_PWRITE64 = 18
SYS_LSEEK = 8
SYS_MPROTECT = 10
SYS_SCHED_YIELD = 24
SYS_FUTEX = syscalls.SYS_futex
SYS_GETDENTS64 = 217
SYS_RT_TGSIGQUEUEINFO = syscalls.SYS_rt_tgsigqueueinfo


@intrinsic
def cpuid_ebx(typingctx, leaf, subleaf):
    """EBX of CPUID(leaf, subleaf) -- e.g. leaf 0xD sub-leaf 9: PKRU's offset in
    the XSAVE area.  CPUID is safe on every x86-64 CPU."""
    sig = types.int64(types.int64, types.int64)

    def codegen(context, builder, sig, args):
        i32 = _i32
        fnty = ir.FunctionType(i32, [i32, i32])
        leaf32 = builder.trunc(args[0], i32)
        sub32 = builder.trunc(args[1], i32)
        ebx = builder.asm(fnty, "cpuid", "={ebx},{eax},{ecx},~{edx}", [leaf32, sub32], side_effect=True)
        return builder.zext(ebx, _i64)

    return sig, codegen


@intrinsic
def call_sigaction(typingctx, address, signo, info, ucontext):
    """Call a three-argument signal handler at ``address`` (to chain to a
    handler that was installed before ours)."""
    sig = types.void(types.int64, types.int32, types.voidptr, types.voidptr)

    def codegen(context, builder, sig, args):
        i8p = ir.IntType(8).as_pointer()
        fnty = ir.FunctionType(ir.VoidType(), [_i32, i8p, i8p])
        fn = builder.inttoptr(args[0], fnty.as_pointer())
        builder.call(fn, [args[1], args[2], args[3]])
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def int_to_ptr(typingctx, address):
    """An integer address as a void pointer (for carray over raw memory)."""
    sig = types.voidptr(types.int64)

    def codegen(context, builder, sig, args):
        return builder.inttoptr(args[0], ir.IntType(8).as_pointer())

    return sig, codegen


@intrinsic
def ptr_to_int(typingctx, ptr):
    """A void pointer's address as an integer."""
    if not isinstance(ptr, (types.RawPointer, types.CPointer)):
        return None
    sig = types.int64(ptr)

    def codegen(context, builder, sig, args):
        return builder.ptrtoint(args[0], _i64)

    return sig, codegen


def _element_ptr(context, builder, aryty, ary, idx):
    arr = context.make_array(aryty)(context, builder, ary)
    return builder.gep(arr.data, [idx])


@intrinsic
def atomic_add(typingctx, ary, idx, value):
    """``ary[idx] += value`` atomically (seq_cst); returns the old value."""
    if not (isinstance(ary, types.Array) and ary.dtype == types.int64):
        return None
    sig = types.int64(ary, types.intp, types.int64)

    def codegen(context, builder, sig, args):
        ptr = _element_ptr(context, builder, sig.args[0], args[0], args[1])
        return builder.atomic_rmw("add", ptr, args[2], "seq_cst")

    return sig, codegen


@intrinsic
def atomic_cas(typingctx, ary, idx, expected, new):
    """Compare-and-swap ``ary[idx]`` (seq_cst); returns the value seen."""
    if not (isinstance(ary, types.Array) and ary.dtype == types.int64):
        return None
    sig = types.int64(ary, types.intp, types.int64, types.int64)

    def codegen(context, builder, sig, args):
        ptr = _element_ptr(context, builder, sig.args[0], args[0], args[1])
        pair = builder.cmpxchg(ptr, args[2], args[3], "seq_cst", "seq_cst")
        return builder.extract_value(pair, 0)

    return sig, codegen


@intrinsic
def extern_address(typingctx, name):
    """Address of an external symbol registered with llvmlite's add_symbol.

    Lets cached machine code reach a table allocated at run time: the address
    is bound when the code is loaded, not frozen at compile time.
    """
    if not isinstance(name, types.StringLiteral):
        return None
    symbol = name.literal_value
    sig = types.voidptr(name)

    def codegen(context, builder, sig, args):
        mod = builder.module
        gv = mod.globals.get(symbol)
        if gv is None:
            gv = ir.GlobalVariable(mod, ir.IntType(8), symbol)
            gv.linkage = "external"
        return builder.bitcast(gv, ir.IntType(8).as_pointer())

    return sig, codegen


__all__ = [
    "rdpkru",
    "wrpkru",
    "wrpkru_open",
    "pkru_enter",
    "pkru_leave",
    "thread_pointer",
    "rdtsc",
    "gettid",
    "cpuid_ebx",
    "call_sigaction",
    "int_to_ptr",
    "ptr_to_int",
    "atomic_add",
    "atomic_cas",
    "extern_address",
]
