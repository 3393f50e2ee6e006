"""LLVM IR for compiled JS units (llvmlite.ir), one module per batch.

A function unit ``f`` becomes ``@jsfn_N(<typed params>, i8* ctx)`` -- called
directly by other compiled code -- plus ``@jsentry_N(i8* ctx, double* frame)``
for the interpreter.  A loop unit becomes ``@jsloop_N(i8* ctx, double* frame)``
which enters at the loop's header with the frame's variables.  See native.py
for the transaction protocol (undo log, commits, deopt).
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Any

from llvmlite import ir

from . import ast as A
from . import ics
from .allocation import OBJECT_LITERAL, pure_constructor
from .arena import ARRAY_HEADER, ARRAY_TAG, MAX_ARRAY_ELEMENTS, MAX_SITES
from .jittypes import (
    AARR,
    AOBJ,
    ARR,
    ARRAYS,
    BARR,
    BOOL,
    ELEMENT,
    ELEMENT_SEARCHES,
    HARR,
    HOLE_BITS,
    INT,
    MATH_1,
    NULL,
    NUM,
    OBJ,
    REF_ARRAYS,
    REFS,
    SEARCHES,
    SLOT_KIND,
    SOUGHT,
    STACKS,
    STR,
    STR_MAKERS,
    STR_NUMBER_MODES,
    STR_SEARCHES,
    TYPED_ARRAYS,
    UNDEF,
    NotCompilable,
    bound_to_closure,
    call_targets,
    default_literals,
    getter_targets,
    inlined_callback,
    inlined_here,
    is_null,
    literal_type,
    new_array_fill,
    null_test,
    number_constant,
    parallel_parts,
    ref_cell,
    setter_target,
    static_target,
    unit_local,
    uses_this,
    walk,
)
from .madestrings import LONG_COPY
from .native import (
    C_ARENA,
    C_ARENA_END,
    C_BUILT,
    C_DEOPT,
    C_DEPTH,
    C_EPOCH,
    C_GLOBALS,
    C_LOG,
    C_LOG_CAP,
    C_LOG_N,
    C_OUT_COMMITTED,
    C_OUT_N,
    C_RNG,
    C_SITES,
    C_STR,
    C_STR_END,
    C_TIER_UP,
    C_WORK,
    COLD_EXIT,
    DEOPT,
    F_CKPT,
    F_RET,
    F_VARS,
    LOG_WIDTH_SHIFT,
    MAX_NATIVE_DEPTH,
    OK,
    OVERFLOW,
    PUSHED,
    RETURNED,
    TIER_UP,
)
from .scope import Global, Local, Outer
from .shapes import HOLE_REF, NEVER_NULL, NO_OBJECT, NULL_ARRAY_REF, NULL_TEST, UNDEF_REF
from .values import JS_SPACE, MAX_STRING, Builtin

D = ir.DoubleType()
I1 = ir.IntType(1)
I8P = ir.IntType(8).as_pointer()
I16 = ir.IntType(16)
I32 = ir.IntType(32)
I64 = ir.IntType(64)
I64P = I64.as_pointer()
DP = D.as_pointer()
VOID = ir.VoidType()
F32 = ir.FloatType()
LLTYPE = {NUM: D, INT: I32, BOOL: I1, **{t: I64P for t in REFS}}
# a typed array's element as memory holds it, and whether an integer one is signed
TYPED_ELEMENT = {"i8arr": ir.IntType(8), "u8arr": ir.IntType(8), "u8carr": ir.IntType(8), "i16arr": ir.IntType(16),
                 "u16arr": ir.IntType(16), "i32arr": I32, "u32arr": I32, "f32arr": F32}  # fmt: skip
SIGNED = ("i8arr", "i16arr", "i32arr")
JSTYPE = {INT: "number", NUM: "number", BOOL: "boolean"}  # (=== of different JS types is false)
COMMIT_EVERY = 4096  # undo-log entries after which an inner back-edge commits too


@dataclass
class Signature:
    params: tuple[str, ...]
    ret: str


@dataclass
class UnitPlan:
    """What to compile: a function (``loop`` None) or a loop of ``owner``."""

    kind: str  # "function" | "loop"
    uid: int
    body: list  # statements (function body, or [loop])
    var_types: dict  # Binding -> type
    params: list  # Bindings (function units)
    sig: Signature | None
    globals: dict  # Cell -> type or ("fn", JSFunction)
    callees: dict  # JSFunction -> Signature
    region_vars: list = field(default_factory=list)  # Bindings in frame order (commits spill them)
    top_loops: set = field(default_factory=set)  # loops that commit at every back-edge
    resumable: set = field(default_factory=set)  # loops the interpreter can resume at: only they commit
    loop: A.Node | None = None
    loop_ids: dict = field(default_factory=dict)  # loop node -> id (checkpoints)
    env: tuple | None = None  # the one closure's environment its captured variables are cells of
    env_cells: set = field(default_factory=set)  # the cells it reaches through env (Typer.env_cells) ...
    other_cells: set = field(default_factory=set)  # ... and through other closures' (Typer.other_cells)
    home: Any = None  # its function's scope, when its closures are inlined callbacks (jittypes.Typer.home)
    scope: Any = None  # its function's scope (env is that function's environment: jittypes.ref_cell)
    expansions: dict = field(default_factory=dict)  # call node -> inlining.Expansion (Typer.expansions)
    annotations: list = field(default_factory=list)  # (node, attribute, value): what annotate() gave its nodes
    closure_fns: dict = field(default_factory=dict)  # a loop unit's nested functions it calls (Typer.closure_fns)
    shared: dict = field(default_factory=dict)  # its captured variables, each through a cell (Typer.shared)


SMALL_LEAF_NODES = 60  # AST nodes of a callee that other modules get a private copy of (to inline)
_NUMERIC = (INT, NUM, BOOL)


def _small_leaf(plan: UnitPlan) -> bool:
    """A function unit worth copying into its callers' modules: small, no
    calls (Math's aside) or loops, nothing but numbers in its variables,
    signature and globals (its guards -- of the built-ins it uses -- become
    its callers'), no closure environment: the copy has no inline caches,
    allocations or commits, and emitting it twice is safe."""
    if plan.kind != "function" or plan.callees or any(plan.expansions.values()) or plan.env is not None:
        return False
    if plan.sig.ret not in _NUMERIC + (UNDEF,) or any(t not in _NUMERIC for t in plan.sig.params):
        return False
    if any(t not in _NUMERIC for t in plan.var_types.values()):
        return False
    if any(not isinstance(t, tuple) and t not in _NUMERIC for t in plan.globals.values()):  # (tuples: guards)
        return False
    n = 0
    for node in (x for stmt in plan.body for x in walk(stmt)):
        if isinstance(node, (A.For, A.While, A.DoWhile, A.ForOf, A.New, A.Func, A.Member)) and not _math(node):
            return False
        if isinstance(node, A.Call) and not _math(node.callee):
            return False
        n += 1
        if n > SMALL_LEAF_NODES:
            return False
    return True


def _math(node) -> bool:
    """``Math.name`` (a builtin the emitter calls directly: no inline cache)."""
    return isinstance(node, A.Member) and isinstance(node.obj, A.Ident) and node.obj.name == "Math"


def _const(v: float) -> ir.Constant:
    return ir.Constant(D, v)


# What ModuleBuilder.helper_str_number gives for a string its fast path does
# not read: a NaN no operation makes (arithmetic only passes a payload on).
STR_NUMBER_LEAVE_BITS = 0x7FF80000DEAD0001
STR_NUMBER_LEAVE = struct.unpack("<d", struct.pack("<Q", STR_NUMBER_LEAVE_BITS))[0]


def _m(ptr: ir.Value, region: str) -> ir.Value:
    """Note which memory ``ptr`` points into, for the type-based alias tags
    (ModuleBuilder.tag_memory): the context words, the undo log, a frame,
    descriptors, or the heap -- every value JS can see (elements, globals,
    object slots, string units), all of which may alias one another."""
    ptr._region = region
    return ptr


_TBAA_REGIONS = ("ctx", "log", "frame", "desc", "heap")


class ModuleBuilder:
    def __init__(self, tier) -> None:
        self.tier = tier
        self.module = ir.Module(name="js")
        self.module.triple = ""
        self._intrinsics: dict[str, ir.Function] = {}
        self._helpers: dict[str, ir.Function] = {}
        self.externals: dict[str, int] = {}
        self.strings: list[str] = []
        self.ic_sites: list = []  # apps.js.ics.Site, located in the code once it is loaded
        self.copies: dict[int, ir.Function] = {}  # uid -> a private copy of another module's function

    def tag_memory(self) -> int:
        """Give every load and store whose pointer was noted (``_m``) its
        region's TBAA tag: LLVM may then keep the undo log's count in a
        register and hoist descriptor loads (an array's length) out of loops
        -- nothing JS can see is in the context words, the log, a frame or a
        descriptor.  The number of accesses tagged."""
        root = self.module.add_metadata(["jsjit"])
        tags = {}
        for region in _TBAA_REGIONS:
            t = self.module.add_metadata([region, root, ir.Constant(I64, 0)])
            tags[region] = self.module.add_metadata([t, t, ir.Constant(I64, 0)])
        n = 0
        for f in self.module.functions:
            for blk in f.blocks:
                for ins in blk.instructions:
                    if isinstance(ins, ir.LoadInstr):
                        ptr = ins.operands[0]
                    elif isinstance(ins, ir.StoreInstr):
                        ptr = ins.operands[1]
                    else:
                        continue
                    region = getattr(ptr, "_region", None)
                    if region is not None:
                        ins.set_metadata("tbaa", tags[region])
                        n += 1
        return n

    # --- declarations ----------------------------------------------------------------

    def intrinsic(self, name: str, ret, args) -> ir.Function:
        f = self._intrinsics.get(name)
        if f is None:
            f = ir.Function(self.module, ir.FunctionType(ret, args), name)
            self._intrinsics[name] = f
        return f

    def external(self, name: str, ret, args, address: int) -> ir.Function:
        f = self._intrinsics.get(name)
        if f is None:
            f = ir.Function(self.module, ir.FunctionType(ret, args), name)
            self._intrinsics[name] = f
            if address:
                self.externals[name] = address
        return f

    def libm(self, name: str, nargs: int) -> ir.Function:
        return self.intrinsic(name, D, [D] * nargs)

    def callback(self, name: str) -> ir.Function:
        addr, ret, args = self.tier.callbacks[name]
        return self.external(f"jscb_{name}", ret, args, addr)

    def function_decl(self, uid: int, sig: Signature) -> ir.Function:
        name = f"jsfn_{uid}"
        f = self._intrinsics.get(name)
        if f is None:
            ret = VOID if sig.ret == UNDEF else LLTYPE[sig.ret]
            argt = [LLTYPE[p] for p in sig.params] + [I8P, DP]  # ctx; frame (null unless outermost)
            f = ir.Function(self.module, ir.FunctionType(ret, argt), name)
            self._intrinsics[name] = f
        return f

    def private_copy(self, unit) -> ir.Function | None:
        """``unit``'s function, compiled in another module, emitted again
        into this one as an internal function -- when it is a small leaf
        (numbers in, a number out, no calls, no loops, nothing captured).
        LLVM's O2 then inlines it into its callers here, as a JS engine
        inlines a small hot callee: spectral-norm's ``A(i, j)``, called
        across modules, cost a call, a depth check and a deopt-flag reload
        per inner iteration.  The copy behaves as the original: it is the
        same plan emitted again (same checks, same deopts, unwound by its
        caller, guarded by the same global cells), less the recursion depth
        count and the tier-up poll at its entry: a leaf cannot recurse, and
        its caller polls.  None: not a candidate."""
        plan = unit.plan
        done = self.copies.get(plan.uid)
        if done is not None:
            return done
        if not _small_leaf(plan):
            return None
        UnitEmitter(self, plan).emit_function(private=True)
        f = self.copies[plan.uid] = self._intrinsics[f"jsfn_{plan.uid}"]
        return f

    def helper_toint32(self) -> ir.Function:
        f = self._helpers.get("toint32")
        if f is not None:
            return f
        f = ir.Function(self.module, ir.FunctionType(I32, [D]), "js_toint32")
        f.linkage = "internal"
        self._helpers["toint32"] = f
        b = ir.IRBuilder(f.append_basic_block("entry"))
        x = f.args[0]
        fabs = self.intrinsic("llvm.fabs.f64", D, [D])
        ax = b.call(fabs, [x])
        small, big = f.append_basic_block("small"), f.append_basic_block("big")
        finite, zero = f.append_basic_block("finite"), f.append_basic_block("zero")
        b.cbranch(b.fcmp_ordered("<", ax, _const(2.0**31)), small, big)
        b.position_at_end(small)
        b.ret(b.fptosi(x, I32))
        b.position_at_end(big)
        b.cbranch(b.fcmp_ordered("<", ax, _const(math.inf)), finite, zero)
        b.position_at_end(finite)
        t = b.call(self.intrinsic("llvm.trunc.f64", D, [D]), [x])
        r = b.frem(t, _const(2.0**32))
        r = b.select(b.fcmp_ordered("<", r, _const(0.0)), b.fadd(r, _const(2.0**32)), r)
        b.ret(b.trunc(b.fptosi(r, I64), I32))
        b.position_at_end(zero)
        b.ret(ir.Constant(I32, 0))
        return f

    def _helper(self, name: str, ret, args, inline: bool = True) -> tuple[ir.Function, ir.IRBuilder | None]:
        """An internal helper function: (it, None) once made, else (it, a
        builder at its entry) for the caller to fill in."""
        f = self._helpers.get(name)
        if f is not None:
            return f, None
        f = ir.Function(self.module, ir.FunctionType(ret, args), name)
        f.linkage = "internal"
        if inline:
            f.attributes.add("alwaysinline")
        self._helpers[name] = f
        return f, ir.IRBuilder(f.append_basic_block("entry"))

    def _str_parts(self, b, desc):
        """(u16* units, i64 length) of a string descriptor (apps.js.jitstrings)."""
        units = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), ir.IntType(16).as_pointer())
        return units, b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc"))

    def helper_str_cmp(self) -> ir.Function:
        """i32 js_str_cmp(a, b): -1, 0 or 1 as a < b, a == b, a > b compare
        code unit by code unit (JS's string order)."""
        f, b = self._helper("js_str_cmp", I32, [I64P, I64P], inline=False)
        if b is None:
            return f
        x, y = f.args
        same, scan = f.append_basic_block("same"), f.append_basic_block("scan")
        b.cbranch(b.icmp_unsigned("==", x, y), same, scan)
        b.position_at_end(same)
        b.ret(ir.Constant(I32, 0))
        b.position_at_end(scan)
        ux, nx = self._str_parts(b, x)
        uy, ny = self._str_parts(b, y)
        n = b.select(b.icmp_signed("<", nx, ny), nx, ny)
        head, body, differ, tail = (f.append_basic_block(k) for k in ("head", "body", "differ", "tail"))
        start = b.block
        b.branch(head)
        b.position_at_end(head)
        i = b.phi(I64)
        i.add_incoming(ir.Constant(I64, 0), start)
        b.cbranch(b.icmp_signed("<", i, n), body, tail)
        b.position_at_end(body)
        cx, cy = b.load(_m(b.gep(ux, [i]), "heap")), b.load(_m(b.gep(uy, [i]), "heap"))
        nxt = b.add(i, ir.Constant(I64, 1))
        i.add_incoming(nxt, body)
        b.cbranch(b.icmp_unsigned("==", cx, cy), head, differ)
        b.position_at_end(differ)
        b.ret(b.select(b.icmp_unsigned("<", cx, cy), ir.Constant(I32, -1), ir.Constant(I32, 1)))
        b.position_at_end(tail)
        lt = b.select(b.icmp_signed("<", nx, ny), ir.Constant(I32, -1), ir.Constant(I32, 0))
        b.ret(b.select(b.icmp_signed(">", nx, ny), ir.Constant(I32, 1), lt))
        return f

    def helper_str_find(self) -> ir.Function:
        """i64 js_str_find(hay, needle, from, only): the first position at or
        after ``from`` where needle's units occur in hay's, or -1 (none
        before 0 or past the end); with ``only`` set, only ``from`` itself is
        tried (startsWith, endsWith).  A plain scan, as V8's for short
        needles: O(n * m) at worst."""
        f, b = self._helper("js_str_find", I64, [I64P, I64P, I64, I1], inline=False)
        if b is None:
            return f
        hay, ndl, start, only = f.args
        c = ir.Constant
        hu, n = self._str_parts(b, hay)
        nu, m = self._str_parts(b, ndl)
        limit = b.sub(n, m)  # (the last position a match can start at)
        entry = b.block
        head, body, inner, step, cmp, found, miss = (
            f.append_basic_block(k) for k in ("head", "body", "inner", "step", "cmp", "found", "miss")
        )
        b.branch(head)
        b.position_at_end(head)
        at = b.phi(I64)
        at.add_incoming(start, entry)
        inside = b.and_(b.icmp_signed(">=", at, c(I64, 0)), b.icmp_signed("<=", at, limit))
        b.cbranch(inside, body, miss)
        b.position_at_end(body)
        b.branch(inner)
        b.position_at_end(inner)
        k = b.phi(I64)
        k.add_incoming(c(I64, 0), body)
        b.cbranch(b.icmp_signed("<", k, m), cmp, found)
        b.position_at_end(cmp)
        x = b.load(_m(b.gep(hu, [b.add(at, k)]), "heap"))
        y = b.load(_m(b.gep(nu, [k]), "heap"))
        k.add_incoming(b.add(k, c(I64, 1)), cmp)
        b.cbranch(b.icmp_unsigned("==", x, y), inner, step)
        b.position_at_end(step)
        at.add_incoming(b.add(at, c(I64, 1)), step)
        b.cbranch(only, miss, head)
        b.position_at_end(found)
        b.ret(at)
        b.position_at_end(miss)
        b.ret(c(I64, -1))
        return f

    def helper_str_number(self) -> ir.Function:
        """double js_str_number(s, mode): the number of string ``s`` as
        ToNumber (mode 0: ``+s``, ``Number(s)``), parseInt (1: no radix, or
        10) or parseFloat (2) reads it, where it is an optional sign and 1-15
        ASCII digits, for ToNumber and parseFloat with at most one ``.``
        among them -- v / 10^k of two doubles that are exact, so one
        rounding, the nearest double -- then, for parseInt, anything but an
        ``x`` after a lone 0 (hex), for parseFloat anything but ``e`` or
        ``E``, for ToNumber nothing; ToNumber of "" is 0.  Anything else --
        white space, exponents, hex, Infinity, more digits, none -- is
        ``STR_NUMBER_LEAVE``: the caller leaves compiled code and the
        interpreter reads it."""
        f, b = self._helper("js_str_number", D, [I64P, I64], inline=False)
        if b is None:
            return f
        desc, mode = f.args
        c = ir.Constant
        units, n = self._str_parts(b, desc)
        leave = c(D, STR_NUMBER_LEAVE)
        empty, some, head, body, digit, dot, stopped, finish, out = (
            f.append_basic_block(k)
            for k in ("empty", "some", "head", "body", "digit", "dot", "stopped", "finish", "out")
        )
        b.cbranch(b.icmp_signed("==", n, c(I64, 0)), empty, some)
        b.position_at_end(empty)
        b.ret(b.select(b.icmp_signed("==", mode, c(I64, 0)), _const(0.0), _const(math.nan)))
        b.position_at_end(some)
        u0 = b.load(_m(b.gep(units, [c(I64, 0)]), "heap"))
        neg = b.icmp_unsigned("==", u0, c(I16, ord("-")))
        start = b.zext(b.or_(neg, b.icmp_unsigned("==", u0, c(I16, ord("+")))), I64)
        b.branch(head)
        # (i: the unit read next; v: the digits so far; count: how many; p: 10^k, k the digits after the dot)
        b.position_at_end(head)
        i, v, count, p, seen = b.phi(I64), b.phi(I64), b.phi(I64), b.phi(I64), b.phi(I1)
        for phi, first in zip((i, v, count, p, seen), (start, c(I64, 0), c(I64, 0), c(I64, 1), c(I1, 0)), strict=True):
            phi.add_incoming(first, some)
        b.cbranch(b.icmp_signed("<", i, n), body, finish)
        b.position_at_end(body)
        u = b.load(_m(b.gep(units, [i]), "heap"))
        d = b.zext(b.sub(u, c(I16, ord("0"))), I64)
        b.cbranch(b.icmp_unsigned("<", d, c(I64, 10)), digit, dot)
        b.position_at_end(digit)
        i.add_incoming(b.add(i, c(I64, 1)), digit)
        v.add_incoming(b.add(b.mul(v, c(I64, 10)), d), digit)
        count.add_incoming(b.add(count, c(I64, 1)), digit)
        p.add_incoming(b.select(seen, b.mul(p, c(I64, 10)), p), digit)
        seen.add_incoming(seen, digit)
        b.cbranch(b.icmp_signed(">=", count, c(I64, 15)), out, head)  # (count before this digit: a 16th leaves)
        b.position_at_end(dot)  # (a first dot, where ToNumber or parseFloat reads: the fraction follows)
        takes = b.and_(
            b.and_(b.icmp_unsigned("==", u, c(I16, ord("."))), b.not_(seen)),
            b.icmp_signed("!=", mode, c(I64, 1)),
        )
        i.add_incoming(b.add(i, c(I64, 1)), dot)
        v.add_incoming(v, dot)
        count.add_incoming(count, dot)
        p.add_incoming(p, dot)
        seen.add_incoming(c(I1, 1), dot)
        b.cbranch(takes, head, stopped)
        b.position_at_end(stopped)  # (at unit i, not read: what follows the digits decides)
        hex_ = b.and_(
            b.and_(b.icmp_signed("==", count, c(I64, 1)), b.icmp_signed("==", v, c(I64, 0))),
            b.icmp_unsigned("==", b.or_(u, c(I16, 0x20)), c(I16, ord("x"))),
        )
        exponent = b.icmp_unsigned("==", b.or_(u, c(I16, 0x20)), c(I16, ord("e")))
        by_mode = b.select(
            b.icmp_signed("==", mode, c(I64, 1)),
            b.not_(hex_),
            b.and_(b.icmp_signed("==", mode, c(I64, 2)), b.not_(exponent)),
        )
        b.cbranch(by_mode, finish, out)
        b.position_at_end(finish)
        ok = b.icmp_signed(">", count, c(I64, 0))
        x = b.fdiv(b.sitofp(v, D), b.sitofp(p, D))
        b.ret(b.select(ok, b.select(neg, b.fneg(x), x), leave))
        b.position_at_end(out)
        b.ret(leave)
        return f

    def _memcpy(self, b, dst, src, nbytes) -> None:
        f = self._intrinsics.get("memcpy")
        if f is None:
            f = self._intrinsics["memcpy"] = self.module.declare_intrinsic("llvm.memcpy", [I8P, I8P, I64])
        b.call(f, [b.inttoptr(dst, I8P), b.inttoptr(src, I8P), nbytes, ir.Constant(I1, 0)])

    def helper_str_new(self) -> ir.Function:
        """i64* js_str_new(ctx, n): the descriptor of a new string of n units
        for the caller to fill -- units taken up from ctx[C_STR], the
        descriptor down from ctx[C_STR_END] (apps.js.madestrings), a new
        chunk asked of the engine when they would cross; null (C_DEOPT set)
        when the run may not hold more."""
        f, b = self._helper("js_str_new", I64P, [I8P, I64], inline=False)
        if b is None:
            return f
        ctx, n = f.args
        c = ir.Constant
        words = b.bitcast(ctx, I64P)
        top_p, end_p = (_m(b.gep(words, [c(I64, w)]), "ctx") for w in (C_STR, C_STR_END))
        nbytes = b.shl(n, c(I64, 1))
        check, take, more, fail = (f.append_basic_block(k) for k in ("check", "take", "more", "fail"))
        b.branch(check)
        b.position_at_end(check)
        top, end = b.load(top_p), b.load(end_p)
        room = b.icmp_unsigned("<=", b.add(b.add(top, nbytes), c(I64, 16)), end)  # (both 0 at a run's start)
        b.cbranch(room, take, more).set_weights([1 << 10, 1])
        b.position_at_end(take)
        b.store(b.add(top, nbytes), top_p)
        d = b.sub(end, c(I64, 16))
        b.store(d, end_p)
        desc = b.inttoptr(d, I64P)
        b.store(top, _m(desc, "desc"))
        b.store(n, _m(b.gep(desc, [c(I64, 1)]), "desc"))
        b.ret(desc)
        b.position_at_end(more)
        got = b.call(self.callback("str_chunk"), [b.add(nbytes, c(I64, 16))])
        b.cbranch(b.icmp_unsigned("!=", got, c(I64, 0)), check, fail)
        b.position_at_end(fail)
        b.ret(c(I64P, None))
        return f

    def helper_str_concat(self) -> ir.Function:
        """i64* js_str_concat(ctx, a, b): a + b.  Either empty: the other
        itself.  When a's units end at ctx[C_STR] (it is the string made
        last: ``t += c`` in a loop), b's units are appended there and the
        new string shares a's; when b is the string made last and its units
        follow a's, the new string shares both; else both are copied.
        Null: leave (js_str_new's)."""
        f, b = self._helper("js_str_concat", I64P, [I8P, I64P, I64P], inline=False)
        if b is None:
            return f
        ctx, x, y = f.args
        c = ir.Constant
        zero = c(I64, 0)
        ux, nx = self._str_parts(b, x)
        uy, ny = self._str_parts(b, y)
        ret_x, not_y_empty, ret_y, both, append, copy = (
            f.append_basic_block(k) for k in ("ret_a", "b_nonempty", "ret_b", "both", "append", "copy")
        )
        b.cbranch(b.icmp_unsigned("==", ny, zero), ret_x, not_y_empty)
        b.position_at_end(ret_x)
        b.ret(x)
        b.position_at_end(not_y_empty)
        b.cbranch(b.icmp_unsigned("==", nx, zero), ret_y, both)
        b.position_at_end(ret_y)
        b.ret(y)
        b.position_at_end(both)
        words = b.bitcast(ctx, I64P)
        too_long, short = f.append_basic_block("too_long"), f.append_basic_block("short")
        b.cbranch(b.icmp_unsigned(">", b.add(nx, ny), c(I64, MAX_STRING)), too_long, short)
        b.position_at_end(too_long)  # (the interpreter's RangeError)
        b.store(c(I64, 1), _m(b.gep(words, [c(I64, C_DEOPT)]), "ctx"))
        b.ret(c(I64P, None))
        b.position_at_end(short)
        top_p, end_p = (_m(b.gep(words, [c(I64, w)]), "ctx") for w in (C_STR, C_STR_END))
        top, end = b.load(top_p), b.load(end_p)
        ax, ay = b.ptrtoint(ux, I64), b.ptrtoint(uy, I64)
        bx, by = b.shl(nx, c(I64, 1)), b.shl(ny, c(I64, 1))
        a_end = b.add(ax, bx)
        at_top = b.icmp_unsigned("==", a_end, top)  # (never at a chunk's start: madestrings)
        # b made last, right after a (``t += i + ";"``: the right side is built
        # first, after t): the two already lie in order -- nothing to copy
        joined = b.and_(b.icmp_unsigned("==", a_end, ay), b.icmp_unsigned("==", b.add(ay, by), top))
        extra = b.select(joined, zero, by)
        fits = b.icmp_unsigned("<=", b.add(b.add(top, extra), c(I64, 16)), end)
        b.cbranch(b.and_(b.or_(at_top, joined), fits), append, copy)
        b.position_at_end(append)
        self._memcpy(b, top, ay, extra)
        b.store(b.add(top, extra), top_p)
        d = b.sub(end, c(I64, 16))
        b.store(d, end_p)
        desc = b.inttoptr(d, I64P)
        b.store(ax, _m(desc, "desc"))
        b.store(b.add(nx, ny), _m(b.gep(desc, [c(I64, 1)]), "desc"))
        b.ret(desc)
        b.position_at_end(copy)
        fail, fill, new = f.append_basic_block("fail"), f.append_basic_block("fill"), f.append_basic_block("new")
        long, asked = f.append_basic_block("long_copy"), f.append_basic_block("long_copy_ok")
        b.cbranch(b.icmp_unsigned(">=", b.add(nx, ny), c(I64, LONG_COPY)), long, new)
        b.position_at_end(long)  # (the engine counts them: MadeStrings.long_copy)
        ok = b.call(self.callback("str_long_copy"), [b.add(bx, by)])
        b.cbranch(b.icmp_unsigned("!=", ok, zero), new, asked)
        b.position_at_end(asked)
        b.ret(c(I64P, None))
        b.position_at_end(new)
        made = b.call(self.helper_str_new(), [ctx, b.add(nx, ny)])
        b.cbranch(b.icmp_unsigned("==", b.ptrtoint(made, I64), zero), fail, fill)
        b.position_at_end(fail)
        b.ret(made)
        b.position_at_end(fill)
        u = b.load(_m(made, "desc"))
        self._memcpy(b, u, ax, bx)
        self._memcpy(b, b.add(u, bx), ay, by)
        b.ret(made)
        return f

    def helper_int_str(self) -> ir.Function:
        """i64* js_int_str(ctx, i64 v): v's decimal digits (|v| < 2^63; the
        caller passes integers JS prints that way: below 2^53); null: leave."""
        f, b = self._helper("js_int_str", I64P, [I8P, I64], inline=False)
        if b is None:
            return f
        ctx, v = f.args
        c = ir.Constant
        ten = c(I64, 10)
        neg = b.icmp_signed("<", v, c(I64, 0))
        mag = b.select(neg, b.neg(v), v)
        start = b.block
        count, counted = f.append_basic_block("count"), f.append_basic_block("counted")
        b.branch(count)
        b.position_at_end(count)
        q, k = b.phi(I64), b.phi(I64)
        q.add_incoming(mag, start)
        k.add_incoming(c(I64, 0), start)
        q2, k2 = b.udiv(q, ten), b.add(k, c(I64, 1))
        q.add_incoming(q2, count)
        k.add_incoming(k2, count)
        b.cbranch(b.icmp_unsigned("!=", q2, c(I64, 0)), count, counted)
        b.position_at_end(counted)
        n = b.add(k2, b.zext(neg, I64))
        last = b.sub(n, c(I64, 1))
        made = b.call(self.helper_str_new(), [ctx, n])
        fail, fill = f.append_basic_block("fail"), f.append_basic_block("fill")
        b.cbranch(b.icmp_unsigned("==", b.ptrtoint(made, I64), c(I64, 0)), fail, fill)
        b.position_at_end(fail)
        b.ret(made)
        b.position_at_end(fill)
        units = b.inttoptr(b.load(_m(made, "desc")), ir.IntType(16).as_pointer())
        i16 = ir.IntType(16)
        sign, digits, done = (f.append_basic_block(k) for k in ("sign", "digits", "done"))
        b.cbranch(neg, sign, digits)
        b.position_at_end(sign)
        b.store(c(i16, ord("-")), _m(units, "heap"))
        b.branch(digits)
        b.position_at_end(digits)  # (from the last unit back: do { unit = '0' + q % 10 } while (q /= 10))
        q, i = b.phi(I64), b.phi(I64)
        for pred in (fill, sign):
            q.add_incoming(mag, pred)
            i.add_incoming(last, pred)
        digit = b.trunc(b.add(b.urem(q, ten), c(I64, ord("0"))), i16)
        b.store(digit, _m(b.gep(units, [i]), "heap"))
        q2 = b.udiv(q, ten)
        q.add_incoming(q2, digits)
        i.add_incoming(b.sub(i, c(I64, 1)), digits)
        b.cbranch(b.icmp_unsigned("!=", q2, c(I64, 0)), digits, done)
        b.position_at_end(done)
        b.ret(made)
        return f

    def helper_mod(self) -> ir.Function:
        """JS %: integer remainder when both sides are integers that fit, else fmod."""
        f = self._helpers.get("mod")
        if f is not None:
            return f
        f = ir.Function(self.module, ir.FunctionType(D, [D, D]), "js_mod")
        f.linkage = "internal"
        f.attributes.add("alwaysinline")
        self._helpers["mod"] = f
        b = ir.IRBuilder(f.append_basic_block("entry"))
        x, y = f.args
        fast, slow = f.append_basic_block("int"), f.append_basic_block("float")
        lim = _const(2.0**53)
        fabs = self.intrinsic("llvm.fabs.f64", D, [D])
        ax, ay = b.call(fabs, [x]), b.call(fabs, [y])
        xi, yi = b.fptosi(b.select(b.fcmp_ordered("<", ax, lim), x, _const(0.0)), I64), None
        yi = b.fptosi(b.select(b.fcmp_ordered("<", ay, lim), y, _const(0.0)), I64)
        ok = b.and_(b.fcmp_ordered("<", ax, lim), b.fcmp_ordered("<", ay, lim))
        ok = b.and_(ok, b.fcmp_ordered("==", b.sitofp(xi, D), x))
        ok = b.and_(ok, b.fcmp_ordered("==", b.sitofp(yi, D), y))
        ok = b.and_(ok, b.icmp_signed(">", yi, ir.Constant(I64, 0)))
        # x's sign bit clear, not xi >= 0: -0 converts to 0 and equals it, but -0 % y is -0
        ok = b.and_(ok, b.icmp_signed(">=", b.bitcast(x, I64), ir.Constant(I64, 0)))
        b.cbranch(ok, fast, slow)
        b.position_at_end(fast)
        b.ret(b.sitofp(b.srem(xi, yi), D))  # non-negative operands (+0 included): no -0 to keep
        b.position_at_end(slow)
        b.ret(b.frem(x, y))
        return f

    def helper_pow(self) -> ir.Function:
        f = self._helpers.get("pow")
        if f is not None:
            return f
        f = ir.Function(self.module, ir.FunctionType(D, [D, D]), "js_pow")
        f.linkage = "internal"
        self._helpers["pow"] = f
        b = ir.IRBuilder(f.append_basic_block("entry"))
        x, y = f.args
        square, general = f.append_basic_block("square"), f.append_basic_block("general")
        b.cbranch(b.fcmp_ordered("==", y, _const(2.0)), square, general)
        b.position_at_end(square)  # (fdlibm's x ** 2 is x * x: inline)
        b.ret(b.fmul(x, x))
        b.position_at_end(general)  # V8's fdlibm pow (apps.js.fdlibm), not libm's
        b.ret(b.call(self.callback("math_pow"), [x, y]))
        return f


class UnitEmitter:
    """Emits one unit into a ModuleBuilder."""

    def __init__(self, mb: ModuleBuilder, plan: UnitPlan) -> None:
        self.mb = mb
        self.plan = plan
        self.tier = mb.tier
        # The AST's types are the last annotate()'s: another unit over the
        # same nodes (the function around this loop, the same function for
        # other argument types, planned in the same batch or since) may
        # have retyped them.  This unit's are put back before it is emitted.
        for node, name, value in plan.annotations:
            setattr(node, name, value)
        self.vars: dict = {}  # Binding -> alloca
        self.loops: list[tuple[ir.Block, ir.Block]] = []  # (continue target, break target)
        self.outermost = plan.kind == "loop"
        # Where cells are read: the unit's closure environment, or (inside
        # a callee compiled in place) the callee's, whose depths count from
        # ``env_scope`` (apps.js.inlining).
        self.env, self.env_scope = plan.env, None
        # What a return ends, innermost last: ("next", block) an inlined
        # forEach arrow's iteration; ("ret", block, slot, type) a call
        # compiled in place (its value stored in slot, None if unused).
        self.frames: list[tuple] = []
        self._pins: dict[int, ir.Value] = {}  # (id of an AST node -> its value, evaluated once: _pin_target)
        self.private = False  # (a private copy of a small leaf: ModuleBuilder.private_copy)
        self.ctx_words = None  # (the ctx argument as i64*, made at the entry: _allocas)

    # --- entry points ----------------------------------------------------------------------

    def emit_function(self, private: bool = False) -> None:
        """The unit's ``jsfn_N`` and its interpreter entry -- or, ``private``,
        only a module-internal copy of ``jsfn_N`` (ModuleBuilder.private_copy)."""
        plan = self.plan
        fn = self.mb.function_decl(plan.uid, plan.sig)
        if private:
            fn.linkage = "internal"
            fn.attributes.add("alwaysinline")  # (the baseline build inlines only these)
        self.fn = fn
        self.ctx, self.frame = fn.args[-2], fn.args[-1]
        b = self.b = ir.IRBuilder(fn.append_basic_block("entry"))
        self._allocas()
        for binding, arg in zip(plan.params, fn.args[:-2], strict=True):
            b.store(arg, self.vars[binding])
        self.deopt_block = None
        self.private = private
        if not private:  # (a private copy is a leaf, which cannot recurse, inlined into a caller that polls)
            # bounded recursion: past the limit, deoptimise (the interpreter then
            # raises RangeError where JS would)
            depth_slot = self._ctx_slot(b, self.ctx, C_DEPTH)
            depth = b.add(b.load(depth_slot), ir.Constant(I64, 1))
            b.store(depth, depth_slot)
            self._check(b.icmp_signed("<=", depth, ir.Constant(I64, MAX_NATIVE_DEPTH)))
            # an optimised build is ready: let the tier install it now (a
            # recursion or a loop of calls in progress then continues in it)
            want = b.icmp_unsigned("!=", self._ctx_load(b, self.ctx, C_TIER_UP), ir.Constant(I64, 0))
            with b.if_then(want, likely=False):
                b.call(self.mb.callback("tier_poll"), [])
        self.block(plan.body)
        if not b.block.is_terminated:
            if plan.sig.ret != UNDEF:
                raise NotCompilable("a path falls off the end without returning a value")
            self._leave()
            b.ret_void()
        if not private:
            self._emit_py_entry()

    def _sync_log(self) -> None:
        """The log's fill to its context word (before a call or an exit)."""
        self.b.store(self.b.load(self.log_n), self._ctx_slot(self.b, self.ctx, C_LOG_N))

    def _leave(self) -> None:
        """Before a function unit returns normally: one frame less deep, and
        its work counted (native.C_WORK)."""
        b = self.b
        self._sync_log()
        if not self.private:
            slot = self._ctx_slot(b, self.ctx, C_DEPTH)
            b.store(b.sub(b.load(slot), ir.Constant(I64, 1)), slot)
        self._add_work()

    def _add_work(self) -> None:
        """This unit's count of calls and loop iterations to the context's
        (native.C_WORK): what the tier weighs an entry from the interpreter by."""
        b = self.b
        work = self._ctx_slot(b, self.ctx, C_WORK)
        b.store(b.add(b.load(work), b.load(self.work)), work)

    def _emit_py_entry(self) -> None:
        plan = self.plan
        f = ir.Function(self.mb.module, ir.FunctionType(I64, [I8P, DP]), f"jsentry_{plan.uid}")
        b = ir.IRBuilder(f.append_basic_block("entry"))
        ctx, frame = f.args
        args = []
        for k, t in enumerate(plan.sig.params):
            slot = _m(b.gep(frame, [ir.Constant(I64, F_VARS + k)]), "frame")
            args.append(self._from_frame(b, slot, t))
        r = b.call(self.fn, args + [ctx, frame])  # outermost: commits go to this frame
        bad = b.icmp_unsigned("!=", self._ctx_load(b, ctx, C_DEOPT), ir.Constant(I64, 0))
        with b.if_then(bad, likely=False):
            b.ret(ir.Constant(I64, DEOPT))
        if plan.sig.ret != UNDEF:
            self._to_frame(b, _m(b.gep(frame, [ir.Constant(I64, F_RET)]), "frame"), r, plan.sig.ret)
        b.ret(ir.Constant(I64, OK))

    def emit_loop(self) -> None:
        plan = self.plan
        f = ir.Function(self.mb.module, ir.FunctionType(I64, [I8P, DP]), f"jsloop_{plan.uid}")
        self.fn = f
        self.ctx, self.frame = f.args
        b = self.b = ir.IRBuilder(f.append_basic_block("entry"))
        self._allocas()
        for k, binding in enumerate(plan.region_vars):
            slot = _m(b.gep(self.frame, [ir.Constant(I64, F_VARS + k)]), "frame")
            b.store(self._from_frame(b, slot, plan.var_types[binding]), self.vars[binding])
        self.deopt_block = f.append_basic_block("deopt")
        self.returned_block = None
        entry = b.block
        start = f.append_basic_block("start")
        b.position_at_end(start)
        self.heads: dict = {}
        self.stmt(plan.loop)
        if not b.block.is_terminated:
            self._spill()
            self._sync_log()
            self._add_work()
            b.ret(ir.Constant(I64, OK))
        # Entered at an inner loop's header (frame[F_CKPT] its id: the
        # interpreter was running it when it got hot) or at the top (0).
        b.position_at_end(entry)
        top = plan.loop_ids.get(plan.loop)
        inner = {k: h for k, h in self.heads.items() if k != top}
        if inner:
            at = b.fptosi(b.load(_m(b.gep(self.frame, [ir.Constant(I64, F_CKPT)]), "frame")), I64)
            sw = b.switch(at, start)
            for k, head in sorted(inner.items()):
                sw.add_case(ir.Constant(I64, k), head)
        else:
            b.branch(start)
        b.position_at_end(self.deopt_block)
        self._add_work()  # (a loop unit's work counts however it leaves: Tier._weigh_entry)
        b.ret(ir.Constant(I64, DEOPT))

    # --- helpers ----------------------------------------------------------------------------

    def _allocas(self) -> None:
        b = self.b
        # Values every block may use, made once in the entry block: less IR
        # to build, print, parse and compile (a module's build time scales
        # with its instruction count), and the baseline (no LICM) keeps them
        # in registers across loops.
        self.ctx_words = b.bitcast(self.ctx, I64P)
        self._hoisted: dict = {}
        # the undo log's fill in a local (a register, once LLVM is done): it
        # goes to the context word only where someone else reads it -- a
        # callee, the engine after an exit
        self.log_n = b.alloca(I64, name="log_n")
        b.store(self._ctx_load(b, self.ctx, C_LOG_N), self.log_n)
        self.log_base = b.inttoptr(self._ctx_load(b, self.ctx, C_LOG), I64P)
        self.log_cap = self._ctx_load(b, self.ctx, C_LOG_CAP)
        self.work = b.alloca(I64, name="work")  # (a register: it reaches C_WORK at a return)
        b.store(ir.Constant(I64, 1), self.work)  # (the call itself)
        for binding, t in self.plan.var_types.items():
            slot = b.alloca(LLTYPE[t], name=binding.name)
            b.store(ir.Constant(LLTYPE[t], None if t in REFS else (0 if t in (BOOL, INT) else 0.0)), slot)
            self.vars[binding] = slot
        self._entry_block = b.block
        self._entry_b = ir.IRBuilder(b.block)
        self._entry_last = self.ctx_words

    def _from_frame(self, b, slot, t):
        v = b.load(slot)
        if t == NUM:
            return v
        if t == INT:  # (the tier put an int32-valued double there)
            return b.fptosi(v, I32)
        if t == BOOL:
            return b.fcmp_ordered("!=", v, _const(0.0))
        return b.inttoptr(b.bitcast(v, I64), I64P)

    def _to_frame(self, b, slot, v, t) -> None:
        if t == NUM:
            b.store(v, slot)
        elif t == INT:
            b.store(b.sitofp(v, D), slot)
        elif t == BOOL:
            b.store(b.uitofp(v, D), slot)
        else:
            b.store(b.bitcast(b.ptrtoint(v, I64), D), slot)

    def _spill(self) -> None:
        b = self.b
        for k, binding in enumerate(self.plan.region_vars):
            slot = _m(b.gep(self.frame, [ir.Constant(I64, F_VARS + k)]), "frame")
            self._to_frame(b, slot, b.load(self.vars[binding]), self.plan.var_types[binding])

    def _ctx_slot(self, b, ctx, word: int):
        words = self.ctx_words if ctx is self.ctx and self.ctx_words is not None else b.bitcast(ctx, I64P)
        return _m(b.gep(words, [ir.Constant(I64, word)]), "ctx")

    def _in_entry(self, key, make):
        """``make(builder)`` once per function, in its entry block (so it
        dominates every use); cached under ``key``."""
        v = self._hoisted.get(key)
        if v is None:
            eb = self._entry_b
            eb.position_after(self._entry_last)  # (after what it may use; allocas may have moved it)
            v = self._hoisted[key] = self._entry_last = make(eb)
            if self.b.block is self._entry_block:  # (still appending to the entry: its place moved)
                self.b.position_at_end(self._entry_block)
        return v

    def _ctx_load(self, b, ctx, word: int):
        return b.load(self._ctx_slot(b, ctx, word))

    def _cold_exit(self) -> None:
        """A branch left to the interpreter (typer._branch): unwind as a deopt
        does, flagged 2 so the tier does not count it against the unit."""
        self._deopt(COLD_EXIT)

    def _deopt(self, flag: int | None = 1) -> None:
        """Leave compiled code: set the flag (None: keep the callee's) and
        unwind (to the interpreter)."""
        b = self.b
        self._sync_log()  # (the engine rolls back that many entries)
        if flag is not None:
            b.store(ir.Constant(I64, flag), self._ctx_slot(b, self.ctx, C_DEOPT))
        if self.outermost:
            b.branch(self.deopt_block)
        elif self.plan.sig.ret == UNDEF:
            b.ret_void()
        else:
            b.ret(ir.Constant(LLTYPE[self.plan.sig.ret], None if self.plan.sig.ret in REFS else 0))

    def _shared_deopt(self, flag: int | None = 1) -> ir.Block:
        """One deoptimisation exit per function and flag, shared by every check."""
        exits = self.__dict__.setdefault("_deopt_exits", {})
        blk = exits.get(flag)
        if blk is None:
            blk = exits[flag] = self.fn.append_basic_block("deopt_exit")
            here = self.b.block
            self.b.position_at_end(blk)
            self._deopt(flag)
            self.b.position_at_end(here)
        return blk

    def _check(self, ok, flag: int | None = 1) -> None:
        """Continue if ``ok``, else deoptimise (``OVERFLOW``: an int32
        speculation failed, and the unit is compiled again without it)."""
        b = self.b
        good = self.fn.append_basic_block("ok")
        b.cbranch(ok, good, self._shared_deopt(flag)).set_weights([1 << 20, 1])
        b.position_at_end(good)

    def _logged_store(self, addr_ptr: ir.Value, value: ir.Value, region: str = "heap") -> None:
        """Store a double (or a typed array's element; a pushed array's
        length word, in ``region`` "desc") after appending (address, old
        bits) to the transaction's undo log; a full log deoptimises."""
        b = self.b
        n = b.load(self.log_n)
        self._check(b.icmp_signed("<", n, self.log_cap))
        i2 = b.shl(n, ir.Constant(I64, 1))
        ty = value.type
        width = 4 if isinstance(ty, ir.FloatType) else ty.width // 8 if isinstance(ty, ir.IntType) else 8
        addr = b.ptrtoint(addr_ptr, I64)
        if width != 8:  # (a typed array's narrower element: native.Context.rollback restores that many bytes)
            addr = b.or_(addr, ir.Constant(I64, width << LOG_WIDTH_SHIFT))
        b.store(addr, _m(b.gep(self.log_base, [i2]), "log"))
        bits = ir.IntType(8 * width)
        old = b.load(_m(b.bitcast(addr_ptr, bits.as_pointer()), region))
        old = old if width == 8 else b.zext(old, I64)
        b.store(old, _m(b.gep(self.log_base, [b.add(i2, ir.Constant(I64, 1))]), "log"))
        b.store(value, addr_ptr)
        b.store(b.add(n, ir.Constant(I64, 1)), self.log_n)

    def _maybe_commit(self, loop_id: int, always: bool) -> None:
        """At a back-edge: commit if this is the outermost frame, and either the
        loop is a top-level one of the unit or the undo log is filling up."""
        b = self.b
        cond = b.icmp_unsigned("!=", b.ptrtoint(self.frame, I64), ir.Constant(I64, 0)) if not self.outermost else None
        if not always:
            big = b.icmp_signed(">=", b.load(self.log_n), ir.Constant(I64, COMMIT_EVERY))
            cond = big if cond is None else b.and_(cond, big)
        if cond is None:
            self._commit(loop_id)
        else:
            with b.if_then(cond, likely=False):
                self._commit(loop_id)
        if self.outermost:
            # A loop unit leaves at a back-edge once its optimised build (or
            # another module's) is ready, and is entered again as that build.
            go, loop_ids = self._tier_up_exit()
            stay = self.fn.append_basic_block("no_tier_up")
            want = b.icmp_unsigned("!=", self._ctx_load(b, self.ctx, C_TIER_UP), ir.Constant(I64, 0))
            b.cbranch(want, go, stay).set_weights([1, 1 << 20])
            loop_ids.add_incoming(ir.Constant(I64, loop_id), b.block)
            b.position_at_end(stay)

    def _tier_up_exit(self) -> tuple[ir.Block, ir.PhiInstr]:
        """The loop unit's one exit to switch builds: commit at the back-edge
        it came from (a phi of the loop ids) and leave flagged TIER_UP.  One
        block for all back-edges: a spill of every variable at each would
        grow a loop nest's IR by 40% (and its compile time with it)."""
        if getattr(self, "_tier_exit", None) is None:
            b = self.b
            here = b.block
            blk = self.fn.append_basic_block("tier_up")
            b.position_at_end(blk)
            loop_id = b.phi(I64, "loop_id")
            self._commit(loop_id)
            b.store(ir.Constant(I64, TIER_UP), self._ctx_slot(b, self.ctx, C_DEOPT))
            b.branch(self.deopt_block)
            b.position_at_end(here)
            self._tier_exit = (blk, loop_id)
        return self._tier_exit

    def _commit(self, loop_id: int | ir.Value) -> None:
        """Outermost frame, loop back-edge: spill, note the loop, truncate the log."""
        b = self.b
        self._spill()
        if isinstance(loop_id, int):
            loop_id = ir.Constant(I64, loop_id)
        b.store(b.sitofp(loop_id, D), _m(b.gep(self.frame, [ir.Constant(I64, F_CKPT)]), "frame"))
        b.store(ir.Constant(I64, 0), self.log_n)
        b.store(ir.Constant(I64, 0), self._ctx_slot(b, self.ctx, C_LOG_N))
        b.store(self._ctx_load(b, self.ctx, C_OUT_N), self._ctx_slot(b, self.ctx, C_OUT_COMMITTED))

    def _global_ptr(self, cell) -> ir.Value:
        slot = self.tier.global_slot(cell)
        # (the slots never move: native.Context allocates them once)
        base = self._in_entry("globals", lambda b: b.inttoptr(self._ctx_load(b, self.ctx, C_GLOBALS), DP))
        return self._in_entry(("global", slot), lambda b: _m(b.gep(base, [ir.Constant(I64, slot)]), "heap"))

    # --- statements ---------------------------------------------------------------------------

    def block(self, stmts: list) -> None:
        for s in stmts:
            if self.b.block.is_terminated:
                return
            self.stmt(s)

    def stmt(self, s: A.Node) -> None:
        b = self.b
        t = type(s)
        if getattr(s, "cold_stmt", False):  # (it has never run: jittypes.Unfed)
            self._cold_exit()
            return
        if t is A.ExprStmt and type(s.expr) is A.Str:
            pass  # (a directive)
        elif t is A.ExprStmt and getattr(s, "merged", False):
            pass  # (the fill the declaration before it compiled: jittypes.fill_after_decl)
        elif t is A.ExprStmt:
            self.expr(s.expr, statement=True)
        elif t is A.VarDecl and getattr(s, "filled", None) is not None:
            binding = s.decls[0][0].ref.binding
            t = self.plan.var_types[binding]
            b.store(self.new_array(*s.filled, t), self.vars[binding])
        elif t is A.VarDecl:
            for ident, init in s.decls:
                if init is None:  # (let x;: undefined, an object reference's UNDEF_REF -- jittypes.Typer.unset)
                    if self.plan.var_types.get(ident.ref.binding) == OBJ:  # (else assigned before any read)
                        b.store(b.inttoptr(ir.Constant(I64, UNDEF_REF), I64P), self.vars[ident.ref.binding])
                    continue
                v = self.expr(init)
                ref = ident.ref
                if isinstance(ref, Local):
                    b.store(self.coerce(v, init.jit_type, self.plan.var_types[ref.binding]), self.vars[ref.binding])
                else:
                    self._store_global(self._cell(ident), v, init.jit_type)
        elif t is A.Return:
            self._return(s)
        elif t is A.If:
            cold_then, cold_other = getattr(s, "cold", (False, False))
            cond = self.truth(s.test)
            then_bb = self.fn.append_basic_block("then")
            end_bb = self.fn.append_basic_block("endif")
            else_bb = self.fn.append_basic_block("else") if s.other is not None else end_bb
            b.cbranch(cond, then_bb, else_bb)
            b.position_at_end(then_bb)
            self._cold_exit() if cold_then else self.stmt(s.then)
            if not b.block.is_terminated:
                b.branch(end_bb)
            if s.other is not None:
                b.position_at_end(else_bb)
                self._cold_exit() if cold_other else self.stmt(s.other)
                if not b.block.is_terminated:
                    b.branch(end_bb)
            b.position_at_end(end_bb)
        elif t is A.Block:
            self.block(s.body)
        elif t in (A.While, A.For):
            self._loop(s)
        elif t is A.ForOf:
            self._for_of(s)
        elif t is A.DoWhile:
            body_bb = self.fn.append_basic_block("do")
            test_bb = self.fn.append_basic_block("dotest")
            end_bb = self.fn.append_basic_block("doend")
            b.branch(body_bb)
            b.position_at_end(body_bb)
            self._body(s.body, test_bb, end_bb)
            b.position_at_end(test_bb)
            self._count_work()
            b.cbranch(self.truth(s.test), body_bb, end_bb)
            b.position_at_end(end_bb)
        elif t is A.Switch:
            self._switch(s)
        elif t is A.Break:
            b.branch(self.loops[-1][1])
        elif t is A.Continue:
            b.branch(self.loops[-1][0])
        elif t is A.Empty:
            pass
        else:
            raise NotCompilable(t.__name__)

    def _loop(self, s) -> None:
        b = self.b
        # a loop unit enters its own loop at the header: the init already ran
        if isinstance(s, A.For) and s.init is not None and s is not self.plan.loop:
            self.stmt(s.init)
        head = self.fn.append_basic_block("head")
        body_bb = self.fn.append_basic_block("body")
        step = self.fn.append_basic_block("step")
        end = self.fn.append_basic_block("end")
        loop_id = self.plan.loop_ids.get(s) if self.plan.kind == "loop" else None
        if loop_id:
            self.heads[loop_id] = head
        b.branch(head)
        b.position_at_end(head)
        test = s.test
        if test is None:
            b.branch(body_bb)
        else:
            b.cbranch(self.truth(test), body_bb, end)
        b.position_at_end(body_bb)
        self._body(s.body, step, end)
        b.position_at_end(step)
        if isinstance(s, A.For) and s.update is not None:
            self.expr(s.update, statement=True)
        self._count_work()
        loop_id = self.plan.loop_ids.get(s)
        if loop_id and s in self.plan.resumable:
            # (a commit names the loop to resume at; one in no statement
            # list -- a labelled loop, another loop's whole body -- cannot
            # be resumed at, so its unit leaves only at an enclosing one)
            self._maybe_commit(loop_id, s in self.plan.top_loops)
        b.branch(head)
        b.position_at_end(end)

    def _count_work(self) -> None:
        """One more loop iteration (at a back-edge: native.C_WORK)."""
        self.b.store(self.b.add(self.b.load(self.work), ir.Constant(I64, 1)), self.work)

    def _for_of(self, s: A.ForOf) -> None:
        """``for (x of a)``: a[0], a[1], ... while the index is below the
        length, read again at each step as the array iterator reads it (a
        packed array's -1 once it is no longer packed deoptimises).  No
        commit at its back-edge: the interpreter resumes at loops only."""
        b = self.b
        kind = s.iterable.jit_type
        desc = self.expr(s.iterable)
        index = self._entry_alloca(I64, "of_index")
        b.store(ir.Constant(I64, 0), index)
        head, body_bb, step, end = (self.fn.append_basic_block(n) for n in ("of_head", "of_body", "of_step", "of_end"))
        b.branch(head)
        b.position_at_end(head)
        i = b.load(index)
        n = b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc"))
        self._check(b.icmp_signed(">=", n, ir.Constant(I64, 0)))
        b.cbranch(b.icmp_signed("<", i, n), body_bb, end)
        b.position_at_end(body_bb)
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
        v = self._read_element(_m(b.gep(data, [i]), "heap"), kind)
        self.store(s.target, v, ELEMENT[kind])
        b.store(b.add(i, ir.Constant(I64, 1)), index)
        self._body(s.body, step, end)
        b.position_at_end(step)
        self._count_work()
        b.branch(head)
        b.position_at_end(end)

    def _element_count(self, desc: ir.Value) -> ir.Value:
        """The length of the array at ``desc``, read once as forEach, map,
        filter and reduce read it (packed, and its indexes int32s: else leave)."""
        b = self.b
        n = b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc"))
        self._check(b.icmp_unsigned("<", n, ir.Constant(I64, 2**31)))
        return n

    def _element_loop(self, desc: ir.Value, n: ir.Value, kind: str, map_hole: bool, body) -> None:
        """A loop over elements 0..n-1 of the array at ``desc`` (of JIT kind
        ``kind``): ``body(slot, i, step)`` per element, ``step`` the next
        element's block.  An AOBJ's hole is skipped -- or, for map, whose
        result cannot hold one, leaves compiled code -- and so is an index
        the callback popped off the end since (the built-ins skip what is no
        longer there); an array no longer packed leaves.  No commit inside,
        as in a for...of."""
        b = self.b
        index = self._entry_alloca(I64, "el_index")
        b.store(ir.Constant(I64, 0), index)
        head, body_bb, step, end = (self.fn.append_basic_block(x) for x in ("el_head", "el_body", "el_step", "el_end"))
        b.branch(head)
        b.position_at_end(head)
        i = b.load(index)
        b.cbranch(b.icmp_signed("<", i, n), body_bb, end)
        b.position_at_end(body_bb)
        cur = b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc"))  # (the length now)
        self._check(b.icmp_signed(">=", cur, ir.Constant(I64, 0)))
        self._skip_or_leave(b.icmp_signed(">=", i, cur), map_hole, step)
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
        slot = _m(b.gep(data, [i]), "heap")
        if kind == AOBJ:
            hole = b.icmp_unsigned("==", b.load(_m(b.bitcast(slot, I64P), "heap")), ir.Constant(I64, HOLE_REF))
            self._skip_or_leave(hole, map_hole, step)
        body(slot, i, step)
        if not b.block.is_terminated:
            b.branch(step)
        b.position_at_end(step)
        b.store(b.add(b.load(index), ir.Constant(I64, 1)), index)
        self._count_work()
        b.branch(head)
        b.position_at_end(end)

    def _skip_or_leave(self, missing: ir.Value, leave: bool, step: ir.Block) -> None:
        """An element loop's element that is not there (``missing``): on to
        ``step``, or -- ``leave``: map's, whose result cannot hold a hole --
        out of compiled code."""
        b = self.b
        if leave:
            self._check(b.not_(missing))
            return
        there = self.fn.append_basic_block("el_there")
        b.cbranch(missing, step, there)
        b.position_at_end(there)

    def _alloc_holes(self, n: ir.Value) -> ir.Value:
        """An array of ``n`` holes from the engine (Allocator.holes: an array
        of objects once stored into); 0 back -- a bad length, the run's heap
        full -- leaves."""
        b = self.b
        addr = b.call(self.mb.callback("alloc_holes"), [n])
        self._check(b.icmp_unsigned("!=", addr, ir.Constant(I64, 0)), None)  # (the flag it set)
        return b.inttoptr(addr, I64P)

    def _bind_element(self, ps: list, k: int, x: ir.Value, kind: str, i: ir.Value) -> None:
        """An inlined arrow's parameters ``ps[k]`` and ``ps[k + 1]``: the
        element ``x`` (of an array of ``kind``) and its index ``i``."""
        b, types = self.b, self.plan.var_types
        if len(ps) > k and ps[k] in types:
            b.store(self.coerce(x, ELEMENT[kind], types[ps[k]]), self.vars[ps[k]])
        if len(ps) > k + 1 and ps[k + 1] in types:
            b.store(self.coerce(b.trunc(i, I32), INT, types[ps[k + 1]]), self.vars[ps[k + 1]])

    def _for_each(self, e: A.Call, cb: A.Func) -> None:
        """``a.forEach(arrow)`` in place (jittypes.inlined_callback): the
        arrow's body per element (a hole skipped), its parameters the
        element and its index, ``return`` the next element."""
        kind = e.callee.obj.jit_type
        desc = self.expr(e.callee.obj)

        def body(slot, i, step):
            self._bind_element(cb.scope.params, 0, self._read_element(slot, kind), kind, i)
            self.frames.append(("next", step))
            self.block(cb.body)
            self.frames.pop()

        self._element_loop(desc, self._element_count(desc), kind, False, body)

    def _array_callback(self, e: A.Call, cb: A.Func, name: str) -> ir.Value:
        """``a.map(f)``, ``a.filter(f)``, ``a.reduce(f, init)`` in place
        (jittypes.Typer.array_callback): the arrow's expression per element.
        map fills a new packed array of n (:meth:`_new_packed`, unlogged:
        nothing else sees it yet); filter pushes each element kept
        onto a new empty one (an array of objects' from ``alloc_holes``);
        reduce keeps its sum in the arrow's first parameter (a hole skipped).
        some, every and findIndex stop at the first element whose test
        answers (:meth:`_search`)."""
        b = self.b
        kind = e.callee.obj.jit_type
        if name in SEARCHES:
            return self._search(e, cb, name, kind)
        desc = self.expr(e.callee.obj)
        ps = cb.scope.params
        types = self.plan.var_types
        if name == "reduce":
            init = self.expr(e.args[1])
            if ps[0] in types:
                b.store(self.coerce(init, e.args[1].jit_type, types[ps[0]]), self.vars[ps[0]])
        n = self._element_count(desc)
        out = None
        if name == "filter" and kind == AOBJ:
            out = self._alloc_holes(_const(0.0))
        elif name in ("map", "filter"):
            bools = e.jit_type == BARR
            size = b.sitofp(n, D) if name == "map" else _const(0.0)
            out = self._new_packed(size, _const(0.0), bools, True)
        expr = cb.body[0].value

        def body(slot, i, step):
            x = self._read_element(slot, kind)
            self._bind_element(ps, 1 if name == "reduce" else 0, x, kind, i)
            v = self.expr(expr)
            if name == "map":
                d = b.uitofp(v, D) if e.jit_type == BARR else self.coerce(v, expr.jit_type, NUM)
                od = b.inttoptr(b.load(_m(b.gep(out, [ir.Constant(I64, 0)]), "desc")), DP)
                b.store(d, _m(b.gep(od, [i]), "heap"))
            elif name == "filter":
                with b.if_then(self._truth_of(v, expr.jit_type)):
                    word = b.bitcast(b.ptrtoint(x, I64), D) if kind == AOBJ else x  # (a reference: shapes.element_word)
                    self._push_value(out, b.uitofp(x, D) if kind == BARR else word)
            elif ps[0] in types:
                b.store(self.coerce(v, expr.jit_type, types[ps[0]]), self.vars[ps[0]])

        self._element_loop(desc, n, kind, name == "map", body)
        if out is not None:
            return out
        return self.coerce(b.load(self.vars[ps[0]]), types[ps[0]], e.jit_type)

    def _search(self, e: A.Call, cb: A.Func, name: str, kind: str) -> ir.Value:
        """``a.some(f)``, ``a.every(f)``, ``a.findIndex(f)`` in place: the
        arrow's test per element, the loop left at the first that answers
        (some: true, every: false, findIndex: its index).  some and every
        skip a hole and an index popped since (the built-ins ask
        HasProperty); findIndex reads every index up to the length it began
        with, a missing one as undefined -- which leaves compiled code, as
        map's does."""
        b = self.b
        desc = self.expr(e.callee.obj)
        ps = cb.scope.params
        expr = cb.body[0].value
        found = self.fn.append_basic_block("el_found")
        if name == "findIndex":
            result = self._entry_alloca(I32, "found_index")
            b.store(ir.Constant(I32, -1), result)
        else:
            result = self._entry_alloca(I1, "found")
            b.store(ir.Constant(I1, name == "every"), result)

        def body(slot, i, step):
            self._bind_element(ps, 0, self._read_element(slot, kind), kind, i)
            t = self._truth_of(self.expr(expr), expr.jit_type)
            with b.if_then(b.not_(t) if name == "every" else t, likely=False):
                b.store(b.trunc(i, I32) if name == "findIndex" else ir.Constant(I1, name == "some"), result)
                b.branch(found)

        self._element_loop(desc, self._element_count(desc), kind, name == "findIndex", body)
        b.branch(found)
        b.position_at_end(found)
        r = b.load(result)
        return self.coerce(r, INT, e.jit_type) if name == "findIndex" else r

    def _local(self, ref):
        b = unit_local(ref, self.plan.home)
        return None if b is not None and b in self.plan.shared else b

    def _cell(self, ident: A.Ident):
        b = unit_local(ident.ref, self.plan.home)
        if b is not None and b in self.plan.shared:  # (a loop unit's captured variable: Typer.shared)
            return self.plan.shared[b]
        return ref_cell(ident, self.env, self.env_scope or self.plan.home or self.plan.scope)

    def _entry_alloca(self, ty, name: str) -> ir.Value:
        """A stack slot made in the entry block (mem2reg makes it a register)."""
        eb = ir.IRBuilder(self._entry_block)
        eb.position_at_start(self._entry_block)
        return eb.alloca(ty, name=name)

    def _switch(self, s: A.Switch) -> None:
        """The discriminant once, then each test in order until one is
        strictly equal (default's body when none is, wherever it stands);
        the bodies from there on, falling through, ``break`` leaving the
        switch and ``continue`` going to the enclosing loop's."""
        b = self.b
        v, vt = self.expr(s.disc), s.disc.jit_type
        end = self.fn.append_basic_block("switch_end")
        cases = [self.fn.append_basic_block("case") for _ in s.tests]
        for k, test in enumerate(s.tests):
            if test is None:
                continue
            nxt = self.fn.append_basic_block("case_test")
            b.cbranch(self._strict_equal(v, vt, self.expr(test), test.jit_type), cases[k], nxt)
            b.position_at_end(nxt)
        b.branch(cases[s.tests.index(None)] if None in s.tests else end)
        body = s.body.body
        ends = [*s.starts[1:], len(body)]
        self.loops.append((self.loops[-1][0] if self.loops else None, end))
        for k, case in enumerate(cases):
            b.position_at_end(case)
            self.block(body[s.starts[k] : ends[k]])
            if not b.block.is_terminated:
                b.branch(cases[k + 1] if k + 1 < len(cases) else end)
        self.loops.pop()
        b.position_at_end(end)
        if not any(end in getattr(blk.terminator, "operands", ()) for blk in self.fn.blocks):
            b.unreachable()  # (every case returns and none breaks: nothing follows the switch)

    def _strict_equal(self, x, xt: str, y, yt: str) -> ir.Value:
        """``x === y`` of two values already computed (Typer._strictly_comparable's types)."""
        b = self.b
        if xt == yt == STR:
            return b.icmp_signed("==", b.call(self.mb.helper_str_cmp(), [x, y]), ir.Constant(I32, 0))
        if xt == yt and xt in (BOOL, INT):
            return b.icmp_unsigned("==", x, y)
        if xt == yt and xt in REFS:
            return b.icmp_unsigned("==", x, y)
        if JSTYPE.get(xt, xt) != JSTYPE.get(yt, yt):
            return ir.Constant(I1, 0)
        return b.fcmp_ordered("==", self.coerce(x, xt, NUM), self.coerce(y, yt, NUM))

    def _body(self, body: A.Node, cont: ir.Block, brk: ir.Block) -> None:
        """A loop's body, ``continue`` going to ``cont`` and ``break`` to ``brk``;
        falling off its end continues."""
        self.loops.append((cont, brk))
        self.stmt(body)
        self.loops.pop()
        if not self.b.block.is_terminated:
            self.b.branch(cont)

    def _return(self, s: A.Return) -> None:
        b = self.b
        plan = self.plan
        if self.frames and self.frames[-1][0] == "next":  # (an inlined forEach arrow's: the next element)
            if s.value is not None:
                self.expr(s.value, statement=True)
            b.branch(self.frames[-1][1])
            return
        if self.frames:  # (a call compiled in place: its value, then after the call)
            _, done, slot, t = self.frames[-1]
            if s.value is not None:
                v = self.expr(s.value)
                if slot is not None:
                    b.store(self.coerce(v, s.value.jit_type, t), slot)
            b.branch(done)
            return
        v = self.expr(s.value) if s.value is not None else None
        if plan.kind == "function":
            self._leave()
            if plan.sig.ret == UNDEF:
                b.ret_void()
            else:
                b.ret(self.coerce(v, s.value.jit_type, plan.sig.ret))
            return
        # a loop unit: leave with the function's return value in the frame
        self._spill()
        if v is not None:
            t = self.plan.return_type
            ret_slot = _m(b.gep(self.frame, [ir.Constant(I64, F_RET)]), "frame")
            self._to_frame(b, ret_slot, self.coerce(v, s.value.jit_type, t), t)
        self._sync_log()
        self._add_work()
        b.ret(ir.Constant(I64, RETURNED))

    # --- expressions ---------------------------------------------------------------------------

    def _type_of(self, e: A.Node) -> str:
        return e.jit_type

    def truth(self, e: A.Node) -> ir.Value:
        return self._truth_of(self.expr(e), e.jit_type)

    def _truth_of(self, v: ir.Value, t: str) -> ir.Value:
        """ToBoolean of a value of JIT type ``t`` (objects and packed arrays unless null; other arrays always)."""
        if t == BOOL:
            return v
        if t == NUM:
            return self.b.fcmp_ordered("!=", v, _const(0.0))
        if t == INT:
            return self.b.icmp_signed("!=", v, ir.Constant(I32, 0))
        if t == STR:  # "" is false
            return self.b.icmp_signed("!=", self.b.load(self.b.gep(v, [ir.Constant(I64, 1)])), ir.Constant(I64, 0))
        if t == OBJ:  # null (and a variable not assigned yet) is false
            return self.b.icmp_unsigned(">=", self.b.ptrtoint(v, I64), ir.Constant(I64, NO_OBJECT))
        if t in ARRAYS:  # (null: shapes.NULL_ARRAY)
            return self.b.icmp_unsigned("!=", self.b.ptrtoint(v, I64), ir.Constant(I64, NULL_ARRAY_REF))
        return ir.Constant(I1, 1)

    def _join(self, end: ir.Block, *incoming: tuple[ir.Value, ir.Block]) -> ir.Value:
        """Continue at ``end`` with the value each predecessor block brings."""
        b = self.b
        b.position_at_end(end)
        phi = b.phi(incoming[0][0].type)
        for value, block in incoming:
            phi.add_incoming(value, block)
        return phi

    def coerce(self, v: ir.Value, frm: str, to: str) -> ir.Value:
        """A value of JIT type ``frm`` where one of type ``to`` is wanted (a
        wider number: an int32 or a boolean as a double, a boolean as an int32;
        a string's number, :meth:`str_number`)."""
        if frm == to or to is None or frm is None or (frm == NULL and to == OBJ):
            return v
        b = self.b
        if isinstance(v, ir.Constant) and isinstance(v.constant, (int, type(None))):  # (a literal: folded here)
            k = int(v.constant or 0)
            if to == NUM and frm in (INT, BOOL):
                return _const(float(k))
            if to == INT and frm == BOOL:
                return ir.Constant(I32, k)
        if to == NUM and frm == INT:
            return b.sitofp(v, D)
        if to == NUM and frm == BOOL:
            return b.uitofp(v, D)
        if to == INT and frm == BOOL:
            return b.zext(v, I32)
        if to == NUM and frm == STR:  # (ToNumber of a string: +s, -s, Number(s))
            return self.str_number(v, 0)
        if frm == NULL and to in ARRAYS:  # (null where a packed array may be: shapes.NULL_ARRAY)
            return b.inttoptr(ir.Constant(I64, NULL_ARRAY_REF), I64P)
        raise NotCompilable(f"a {frm} where a {to} is wanted")

    def num(self, e: A.Node) -> ir.Value:
        """Value of ``e`` as a double (ToNumber)."""
        return self.coerce(self.expr(e), e.jit_type, NUM)

    def int32(self, e: A.Node) -> ir.Value:
        """ToInt32 of ``e`` (free for an int32)."""
        if e.jit_type in (INT, BOOL):
            return self.coerce(self.expr(e), e.jit_type, INT)
        return self.b.call(self.mb.helper_toint32(), [self.num(e)])

    def _parallel_assign(self, e: A.Seq) -> None:
        """``[a[i], a[j]] = [a[j], a[i]]`` (Typer.parallel_assign): every
        value first, then each target -- its object and key, then the
        store -- in order, as the interpreter's iterator steps go."""
        targets, values = parallel_parts(e)
        vs = [(self.expr(v), v.jit_type) for v in values]
        for target, (v, vt) in zip(targets, vs, strict=False):  # (values past the targets: not stored)
            pinned = self._pin_target(target)
            self.store(target, v, vt)
            self._unpin(pinned)
        return None

    def _pin_target(self, target: A.Node) -> list:
        """Evaluate a member target's object and computed key first, once:
        JS evaluates them before the right-hand side (``a[i] = (i = 5)``
        stores to the old ``a[i]``), and a read-modify-write (``a[i++] += 1``,
        ``o.f().x++``) reads and stores through the same ones."""
        if not isinstance(target, A.Member):
            return []
        nodes = [target.obj] + ([target.prop] if target.computed else [])
        for n in nodes:
            self._pins[id(n)] = self.expr(n)
        return nodes

    def _unpin(self, nodes: list) -> None:
        for n in nodes:
            del self._pins[id(n)]

    def expr(self, e: A.Node, statement: bool = False) -> ir.Value:
        if self._pins:
            pinned = self._pins.get(id(e))
            if pinned is not None:
                return pinned
        b = self.b
        t = type(e)
        if t is A.Num:
            return ir.Constant(I32, int(e.value)) if e.jit_type == INT else _const(e.value)
        if t is A.Str:  # a literal: a descriptor that lives as long as the engine
            return self._literal(e.value)
        if t is A.Template:
            r = self._literal(e.quasis[0])
            for x, q in zip(e.exprs, e.quasis[1:], strict=True):
                r = self._join_strings(r, self._text(x))
                if q:
                    r = self._join_strings(r, self._literal(q))
            return r
        if t is A.Lit:
            if e.value is None:
                return ir.Constant(I64P, None)  # (null: 0)
            return ir.Constant(I1, 1 if e.value else 0)
        if t is A.Ident:
            local = self._local(e.ref)
            if local is not None:
                return b.load(self.vars[local])
            return self._load_global(self._cell(e), e.jit_type)
        if t is A.This:
            return b.load(self.vars[self._local(e.ref)])
        if t is A.Unary:
            if e.op == "!":
                return b.not_(self.truth(e.arg))
            if e.op == "-":
                if e.jit_type == INT:  # (a negative integer literal)
                    return ir.Constant(I32, -int(e.arg.value))
                return b.fneg(self.num(e.arg))
            if e.op == "+":
                return self.coerce(self.expr(e.arg), e.arg.jit_type, e.jit_type)
            if e.op == "~":
                return self.coerce(b.not_(self.int32(e.arg)), INT, e.jit_type)
        if t is A.Binary:
            return self.binary(e)
        if t is A.Logical:
            return self.logical(e)
        if t is A.OptChain:
            return self._optional_load(e)
        if t is A.Cond and any(getattr(e, "cold", ())):  # (typer: one arm never ran)
            hot = e.other if e.cold[0] else e.then
            cond = self.truth(e.test)
            self._check(b.not_(cond) if e.cold[0] else cond, COLD_EXIT)
            return self.coerce(self.expr(hot), hot.jit_type, e.jit_type)
        if t is A.Cond:
            cond = self.truth(e.test)
            then_bb, else_bb, end = (self.fn.append_basic_block(n) for n in ("c_then", "c_else", "c_end"))
            b.cbranch(cond, then_bb, else_bb)
            b.position_at_end(then_bb)
            a = self.coerce(self.expr(e.then), e.then.jit_type, e.jit_type)
            then_end = b.block
            b.branch(end)
            b.position_at_end(else_bb)
            c = self.coerce(self.expr(e.other), e.other.jit_type, e.jit_type)
            else_end = b.block
            b.branch(end)
            return self._join(end, (a, then_end), (c, else_end))
        if t is A.Assign:
            pinned = self._pin_target(e.target)
            if e.op == "=":
                v = self.expr(e.value)
                self.store(e.target, v, e.value.jit_type)
            else:
                v = self.arith(e.op[:-1], e.target, e.value, e.jit_type)
                self.store(e.target, v, e.jit_type)
            self._unpin(pinned)
            return v
        if t is A.Update:
            pinned = self._pin_target(e.target)
            if e.jit_type == INT:
                old = self.int32(e.target)
                new = self._int_op("+" if e.op == "++" else "-", old, ir.Constant(I32, 1))
            else:
                old = self.num(e.target)
                new = b.fadd(old, _const(1.0 if e.op == "++" else -1.0))
            self.store(e.target, new, e.jit_type)
            self._unpin(pinned)
            return new if e.prefix else old
        if t is A.Member:
            return self.member(e)
        if t is A.Call:
            return self.call(e, statement)
        if t is A.Seq:
            if getattr(e, "parallel", False):
                return self._parallel_assign(e)
            v = None
            for x in e.exprs:
                v = self.expr(x, statement=True)
            return v
        if t is A.New:
            return self.new_object(e)
        if t is A.ArrayLit:
            return self.array_literal(e)
        if t is A.ObjectLit:
            return self.object_literal(e)
        if t is A.Helper and e.name == "object":  # (null or undefined: the interpreter's TypeError)
            v = self.expr(e.args[0])
            self._check(b.icmp_unsigned(">=", b.ptrtoint(v, I64), ir.Constant(I64, NO_OBJECT)))
            return v
        if t is A.Helper and e.name == "iter":  # (a fresh literal, or an array only read: Typer's read_in_place)
            return self.expr(e.args[0])  # (Typer's guards keep reading it by index right)
        raise NotCompilable(t.__name__)

    def binary(self, e: A.Binary):
        b = self.b
        op = e.op
        lt, rt = e.left.jit_type, e.right.jit_type
        if op in ("===", "!==", "==", "!="):
            neg = op in ("!==", "!=")
            lit = lt if lt in _NULLISH else rt if rt in _NULLISH else None
            tested = null_test(e) if lit is not None else None
            if tested is not None and tested.obj.jit_type == OBJ:
                r = self._null_test(tested, op, lit)
            elif lit is not None and (rt if lt == lit else lt) in ARRAYS:  # (null: shapes.NULL_ARRAY)
                ref = b.ptrtoint(self.expr(e.right if lt == lit else e.left), I64)
                r = b.icmp_unsigned("==", ref, ir.Constant(I64, NULL_ARRAY_REF))
                if op in ("===", "!==") and lit != "null":
                    r = ir.Constant(I1, 0)  # (never undefined)
            elif lit is not None and (rt if lt == lit else lt) != OBJ:  # (a string, a number, other arrays: never null)
                self.expr(e.right if lt == lit else e.left)
                r = ir.Constant(I1, 0)
            elif lit is not None:  # an object against null (0) or undefined (UNDEF_REF); loosely, either
                ref = b.ptrtoint(self.expr(e.right if lt == lit else e.left), I64)
                if op in ("===", "!=="):
                    r = b.icmp_unsigned("==", ref, ir.Constant(I64, 0 if lit == "null" else UNDEF_REF))
                else:
                    r = b.icmp_unsigned("<", ref, ir.Constant(I64, NO_OBJECT))
            elif lt == rt == STR:
                c = b.call(self.mb.helper_str_cmp(), [self.expr(e.left), self.expr(e.right)])
                r = b.icmp_signed("==", c, ir.Constant(I32, 0))
            elif lt == rt and lt in (BOOL, INT):
                r = b.icmp_unsigned("==", self.expr(e.left), self.expr(e.right))
            elif lt == rt and lt in REFS:
                x, y = self.expr(e.left), self.expr(e.right)
                r = b.icmp_unsigned("==", x, y)
                if lt == OBJ and op in ("==", "!="):  # (null == undefined: both below NO_OBJECT)
                    low = ir.Constant(I64, NO_OBJECT)
                    both = b.and_(
                        b.icmp_unsigned("<", b.ptrtoint(x, I64), low), b.icmp_unsigned("<", b.ptrtoint(y, I64), low)
                    )
                    r = b.or_(r, both)
            elif JSTYPE.get(lt, lt) != JSTYPE.get(rt, rt) and op in ("===", "!=="):
                self.expr(e.left)
                self.expr(e.right)
                r = ir.Constant(I1, 0)
            else:
                r = b.fcmp_ordered("==", self.num(e.left), self.num(e.right))
            return b.not_(r) if neg else r
        if op in ("<", ">", "<=", ">="):
            if lt == STR:
                c = b.call(self.mb.helper_str_cmp(), [self.expr(e.left), self.expr(e.right)])
                return b.icmp_signed(op, c, ir.Constant(I32, 0))
            if lt in (INT, BOOL) and rt in (INT, BOOL):
                return b.icmp_signed(op, self.int32(e.left), self.int32(e.right))
            return b.fcmp_ordered(op, self.num(e.left), self.num(e.right))
        return self.arith(op, e.left, e.right, e.jit_type)

    def _null_test(self, e: A.Member, op: str, lit: str) -> ir.Value:
        """``o.p`` against null or undefined, the value never typed nor read
        as one: a null-test cache (shapes.NULL_TEST) gives the slot of a
        reference -- its word is compared -- or NEVER_NULL for a number, a
        boolean, a string or another value that is neither."""
        b = self.b
        desc = self.expr(e.obj)
        slot = self._ic(desc, self.tier.ic.new(e.prop.value, False, kind=NULL_TEST))
        never = b.icmp_unsigned("==", slot, ir.Constant(I64, NEVER_NULL))
        at = b.select(never, ir.Constant(I64, 0), slot)  # (slot 0 exists: o.p's own, at least)
        word = b.load(_m(b.gep(self._slots(desc, I64P), [at]), "heap"))
        if op in ("===", "!=="):
            r = b.icmp_unsigned("==", word, ir.Constant(I64, 0 if lit == "null" else UNDEF_REF))
        else:
            r = b.icmp_unsigned("<", word, ir.Constant(I64, NO_OBJECT))
        return b.and_(b.not_(never), r)

    def _int_op(self, op: str, x, y):
        """int32 + - * %, checked: a result outside int32 (or a -0, or a
        remainder of a negative or by a non-positive) exits flagged
        OVERFLOW, and the unit is compiled again without int32s."""
        b = self.b
        if op == "%":
            self._check(b.and_(b.icmp_signed(">=", x, ir.Constant(I32, 0)), b.icmp_signed(">", y, ir.Constant(I32, 0))),
                        OVERFLOW)  # fmt: skip
            return b.srem(x, y)
        f = {"+": b.sadd_with_overflow, "-": b.ssub_with_overflow, "*": b.smul_with_overflow}[op]
        r = f(x, y)
        self._check(b.not_(b.extract_value(r, 1)), OVERFLOW)
        v = b.extract_value(r, 0)
        if op == "*":  # 0 * -5 is -0 in JS
            zero = ir.Constant(I32, 0)
            neg = b.icmp_signed("<", b.or_(x, y), zero)
            self._check(b.not_(b.and_(b.icmp_signed("==", v, zero), neg)), OVERFLOW)
        return v

    def arith(self, op: str, lnode, rnode, rtype: str):
        """``lnode op rnode`` computed as ``rtype`` (the typer's arith_type)."""
        b = self.b
        if rtype == STR:
            return self._concat(lnode, rnode)
        if rtype == INT and op in ("+", "-", "*", "%"):
            return self._int_op(op, self.int32(lnode), self.int32(rnode))
        if op in ("&", "|", "^", "<<", ">>", ">>>"):
            a, c = self.int32(lnode), self.int32(rnode)
            if op == "&":
                r = b.and_(a, c)
            elif op == "|":
                r = b.or_(a, c)
            elif op == "^":
                r = b.xor(a, c)
            else:
                sh = b.and_(c, ir.Constant(I32, 31))
                if op == ">>>":
                    return b.sitofp(b.zext(b.lshr(a, sh), I64), D)
                r = b.shl(a, sh) if op == "<<" else b.ashr(a, sh)
            return self.coerce(r, INT, rtype)
        x, y = self.num(lnode), self.num(rnode)
        if op == "+":
            return b.fadd(x, y)
        if op == "-":
            return b.fsub(x, y)
        if op == "*":
            return b.fmul(x, y)
        if op == "/":
            return b.fdiv(x, y)
        if op == "%":
            return b.call(self.mb.helper_mod(), [x, y])
        if op == "**":
            return b.call(self.mb.helper_pow(), [x, y])
        raise NotCompilable(op)

    def _concat(self, lnode, rnode) -> ir.Value:
        """``l + r`` where one side is a string (apps.js.madestrings)."""
        x = self._text(lnode)
        return self._join_strings(x, self._text(rnode))

    def _join_strings(self, x: ir.Value, y: ir.Value) -> ir.Value:
        """Two strings' descriptors joined; null back (the run may hold no
        more, or it would be longer than any string) leaves."""
        r = self.b.call(self.mb.helper_str_concat(), [self.ctx, x, y])
        self._check(self.b.icmp_unsigned("!=", self.b.ptrtoint(r, I64), ir.Constant(I64, 0)), None)
        return r

    def _literal(self, s: str) -> ir.Value:
        """A string literal's descriptor: it lives as long as the engine."""
        return self.b.inttoptr(ir.Constant(I64, self.tier.strings_table.literal(s)), I64P)

    def _text(self, node) -> ir.Value:
        """A string, or a number as JS prints it: an int32's digits; a
        double's where it is a whole number below 2^53 in magnitude (-0 is
        "0"), anything else leaves -- a failed speculation, counted as one."""
        b = self.b
        t = node.jit_type
        if t == STR:
            return self.expr(node)
        if t == INT:
            v = b.sext(self.int32(node), I64)
        else:
            x = self.num(node)
            whole = b.fcmp_ordered("<", b.call(self.mb.intrinsic("llvm.fabs.f64", D, [D]), [x]), _const(2.0**53))
            i = b.fptosi(b.select(whole, x, _const(0.0)), I64)
            self._check(b.and_(whole, b.fcmp_ordered("==", b.sitofp(i, D), x)))
            v = i
        r = b.call(self.mb.helper_int_str(), [self.ctx, v])
        self._check(b.icmp_unsigned("!=", b.ptrtoint(r, I64), ir.Constant(I64, 0)), None)
        return r

    def logical(self, e: A.Logical):
        if e.op == "??":
            return self._nullish(e)
        b = self.b
        a = self.expr(e.left)
        truth = self._truth_of(a, e.left.jit_type)
        # (a boolean result is the operands' truth: a condition's may mix types, jittypes.Typer.test)
        a = truth if e.jit_type == BOOL else self.coerce(a, e.left.jit_type, e.jit_type)
        start = b.block
        rhs_bb, end = self.fn.append_basic_block("l_rhs"), self.fn.append_basic_block("l_end")
        if e.op == "&&":
            b.cbranch(truth, rhs_bb, end)
        else:
            b.cbranch(truth, end, rhs_bb)
        b.position_at_end(rhs_bb)
        c = self.expr(e.right)
        c = self._truth_of(c, e.right.jit_type) if e.jit_type == BOOL else self.coerce(c, e.right.jit_type, e.jit_type)
        rhs_end = b.block
        b.branch(end)
        return self._join(end, (a, start), (c, rhs_end))

    def _optional_load(self, e: A.OptChain, other: A.Node | None = None, t: str | None = None) -> ir.Value:
        """``o?.p`` (Typer.optional_load): p's load where o is an object;
        where o is null or undefined, ``other``'s value if given (``o?.p ??
        other``), else undefined as a reference (UNDEF_REF) where p holds
        objects, else compiled code leaves.  The result as ``t`` (default
        the chain's own type)."""
        b = self.b
        m = e.expr
        t = t or e.jit_type
        nullish = b.icmp_unsigned("<", b.ptrtoint(self.expr(m.obj), I64), ir.Constant(I64, NO_OBJECT))
        if other is None and t not in (OBJ, NULL):
            self._check(b.not_(nullish))
            return self.coerce(self.member(m), m.jit_type, t)
        start = b.block
        load_bb, end = self.fn.append_basic_block("opt_load"), self.fn.append_basic_block("opt_end")
        if other is None:
            undef = b.inttoptr(ir.Constant(I64, UNDEF_REF), I64P)
            b.cbranch(nullish, end, load_bb)
            alt = (undef, start)
        else:
            alt_bb = self.fn.append_basic_block("opt_other")
            b.cbranch(nullish, alt_bb, load_bb)
            b.position_at_end(alt_bb)
            v = self.coerce(self.expr(other), other.jit_type, t)
            alt = (v, b.block)
            b.branch(end)
        b.position_at_end(load_bb)
        v = self.coerce(self.member(m), m.jit_type, t)
        loaded = (v, b.block)
        b.branch(end)
        return self._join(end, alt, loaded)

    def _nullish(self, e: A.Logical) -> ir.Value:
        """``a ?? b`` (Typer.nullish): an object reference below NO_OBJECT
        (null, undefined) or a packed array's null (shapes.NULL_ARRAY)
        gives ``b``; any other type is never nullish."""
        b = self.b
        lt = e.left.jit_type
        if type(e.left) is A.OptChain and lt not in (OBJ, NULL):  # o?.p ?? d: d where o is nullish
            return self._optional_load(e.left, e.right, e.jit_type)
        a = self.expr(e.left)
        if lt in ARRAYS:  # (null: shapes.NULL_ARRAY)
            nullish = b.icmp_unsigned("==", b.ptrtoint(a, I64), ir.Constant(I64, NULL_ARRAY_REF))
        elif lt not in (OBJ, NULL):
            return self.coerce(a, lt, e.jit_type)
        else:
            nullish = b.icmp_unsigned("<", b.ptrtoint(a, I64), ir.Constant(I64, NO_OBJECT))
        start = b.block
        rhs_bb, end = self.fn.append_basic_block("nullish_rhs"), self.fn.append_basic_block("nullish_end")
        b.cbranch(nullish, rhs_bb, end)
        b.position_at_end(rhs_bb)
        c = self.coerce(self.expr(e.right), e.right.jit_type, e.jit_type)
        rhs_end = b.block
        b.branch(end)
        return self._join(end, (self.coerce(a, lt, e.jit_type), start), (c, rhs_end))

    # --- variables, arrays, globals -------------------------------------------------------------

    def _load_global(self, cell, t: str):
        b = self.b
        ptr = self._global_ptr(cell)
        if t == NUM:
            return b.load(ptr)
        if t == BOOL:
            return b.fcmp_ordered("!=", b.load(ptr), _const(0.0))
        slot = self.tier.global_slot(cell)
        words = self._in_entry(("global words", slot), lambda eb: _m(eb.bitcast(ptr, I64P), "heap"))
        if getattr(cell, "const", False):
            # A const's reference is read once, at entry: nothing a compiled
            # call runs can initialise or rebind it meanwhile (no user code runs
            # inside it), and every element access then starts from a register.
            return self._in_entry(("global ref", slot), lambda eb: eb.inttoptr(eb.load(words), I64P))
        return b.inttoptr(b.load(words), I64P)

    def _store_global(self, cell, v, vt: str) -> None:
        b = self.b
        t = self.plan.globals.get(cell) or self.tier.global_type(cell)  # (as typed: the slot may say otherwise by now)
        v = self.coerce(v, vt, t) if t in (NUM, BOOL) else v
        if t == BOOL:
            v = b.uitofp(v, D)
        elif t in REFS:
            v = b.bitcast(b.ptrtoint(v, I64), D)
        self._logged_store(self._global_ptr(cell), v)

    def store(self, target: A.Node, v, vt: str) -> None:
        """Store ``v`` (of JIT type ``vt``) into a variable, global, element or property."""
        b = self.b
        if isinstance(target, A.Ident):
            local = self._local(target.ref)
            if local is not None:
                b.store(self.coerce(v, vt, self.plan.var_types[local]), self.vars[local])
            else:
                self._store_global(self._cell(target), v, vt)
            return
        if not target.computed and target.prop.value == "length" and target.obj.jit_type in STACKS:
            self._cut(self.expr(target.obj), v, vt)
            return
        if not target.computed and (fn := setter_target(target)) is not None:  # (through a setter: a call)
            desc = self.expr(target.obj)
            self._ic(desc, self.tier.ic.new(target.prop.value, False, fn, accessor="set"))
            self._direct_call(fn, [], desc if uses_this(fn.node) else None, values=[(v, vt)])
            return
        if not target.computed and vt in (OBJ, NULL, ARR, BARR, AOBJ, STR):  # a reference: an object slot (shapes)
            slot_ptr, desc = self._property(target, store=True, kind=OBJ if vt == NULL else vt)
            self._logged_store(slot_ptr, b.bitcast(b.ptrtoint(v, I64), D))
            b.store(ir.Constant(I64, 1), _m(b.gep(desc, [ir.Constant(I64, 2)]), "desc"))  # (shapes.DESC_DIRTY)
            return
        if target.computed and target.obj.jit_type in (AOBJ, AARR):  # a reference (0: null): shapes.element_word
            self._store_element(target, b.bitcast(b.ptrtoint(v, I64), D))
            return
        if target.computed and target.obj.jit_type in TYPED_ARRAYS:
            self._logged_store(self._element(target), self._typed_element(v, vt, target.obj.jit_type))
            return
        if target.obj.jit_type != BARR:
            v = self.coerce(v, vt, NUM)  # (elements and properties hold doubles; a boolean property 1.0 / 0.0)
        if not target.computed:  # an object's property: a store inline cache
            slot_ptr, desc = self._property(target, store=True, kind=BOOL if vt == BOOL else NUM)
            self._logged_store(slot_ptr, v)
            b.store(ir.Constant(I64, 1), _m(b.gep(desc, [ir.Constant(I64, 2)]), "desc"))  # (shapes.DESC_DIRTY)
            return
        if target.obj.jit_type in STACKS:
            self._store_element(target, b.uitofp(v, D) if target.obj.jit_type == BARR else v)
            return
        ptr = self._element(target)
        if target.obj.jit_type == HARR:  # (stored canonical: no NaN's bits are a hole's)
            v = b.select(b.fcmp_unordered("uno", v, v), _const(math.nan), v)
        self._logged_store(ptr, v)

    def _store_element(self, target: A.Member, word: ir.Value) -> None:
        """``a[i] = v`` into a packed array (``word``: the element as it is
        kept): in place below the length, and at the length appended as a
        push is (``dp[i] = ...`` filling an array from empty, which node
        grows the same way); past it -- a hole -- or at a fraction compiled
        code leaves."""
        b = self.b
        desc = self.expr(target.obj)
        loaded = []

        def length():
            n = b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc"))
            loaded.append(n)
            return n

        i = self._checked_index(target.prop, length, append=True)
        with b.if_else(b.icmp_signed("<", i, loaded[0]), likely=True) as (inside, at_end):
            with inside:
                data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
                self._logged_store(_m(b.gep(data, [i]), "heap"), word)
            with at_end:
                self._push_value(desc, word)

    def _element(self, e: A.Member) -> ir.Value:
        """Pointer to a[i], after the bounds and integer checks."""
        b = self.b
        desc = self.expr(e.obj)
        # (the length is read after the key is evaluated: -1 once the array is no longer packed)
        i = self._checked_index(e.prop, lambda: b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")))
        ty = TYPED_ELEMENT.get(e.obj.jit_type, D)
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), ty.as_pointer())
        return _m(b.gep(data, [i]), "heap")

    def _typed_element(self, v: ir.Value, vt: str, kind: str) -> ir.Value:
        """Number ``v`` (of JIT type ``vt``) as a typed array of ``kind``
        stores it: ToInt32 wrapped to the element's width, clamped and
        rounded half to even (Uint8ClampedArray), or rounded to a float."""
        b = self.b
        ty = TYPED_ELEMENT[kind]
        if kind == "f32arr":
            return b.fptrunc(self.coerce(v, vt, NUM), F32)
        if kind == "u8carr":
            if vt in (INT, BOOL):
                i = self.coerce(v, vt, INT)
                i = b.select(b.icmp_signed("<", i, ir.Constant(I32, 0)), ir.Constant(I32, 0), i)
                i = b.select(b.icmp_signed(">", i, ir.Constant(I32, 255)), ir.Constant(I32, 255), i)
                return b.trunc(i, ty)
            d = self.coerce(v, vt, NUM)
            d = b.select(b.fcmp_ordered(">", d, _const(0.0)), d, _const(0.0))  # (NaN: 0)
            d = b.select(b.fcmp_ordered("<", d, _const(255.0)), d, _const(255.0))
            d = b.call(self.mb.libm("llvm.rint.f64", 1), [d])  # (the default rounding: half to even)
            return b.fptoui(d, ty)
        i = (
            self.coerce(v, vt, INT)
            if vt in (INT, BOOL)
            else b.call(self.mb.helper_toint32(), [self.coerce(v, vt, NUM)])
        )
        return i if ty is I32 else b.trunc(i, ty)

    def _checked_index(self, key: A.Node, length, append: bool = False) -> ir.Value:
        """``key`` as an i64 index, after the checks that it is whole and in
        [0, n) -- else compiled code leaves (an array's or a string's element
        past either end, or at a fraction, is the interpreter's).  ``length``
        emits the load of n, after the key; ``append``: n itself passes too
        (a store there appends; n is -1 once the array is not packed)."""
        b = self.b
        below = "<=" if append else "<"
        if key.jit_type == INT:
            i = b.sext(self.expr(key), I64)
            n = length()
            self._check(b.and_(b.icmp_signed(">=", i, ir.Constant(I64, 0)), b.icmp_signed(below, i, n)))
            return i
        idx = self.num(key)
        n = length()
        self._check(b.and_(b.fcmp_ordered(">=", idx, _const(0.0)), b.fcmp_ordered(below, idx, b.sitofp(n, D))))
        i = b.fptosi(idx, I64)
        self._check(b.fcmp_ordered("==", b.sitofp(i, D), idx))
        return i

    def _property(self, e: A.Member, store: bool, kind: str = NUM) -> tuple[ir.Value, ir.Value]:
        """Pointer to the slot of ``obj.name`` and the object's descriptor:
        an inline cache (apps.js.ics) -- WAYS patchable (shape, slot)
        immediates tried in turn, then the miss handler, which may patch
        the next one; its -1 (not an own property of ``kind``) deoptimises."""
        desc = self.expr(e.obj)
        slot = self._ic(desc, self.tier.ic.new(e.prop.value, store, kind=kind))
        return _m(self.b.gep(self._slots(desc), [slot]), "heap"), desc

    def _slots(self, desc, ty=DP) -> ir.Value:
        """The object's slot array (shapes.DESC_SLOTS), as doubles or words."""
        b = self.b
        return b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")), ty)

    def _ic(self, desc, site, probe: bool = False) -> ir.Value:
        """An inline cache's lookup for the object ``desc``: the slot its
        entries (or the miss handler) give; -1 from the handler deoptimises
        (``probe``: is returned, for the caller to try another cache)."""
        b = self.b
        self.mb.ic_sites.append(site)
        self._check(b.icmp_unsigned(">=", b.ptrtoint(desc, I64), ir.Constant(I64, NO_OBJECT)))  # (null: TypeError)
        shape = b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc"))  # (shapes.DESC_SHAPE)
        done = self.fn.append_basic_block("ic_hit")
        incoming = []
        for way in range(ics.WAYS):
            asm = ir.InlineAsm(ir.FunctionType(I64, []), f"movabsq $${ics.marker(site.id, way)}, $0", "=r", True)
            entry = b.call(asm, [])
            nxt = self.fn.append_basic_block("ic_next")
            incoming.append((b.and_(entry, ir.Constant(I64, ics.SLOT_MASK)), b.block))
            b.cbranch(b.icmp_unsigned("==", b.lshr(entry, ir.Constant(I64, ics.SLOT_BITS)), shape), done, nxt)
            b.position_at_end(nxt)
        slot = b.call(self.mb.callback("ic_miss"), [ir.Constant(I64, site.id), b.ptrtoint(desc, I64)])
        if site.target is not None:  # (a call: an entry may say "an own method", checked after the join)
            incoming.append((slot, b.block))
            b.branch(done)
            slot = self._own_method(desc, site, self._join(done, *incoming))
            if not probe:
                self._check(b.icmp_signed(">=", slot, ir.Constant(I64, 0)))
            return slot
        if not probe:
            self._check(b.icmp_signed(">=", slot, ir.Constant(I64, 0)))
        incoming.append((slot, b.block))
        b.branch(done)
        return self._join(done, *incoming)

    def _own_method(self, desc, site, r) -> ir.Value:
        """A call site's entry ``r`` of 2 + k (apps.js.ics' own-method
        entries: the shape holds the method in its own slot k): 1 if that
        slot holds the compiled function's code word (a patched immediate,
        shapes.code_word), else the handler's answer; any other ``r`` as it
        is."""
        b = self.b
        c = ir.Constant
        start = b.block
        own = self.fn.append_basic_block("ic_own")
        other = self.fn.append_basic_block("ic_own_other")
        after = self.fn.append_basic_block("ic_own_done")
        b.cbranch(b.icmp_signed(">=", r, c(I64, 2)), own, after).set_weights([1, 1])
        b.position_at_end(own)
        slots = b.inttoptr(b.load(_m(b.gep(desc, [c(I64, 1)]), "desc")), I64P)  # (shapes.DESC_SLOTS)
        word = b.load(_m(b.gep(slots, [b.sub(r, c(I64, 2))]), "heap"))
        code = b.call(
            ir.InlineAsm(ir.FunctionType(I64, []), f"movabsq $${ics.marker(site.id, ics.WAYS)}, $0", "=r", True), []
        )
        b.cbranch(b.icmp_unsigned("==", word, code), after, other).set_weights([1 << 10, 1])
        b.position_at_end(other)
        asked = b.call(self.mb.callback("ic_miss"), [c(I64, site.id), b.ptrtoint(desc, I64)])
        b.branch(after)
        b.position_at_end(after)
        phi = b.phi(I64)
        phi.add_incoming(r, start)
        phi.add_incoming(c(I64, 1), own)
        phi.add_incoming(asked, other)
        return phi

    def member(self, e: A.Member):
        b = self.b
        if isinstance(e.obj, A.Ident) and isinstance(e.obj.ref, Global) and e.obj.name == "Math":
            return _const(math.pi if e.prop.value == "PI" else math.e)
        if number_constant(e):  # (its value as the engine made it: guarded, Typer.member)
            return _const(self.tier.engine.runtime.jit_builtins["Number"][e.prop.value])
        if e.obj.jit_type == OBJ and (targets := getter_targets(e)):
            return self._getter_call(e, targets)
        if not e.computed and e.obj.jit_type == OBJ:
            if e.jit_type in ARRAYS or e.jit_type in (OBJ, AOBJ, STR):  # the slot holds a descriptor (apps.js.shapes)
                slot = self._property(e, store=False, kind=e.jit_type)[0]
                return b.inttoptr(b.load(_m(b.bitcast(slot, I64P), "heap")), I64P)
            v = b.load(self._property(e, store=False, kind=e.jit_type if e.jit_type == BOOL else NUM)[0])
            return b.fcmp_ordered("!=", v, _const(0.0)) if e.jit_type == BOOL else v
        if not e.computed:  # .length (an array's: -1 once it is no longer packed; a string's)
            desc = self.expr(e.obj)
            n = b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc"))
            self._check(b.icmp_unsigned("<", n, ir.Constant(I64, 2**31)))  # (packed, and an int32)
            return b.trunc(n, I32) if e.jit_type == INT else b.sitofp(n, D)
        if e.obj.jit_type == STR:
            return self._string_unit(e)
        return self._read_element(self._element(e), e.obj.jit_type, e.jit_type)

    def _string_unit(self, e: A.Member) -> ir.Value:
        """``s[i]``: the one-unit string at ``i``, a literal's descriptor from
        jitstrings' table of U+0000..U+00FF, or one made here for a unit
        above; an index past either end or not a whole number (undefined in
        JS) leaves compiled code."""
        b = self.b
        units, n = self.mb._str_parts(b, self.expr(e.obj))
        return self._unit_string(
            b.zext(b.load(_m(b.gep(units, [self._checked_index(e.prop, lambda: n)]), "heap")), I64)
        )

    def _unit_string(self, u: ir.Value) -> ir.Value:
        """The one-unit string of unit ``u`` (i64): a literal's descriptor
        below U+0100, else one made here."""
        b = self.b
        narrow = b.icmp_unsigned("<", u, ir.Constant(I64, 256))
        start = b.block
        wide, done = self.fn.append_basic_block("wide_unit"), self.fn.append_basic_block("unit_done")
        table = b.inttoptr(ir.Constant(I64, self.tier.strings_table.units_table()), I64P)
        lit = b.inttoptr(b.load(_m(b.gep(table, [b.select(narrow, u, ir.Constant(I64, 0))]), "heap")), I64P)
        b.cbranch(narrow, done, wide).set_weights([1 << 10, 1])
        b.position_at_end(wide)  # (above U+00FF: a one-unit string made here, apps.js.madestrings)
        made = self._new_string(ir.Constant(I64, 1))
        at = b.inttoptr(b.load(_m(made, "desc")), ir.IntType(16).as_pointer())
        b.store(b.trunc(u, ir.IntType(16)), _m(at, "heap"))
        wide_end = b.block
        b.branch(done)
        b.position_at_end(done)
        phi = b.phi(I64P)
        phi.add_incoming(lit, start)
        phi.add_incoming(made, wide_end)
        return phi

    def _new_string(self, n: ir.Value) -> ir.Value:
        """The descriptor of a new string of ``n`` units to fill (js_str_new);
        none to be had leaves."""
        r = self.b.call(self.mb.helper_str_new(), [self.ctx, n])
        self._check(self.b.icmp_unsigned("!=", self.b.ptrtoint(r, I64), ir.Constant(I64, 0)), None)
        return r

    def char_at(self, e: A.Call) -> ir.Value:
        """``s.charAt(i)``: the one-unit string at ToIntegerOrInfinity(i)
        (NaN is 0, a fraction dropped), "" past either end."""
        b = self.b
        units, n = self.mb._str_parts(b, self.expr(e.callee.obj))
        i, ok = self._unit_position(e.args, n)
        start = b.block
        inside, done = self.fn.append_basic_block("char_at"), self.fn.append_basic_block("char_at_done")
        empty = self._literal("")
        b.cbranch(ok, inside, done)
        b.position_at_end(inside)
        r = self._unit_string(b.zext(b.load(_m(b.gep(units, [i]), "heap")), I64))
        inside_end = b.block
        b.branch(done)
        b.position_at_end(done)
        phi = b.phi(I64P)
        phi.add_incoming(empty, start)
        phi.add_incoming(r, inside_end)
        return phi

    def from_char_code(self, e: A.Call) -> ir.Value:
        """``String.fromCharCode(c, ...)``: each argument's ToUint16 (a
        double past 2^53 in magnitude, NaN or infinite leaves) as a unit."""
        b = self.b
        units = []
        for a in e.args:
            if a.jit_type in (INT, BOOL):
                units.append(b.zext(b.trunc(self.int32(a), ir.IntType(16)), I64))
                continue
            x = self.num(a)
            fabs = self.mb.intrinsic("llvm.fabs.f64", D, [D])
            whole = b.fcmp_ordered("<", b.call(fabs, [x]), _const(2.0**53))
            self._check(whole)
            units.append(b.zext(b.trunc(b.fptosi(b.select(whole, x, _const(0.0)), I64), ir.IntType(16)), I64))
        if not units:
            return self._literal("")
        if len(units) == 1:
            return self._unit_string(units[0])
        made = self._new_string(ir.Constant(I64, len(units)))
        at = b.inttoptr(b.load(_m(made, "desc")), ir.IntType(16).as_pointer())
        for k, u in enumerate(units):
            b.store(b.trunc(u, ir.IntType(16)), _m(b.gep(at, [ir.Constant(I64, k)]), "heap"))
        return made

    def str_slice(self, e: A.Call) -> ir.Value:
        """``s.slice(a, b)`` / ``s.substring(a, b)``: the units between two
        positions (ToIntegerOrInfinity of each: NaN is 0, fractions
        dropped), slice's counted from the end when negative, substring's
        clamped and put in order; copied into a new string."""
        b = self.b
        units, n = self.mb._str_parts(b, self.expr(e.callee.obj))
        nd = b.sitofp(n, D)
        zero = _const(0.0)
        trunc = self.mb.intrinsic("llvm.trunc.f64", D, [D])
        fmax, fmin = (self.mb.intrinsic(f"llvm.{k}.f64", D, [D, D]) for k in ("maxnum", "minnum"))

        def position(k: int, default):
            if len(e.args) <= k:
                return default
            x = self.num(e.args[k])
            return b.call(trunc, [b.select(b.fcmp_unordered("uno", x, x), zero, x)])

        lo, hi = position(0, zero), position(1, nd)
        if e.callee.prop.value == "slice":
            lo, hi = (
                b.select(b.fcmp_ordered("<", x, zero), b.call(fmax, [b.fadd(nd, x), zero]), b.call(fmin, [x, nd]))
                for x in (lo, hi)
            )
        else:
            lo, hi = (b.call(fmin, [b.call(fmax, [x, zero]), nd]) for x in (lo, hi))
            lo, hi = b.call(fmin, [lo, hi]), b.call(fmax, [lo, hi])
        i, j = b.fptosi(lo, I64), b.fptosi(hi, I64)
        k = b.sub(j, i)
        k = b.select(b.icmp_signed(">", k, ir.Constant(I64, 0)), k, ir.Constant(I64, 0))
        made = self._new_string(k)
        dst = b.load(_m(made, "desc"))
        self.mb._memcpy(b, dst, b.ptrtoint(b.gep(units, [i]), I64), b.shl(k, ir.Constant(I64, 1)))
        return made

    def _counted(self, start: ir.Value, stop: ir.Value, name: str):
        """``for (i = start; i < stop; i++)`` in IR: yields i with the builder
        in the body (which must not end its block), then leaves it after."""
        b = self.b
        entry = b.block
        head, body, done = (self.fn.append_basic_block(f"{name}_{k}") for k in ("head", "body", "done"))
        b.branch(head)
        b.position_at_end(head)
        i = b.phi(I64)
        i.add_incoming(start, entry)
        b.cbranch(b.icmp_signed("<", i, stop), body, done)
        b.position_at_end(body)
        yield i
        i.add_incoming(b.add(i, ir.Constant(I64, 1)), b.block)
        b.branch(head)
        b.position_at_end(done)

    def str_units(self, e: A.Call) -> ir.Value:
        """``toUpperCase``, ``toLowerCase``, ``trim``, ``trimStart``,
        ``trimEnd`` of a string: a new string of its units, ASCII letters
        mapped (a unit past U+007F leaves: the interpreter maps it), or
        without the white space at its ends (JS's: U+00A0, U+FEFF, U+2028
        and the others too)."""
        b = self.b
        c = ir.Constant
        name = e.callee.prop.value
        units, n = self.mb._str_parts(b, self.expr(e.callee.obj))
        if name.startswith("to"):
            made = self._new_string(n)
            dst = b.inttoptr(b.load(_m(made, "desc")), units.type)
            first, delta = (ord("a"), -32) if name == "toUpperCase" else (ord("A"), 32)
            for i in self._counted(c(I64, 0), n, "case"):
                u = b.load(_m(b.gep(units, [i]), "heap"))
                self._check(b.icmp_unsigned("<", u, c(I16, 128)))
                letter = b.icmp_unsigned("<", b.sub(u, c(I16, first)), c(I16, 26))
                b.store(b.select(letter, b.add(u, c(I16, delta)), u), _m(b.gep(dst, [i]), "heap"))
            return made
        lo, hi = c(I64, 0), n
        if name in ("trim", "trimStart"):
            lo = self._white_edge(units, lo, n, 1)
        if name in ("trim", "trimEnd"):
            hi = b.add(self._white_edge(units, b.sub(hi, c(I64, 1)), b.sub(lo, c(I64, 1)), -1), c(I64, 1))
        k = b.sub(hi, lo)
        made = self._new_string(k)
        self.mb._memcpy(b, b.load(_m(made, "desc")), b.ptrtoint(b.gep(units, [lo]), I64), b.shl(k, c(I64, 1)))
        return made

    def _white_edge(self, units, at: ir.Value, stop: ir.Value, step: int) -> ir.Value:
        """The first position from ``at`` towards ``stop`` (exclusive; step
        +1 or -1) whose unit is not white space as trim sees it (``stop``
        if none)."""
        b = self.b
        entry = b.block
        head, body, white, done = (self.fn.append_basic_block(f"trim_{k}") for k in ("head", "body", "white", "done"))
        b.branch(head)
        b.position_at_end(head)
        i = b.phi(I64)
        i.add_incoming(at, entry)
        b.cbranch(b.icmp_signed("!=", i, stop), body, done)
        b.position_at_end(body)
        b.cbranch(self._is_space(b.load(_m(b.gep(units, [i]), "heap"))), white, done)
        b.position_at_end(white)
        i.add_incoming(b.add(i, ir.Constant(I64, step)), white)
        b.branch(head)
        b.position_at_end(done)
        return i

    def _is_space(self, u: ir.Value) -> ir.Value:
        """Whether UTF-16 unit ``u`` is JS white space or a line terminator
        (apps.js.values.JS_SPACE, what trim removes): a test per run of it."""
        b = self.b
        r = None
        for lo, hi in _SPACE_RUNS:
            t = b.icmp_unsigned("<=", b.sub(u, ir.Constant(I16, lo)), ir.Constant(I16, hi - lo))
            r = t if r is None else b.or_(r, t)
        return r

    def str_repeat(self, e: A.Call) -> ir.Value:
        """``s.repeat(k)``: k (ToIntegerOrInfinity: NaN is 0) copies of s; a
        negative or infinite k, or a result past the longest string, leaves
        for the interpreter's RangeError."""
        b = self.b
        c = ir.Constant
        units, n = self.mb._str_parts(b, self.expr(e.callee.obj))
        x = self.num(e.args[0])
        x = b.call(
            self.mb.intrinsic("llvm.trunc.f64", D, [D]), [b.select(b.fcmp_unordered("uno", x, x), _const(0.0), x)]
        )
        ok = b.and_(b.fcmp_ordered(">=", x, _const(0.0)), b.fcmp_ordered("<", x, _const(math.inf)))
        self._check(b.and_(ok, b.fcmp_ordered("<=", b.fmul(x, b.sitofp(n, D)), _const(float(MAX_STRING)))))
        k = b.select(b.icmp_signed(">", n, c(I64, 0)), b.fptosi(x, I64), c(I64, 0))  # ("".repeat(2**40) is "")
        made = self._new_string(b.mul(k, n))
        dst = b.load(_m(made, "desc"))
        size = b.shl(n, c(I64, 1))
        for i in self._counted(c(I64, 0), k, "repeat"):
            self.mb._memcpy(b, b.add(dst, b.mul(i, size)), b.ptrtoint(units, I64), size)
        return made

    def element_search(self, e: A.Call) -> ir.Value:
        """``a.includes(x, from)``, ``indexOf``, ``lastIndexOf`` over an array
        of numbers, booleans or objects (jittypes' element_search): the start
        (ToIntegerOrInfinity; a negative one counts from the end) clamped,
        then one scan of the elements as they are -- nothing that runs
        meanwhile can change them.  includes finds NaN, indexOf and
        lastIndexOf never; an object is found by its reference; undefined
        sought leaves (a hole reads as it, for includes alone)."""
        b = self.b
        name = e.callee.prop.value
        kind = e.callee.obj.jit_type
        back = name == "lastIndexOf"
        desc = self.expr(e.callee.obj)
        x, xt = self.expr(e.args[0]), e.args[0].jit_type
        n = self._element_count(desc)
        nd = b.sitofp(n, D)
        fmax, fmin = (self.mb.intrinsic(f"llvm.{k}.f64", D, [D, D]) for k in ("maxnum", "minnum"))
        if len(e.args) > 1:
            k = b.call(self.mb.intrinsic("llvm.trunc.f64", D, [D]), [self.num(e.args[1])])
            k = b.select(b.fcmp_unordered("uno", k, k), _const(0.0), k)
            k = b.select(b.fcmp_ordered("<", k, _const(0.0)), b.fadd(k, nd), k)
        else:
            k = b.fsub(nd, _const(1.0)) if back else _const(0.0)
        if back:  # (-1: nothing to scan)
            start = b.fptosi(b.call(fmax, [b.call(fmin, [k, b.fsub(nd, _const(1.0))]), _const(-1.0)]), I64)
        else:
            start = b.fptosi(b.call(fmin, [b.call(fmax, [k, _const(0.0)]), nd]), I64)
        if kind == AOBJ:
            x = b.ptrtoint(x, I64)
            self._check(b.icmp_unsigned("!=", x, ir.Constant(I64, UNDEF_REF)))
        elif kind == BARR:
            x = b.uitofp(x, D)
        else:
            x = self.coerce(x, xt, NUM)
            nan = b.fcmp_unordered("uno", x, x)
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
        result = self._entry_alloca(I64, "found_at")
        b.store(ir.Constant(I64, -1), result)
        index = self._entry_alloca(I64, "scan_index")
        b.store(start, index)
        head, body, found, end = (self.fn.append_basic_block(f"scan_{s}") for s in ("head", "body", "hit", "end"))
        b.branch(head)
        b.position_at_end(head)
        i = b.load(index)
        more = b.icmp_signed(">=", i, ir.Constant(I64, 0)) if back else b.icmp_signed("<", i, n)
        b.cbranch(more, body, end)
        b.position_at_end(body)
        slot = _m(b.gep(data, [i]), "heap")
        if kind == AOBJ:
            hit = b.icmp_unsigned("==", b.load(_m(b.bitcast(slot, I64P), "heap")), x)
        else:
            v = b.load(slot)
            hit = b.fcmp_ordered("==", v, x)
            if kind == ARR and name == "includes":  # (SameValueZero: NaN is NaN)
                hit = b.or_(hit, b.and_(nan, b.fcmp_unordered("uno", v, v)))
        b.store(b.add(i, ir.Constant(I64, -1 if back else 1)), index)
        self._count_work()
        b.cbranch(hit, found, head)
        b.position_at_end(found)
        b.store(i, result)
        b.branch(end)
        b.position_at_end(end)
        r = b.load(result)
        if name == "includes":
            return b.icmp_signed(">=", r, ir.Constant(I64, 0))
        return b.trunc(r, I32) if e.jit_type == INT else b.sitofp(r, D)

    def str_search(self, e: A.Call) -> ir.Value:
        """``s.indexOf(t, from)``, ``includes``, ``startsWith``, ``endsWith``
        of a string ``t``: the position (ToIntegerOrInfinity: NaN is 0,
        fractions dropped) clamped to [0, length], then one scan
        (ModuleBuilder.helper_str_find): from there on, or at that one
        position -- endsWith's is its end less t's length."""
        b = self.b
        name = e.callee.prop.value
        hay, ndl = self.expr(e.callee.obj), self.expr(e.args[0])
        n = self.mb._str_parts(b, hay)[1]
        if len(e.args) > 1:
            x = self.num(e.args[1])  # (maxnum(NaN, 0) is 0)
            fmax, fmin = (self.mb.intrinsic(f"llvm.{k}.f64", D, [D, D]) for k in ("maxnum", "minnum"))
            pos = b.fptosi(b.call(fmin, [b.call(fmax, [x, _const(0.0)]), b.sitofp(n, D)]), I64)  # (drops fractions)
        else:
            pos = n if name == "endsWith" else ir.Constant(I64, 0)
        if name == "endsWith":
            pos = b.sub(pos, self.mb._str_parts(b, ndl)[1])  # (negative: the helper finds nothing)
        only = ir.Constant(I1, int(name in ("startsWith", "endsWith")))
        at = b.call(self.mb.helper_str_find(), [hay, ndl, pos, only])
        if name != "indexOf":
            return b.icmp_signed(">=", at, ir.Constant(I64, 0))
        return b.trunc(at, I32) if e.jit_type == INT else b.sitofp(at, D)

    def _read_element(self, slot: ir.Value, kind: str, want: str | None = None) -> ir.Value:
        """The element at ``slot`` of an array of this kind: an object's or a
        string's descriptor, a boolean (stored 1.0 / 0.0), a double, or a
        typed array's element as the number ``want`` (INT or NUM)."""
        b = self.b
        if kind == HARR:  # (a hole leaves: it reads through the prototype chain)
            v = b.load(slot)
            self._check(b.icmp_unsigned("!=", b.bitcast(v, I64), ir.Constant(I64, HOLE_BITS)))
            return v
        if kind in TYPED_ARRAYS:
            v = b.load(slot)
            if kind == "f32arr":
                return b.fpext(v, D)
            if kind == "u32arr":
                return b.uitofp(v, D)
            if v.type is not I32:
                v = b.sext(v, I32) if kind in SIGNED else b.zext(v, I32)
            return v if want == INT else b.sitofp(v, D)
        if kind in REF_ARRAYS:
            w = b.load(_m(b.bitcast(slot, I64P), "heap"))
            if kind == AOBJ:  # (a hole reads as undefined)
                hole = b.icmp_unsigned("==", w, ir.Constant(I64, HOLE_REF))
                w = b.select(hole, ir.Constant(I64, UNDEF_REF), w)
            return b.inttoptr(w, I64P)
        v = b.load(slot)
        return b.fcmp_ordered("!=", v, _const(0.0)) if kind == BARR else v

    # --- calls -----------------------------------------------------------------------------------

    def _unit_position(self, args: list, n: ir.Value) -> tuple[ir.Value, ir.Value]:
        """(i64 position, whether it is inside the string) of a string
        method's position argument: ToIntegerOrInfinity -- absent or NaN is
        0, a fraction dropped -- as charAt, charCodeAt and codePointAt take it."""
        b = self.b
        if not args:
            i = ir.Constant(I64, 0)
            return i, b.icmp_signed(">", n, i)
        if args[0].jit_type in (INT, BOOL):
            i = b.sext(self.int32(args[0]), I64)
            return i, b.and_(b.icmp_signed(">=", i, ir.Constant(I64, 0)), b.icmp_signed("<", i, n))
        x = self.num(args[0])
        x = b.call(
            self.mb.intrinsic("llvm.trunc.f64", D, [D]), [b.select(b.fcmp_unordered("uno", x, x), _const(0.0), x)]
        )
        ok = b.and_(b.fcmp_ordered(">=", x, _const(0.0)), b.fcmp_ordered("<", x, b.sitofp(n, D)))
        return b.fptosi(b.select(ok, x, _const(0.0)), I64), ok

    def str_number(self, desc: ir.Value, mode: int) -> ir.Value:
        """The number string ``desc`` reads as (ModuleBuilder.helper_str_number's
        mode: ToNumber, parseInt, parseFloat); one its fast path does not read
        leaves compiled code, and the interpreter reads it."""
        b = self.b
        x = b.call(self.mb.helper_str_number(), [desc, ir.Constant(I64, mode)])
        self._check(b.icmp_unsigned("!=", b.bitcast(x, I64), ir.Constant(I64, STR_NUMBER_LEAVE_BITS)))
        return x

    def char_code_at(self, e: A.Call):
        """s.charCodeAt(i): the unit as an int32; past either end it is NaN --
        a failed int32 check (compiled again with doubles, where it is NaN)."""
        b = self.b
        units, n = self.mb._str_parts(b, self.expr(e.callee.obj))
        i, ok = self._unit_position(e.args, n)
        if e.callee.prop.value == "codePointAt":
            # past either end it is undefined, never a number: leave compiled code
            self._check(ok, OVERFLOW if e.jit_type == INT else 1)
            cp = self._code_point(units, n, i)
            return cp if e.jit_type == INT else b.sitofp(cp, D)
        if e.jit_type == INT:
            self._check(ok, OVERFLOW)
            return b.zext(b.load(_m(b.gep(units, [i]), "heap")), I32)
        safe = b.select(ok, i, ir.Constant(I64, 0))
        unit = b.uitofp(b.load(_m(b.gep(units, [safe]), "heap")), D)
        return b.select(ok, unit, _const(math.nan))

    def push(self, e: A.Call) -> ir.Value:
        """``a.push(x, ...)`` in place (every argument evaluated first): each
        element into the buffer's spare room and the length word up by one,
        both logged (a rollback undoes them).
        The first push of a run into an array, or one into a full buffer,
        goes through the engine (``array_push``: it notes the array, whose
        length goes back to it when the run ends, and doubles a full
        buffer); an array no longer packed (length -1) leaves."""
        b = self.b
        desc = self.expr(e.callee.obj)
        kind = e.callee.obj.jit_type
        vs = []
        for a in e.args:
            x = self.expr(a)
            if kind in (AOBJ, AARR):  # (a reference: 0 for null, shapes.element_word)
                vs.append(b.bitcast(b.ptrtoint(x, I64), D))
            else:
                vs.append(b.uitofp(x, D) if kind == BARR else self.coerce(x, a.jit_type, NUM))
        for v in vs:
            n1 = self._push_value(desc, v)
        return b.trunc(n1, I32) if e.jit_type == INT else b.sitofp(n1, D)

    def _push_value(self, desc: ir.Value, v: ir.Value) -> ir.Value:
        """Push double ``v`` onto the packed array at ``desc`` (:meth:`push`):
        its new length, as an i64."""
        b = self.b
        n_ptr = _m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")
        n = b.load(n_ptr)
        cap = b.load(_m(b.gep(desc, [ir.Constant(I64, 2)]), "desc"))
        # noted this run (PUSHED in the capacity word) and room: n | PUSHED < cap, unsigned (-1: never)
        fast = b.icmp_unsigned("<", b.or_(n, ir.Constant(I64, PUSHED)), cap)
        with b.if_then(b.not_(fast), likely=False):
            self._sync_log()  # (a buffer that grows moves its entries in the log)
            told = b.call(self.mb.callback("array_push"), [b.ptrtoint(desc, I64)])
            self._check(b.icmp_unsigned("!=", told, ir.Constant(I64, 0)))
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
        self._logged_store(_m(b.gep(data, [n]), "heap"), v)
        n1 = b.add(n, ir.Constant(I64, 1))
        self._logged_store(_m(b.bitcast(n_ptr, DP), "desc"), b.bitcast(n1, D), region="desc")
        return n1

    def _cut(self, desc: ir.Value, v: ir.Value, vt: str) -> None:
        """``a.length = k`` for a whole k from 0 to the length (``q.length =
        0``, a queue cut back): the length word, logged, as :meth:`pop`'s;
        any other k leaves (a longer array has holes: the interpreter's)."""
        b = self.b
        n_ptr = _m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")
        n = b.load(n_ptr)
        if vt in (INT, BOOL):
            k = b.sext(v, I64) if vt == INT else b.zext(v, I64)
            whole = ir.Constant(I1, 1)
        else:
            x = self.coerce(v, vt, NUM)
            ok = b.and_(b.fcmp_ordered(">=", x, _const(0.0)), b.fcmp_ordered("<", x, _const(2.0**53)))
            k = b.fptosi(b.select(ok, x, _const(0.0)), I64)
            whole = b.and_(ok, b.fcmp_ordered("==", b.sitofp(k, D), x))
        self._check(b.and_(whole, b.and_(b.icmp_signed(">=", k, ir.Constant(I64, 0)), b.icmp_signed("<=", k, n))))
        self._note_resized(desc)
        self._logged_store(_m(b.bitcast(n_ptr, DP), "desc"), b.bitcast(k, D), region="desc")

    def _note_resized(self, desc: ir.Value) -> None:
        """The first pop or cut of a run from an array: the engine notes it
        (``array_push``), so that its length goes back to it when the run ends."""
        b = self.b
        cap = b.load(_m(b.gep(desc, [ir.Constant(I64, 2)]), "desc"))
        with b.if_then(b.icmp_unsigned("<", cap, ir.Constant(I64, PUSHED)), likely=False):
            self._sync_log()  # (a buffer that grows moves its entries in the log)
            told = b.call(self.mb.callback("array_push"), [b.ptrtoint(desc, I64)])
            self._check(b.icmp_unsigned("!=", told, ir.Constant(I64, 0)))

    def pop(self, e: A.Call) -> ir.Value:
        """``a.pop()`` in place (a packed array, or the run's copy of an
        array of objects or of rows): the length word down by one, logged
        (the element stays in the buffer, past the length; a hole reads as
        undefined).  The first pop of a
        run from an array goes through the engine (``array_push``: noted,
        so its length goes back to it when the run ends); an empty array
        (undefined back) or one no longer packed (length -1) leaves."""
        b = self.b
        desc = self.expr(e.callee.obj)
        n_ptr = _m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")
        n = b.load(n_ptr)
        self._check(b.icmp_signed(">", n, ir.Constant(I64, 0)))
        self._note_resized(desc)
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
        n1 = b.sub(n, ir.Constant(I64, 1))
        v = self._read_element(_m(b.gep(data, [n1]), "heap"), e.callee.obj.jit_type)
        self._logged_store(_m(b.bitcast(n_ptr, DP), "desc"), b.bitcast(n1, D), region="desc")
        return v

    def _code_point(self, units, n, i) -> ir.Value:
        """The code point at unit ``i`` (in range): a high surrogate followed
        by a low one is the pair's, any other unit its own."""
        b = self.b
        hi = b.zext(b.load(_m(b.gep(units, [i]), "heap")), I32)
        j = b.add(i, ir.Constant(I64, 1))
        has_next = b.icmp_signed("<", j, n)
        lo = b.zext(b.load(_m(b.gep(units, [b.select(has_next, j, i)]), "heap")), I32)
        c = ir.Constant

        def within(x, a, z):
            return b.icmp_unsigned("<=", b.sub(x, c(I32, a)), c(I32, z - a))

        pair = b.and_(has_next, b.and_(within(hi, 0xD800, 0xDBFF), within(lo, 0xDC00, 0xDFFF)))
        joined = b.add(b.add(b.shl(b.sub(hi, c(I32, 0xD800)), c(I32, 10)), b.sub(lo, c(I32, 0xDC00))), c(I32, 0x10000))
        return b.select(pair, joined, hi)

    def call(self, e: A.Call, statement: bool):
        c = e.callee
        xs = self.plan.expansions.get(e)
        if xs is not None:
            return self._inline(e, xs)
        cb = inlined_here(e, self.plan.home)
        if cb is not None:
            if e.callee.prop.value != "forEach":
                return self._array_callback(e, cb, e.callee.prop.value)
            return self._for_each(e, cb)
        fill = new_array_fill(e)
        if fill is not None:
            return self.new_array(*fill, e.jit_type)
        if isinstance(c, A.Member) and c.prop.value in ("push", "pop") and getattr(c.obj, "jit_type", None) in STACKS:
            return self.push(e) if c.prop.value == "push" else self.pop(e)
        if (
            isinstance(c, A.Member)
            and c.prop.value in ("charCodeAt", "codePointAt")
            and getattr(c.obj, "jit_type", None) == STR
        ):
            return self.char_code_at(e)
        if isinstance(c, A.Member) and c.prop.value in _STR_CUTS and getattr(c.obj, "jit_type", None) == STR:
            return self.str_slice(e)
        if isinstance(c, A.Member) and c.prop.value == "charAt" and getattr(c.obj, "jit_type", None) == STR:
            return self.char_at(e)
        if isinstance(c, A.Member) and c.prop.value in STR_SEARCHES and getattr(c.obj, "jit_type", None) == STR:
            return self.str_search(e)
        if isinstance(c, A.Member) and c.prop.value in ELEMENT_SEARCHES and getattr(c.obj, "jit_type", None) in SOUGHT:
            return self.element_search(e)
        if isinstance(c, A.Member) and c.prop.value in STR_MAKERS and getattr(c.obj, "jit_type", None) == STR:
            return self.str_repeat(e) if c.prop.value == "repeat" else self.str_units(e)
        if isinstance(c, A.Member) and getattr(c.obj, "jit_type", None) == OBJ:  # (Math, console: no type)
            return self.method_call(e, c)
        if (st := static_target(c)) is not None:  # (C.m(): a static method, Typer.static_call)
            return self._direct_call(st[2], e.args)
        if isinstance(c, A.Member) and _builtin_owner(c.obj):
            owner, name = c.obj.name, c.prop.value
            if owner == "Math":
                return self.math(name, e.args)
            if owner == "String":
                return self.from_char_code(e)
            if owner == "Number":
                return self._number_test(name, self.num(e.args[0]))
            return self.console_log(e.args)
        if isinstance(c, A.Member) and c.prop.value == "toString" and getattr(c.obj, "jit_type", None) in (INT, NUM):
            return self._text(c.obj)
        if isinstance(c, A.Member):
            raise NotCompilable(f"call of {c.prop.value!r}")
        if (b := self._local(c.ref)) is not None and b in self.plan.closure_fns:  # (Typer.closure_fns)
            return self._direct_call(self.plan.closure_fns[b], e.args)
        if isinstance(c.ref, Outer):  # (a nested function: Typer.call)
            return self._direct_call(self._cell(c).v, e.args)
        if type(c.ref.cell.v) is Builtin and c.name in ("isNaN", "isFinite"):  # (of a number or a boolean)
            return self._number_test(c.name, self.num(e.args[0]))
        if type(c.ref.cell.v) is Builtin and c.name in STR_NUMBER_MODES:  # (Typer.number_of)
            arg, mode = e.args[0], STR_NUMBER_MODES[c.name]
            return self.num(arg) if mode == 0 else self.str_number(self.expr(arg), mode)
        if type(c.ref.cell.v) is Builtin:  # (String(x), Typer.number_text)
            return self._text(e.args[0])
        return self._direct_call(c.ref.cell.v, e.args)

    def new_array(self, n: A.Node, value: A.Node, t: str) -> ir.Value:
        """``new Array(n).fill(value)`` (:meth:`_new_packed`): an invalid
        length, or the run's heap full (apps.js.native.HEAP_FULL), leaves
        compiled code, and the interpreter goes on (and throws the RangeError)."""
        b = self.b
        v = b.uitofp(self.expr(value), D) if t == BARR else self.num(value)
        return self._new_packed(self.num(n), v, t == BARR, True)

    def array_literal(self, e: A.ArrayLit) -> ir.Value:
        """``[x, y, ...]`` of numbers or booleans: its elements evaluated, then
        a packed array of that many (:meth:`_new_packed`), filled in place -- no
        log: nothing but this code can see an array it just made.  Of
        objects: ``alloc_holes``' array of as many, each hole replaced by
        its element's reference (0 for null: shapes.element_word)."""
        b = self.b
        if e.jit_type in (AOBJ, AARR):  # (Allocator.holes; of rows: only [] is typed so)
            refs = [b.ptrtoint(self.expr(x), I64) for x in e.items]
            desc = self._alloc_holes(_const(float(len(refs))))
            if refs:
                data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), I64P)
                for k, w in enumerate(refs):
                    b.store(w, _m(b.gep(data, [ir.Constant(I64, k)]), "heap"))
            return desc
        return self._packed_array([(self.expr(x), x.jit_type) for x in e.items], e.jit_type == BARR)

    def _packed_array(self, values: list, bools: bool) -> ir.Value:
        """A new packed array of these (value, type) pairs, numbers or
        booleans (:meth:`_new_packed`), filled in place -- no log: nothing
        but this code can see an array it just made."""
        b = self.b
        desc = self._new_packed(_const(float(len(values))), _const(0.0), bools, False)
        if values:
            data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
            for k, (v, t) in enumerate(values):
                d = b.uitofp(v, D) if bools else self.coerce(v, t, NUM)
                b.store(d, _m(b.gep(data, [ir.Constant(I64, k)]), "heap"))
        return desc

    def _new_packed(self, n: ir.Value, value: ir.Value, bools: bool, fill: bool) -> ir.Value:
        """A new packed array of ``n`` (a double) copies of double ``value``
        (not written if not ``fill``: the caller stores every element), as
        its descriptor's address.  Built in the run's arena (apps.js.arena)
        when n is a whole number up to MAX_ARRAY_ELEMENTS and the chunk has
        room -- its four header words, then its elements -- as objects are;
        else the engine's (``alloc_filled``: 0 back leaves, C_DEOPT set)."""
        b = self.b
        c = ir.Constant
        ok = b.and_(b.fcmp_ordered(">=", n, _const(0.0)), b.fcmp_ordered("<=", n, _const(float(MAX_ARRAY_ELEMENTS))))
        k = b.fptosi(b.select(ok, n, _const(0.0)), I64)
        ok = b.and_(ok, b.fcmp_ordered("==", b.sitofp(k, D), n))
        cap = b.select(b.icmp_signed(">", k, c(I64, 4)), k, c(I64, 4))
        cur_slot = self._ctx_slot(b, self.ctx, C_ARENA)
        cur = b.load(cur_slot)
        nxt = b.add(cur, b.shl(b.add(cap, c(I64, ARRAY_HEADER)), c(I64, 3)))
        room = b.icmp_unsigned("<=", nxt, self._ctx_load(b, self.ctx, C_ARENA_END))  # (both 0 at a run's start)
        fast, slow, done = (self.fn.append_basic_block(f"arena_array{x}") for x in ("", "_full", "_done"))
        b.cbranch(b.and_(ok, room), fast, slow).set_weights([1 << 10, 1])
        b.position_at_end(fast)
        b.store(nxt, cur_slot)
        desc = b.inttoptr(cur, I64P)
        data = b.add(cur, c(I64, 8 * ARRAY_HEADER))
        for i, w in enumerate((data, k, b.or_(cap, c(I64, PUSHED)), c(I64, ARRAY_TAG | bools))):
            b.store(w, _m(b.gep(desc, [c(I64, i)]), "desc"))
        if fill:
            elements = b.inttoptr(data, DP)
            for i in self._counted(c(I64, 0), k, "fill"):
                b.store(value, _m(b.gep(elements, [i]), "heap"))
        built = self._ctx_slot(b, self.ctx, C_BUILT)
        b.store(b.add(b.load(built), c(I64, 1)), built)
        fast_end = b.block
        b.branch(done)
        b.position_at_end(slow)
        addr = b.call(self.mb.callback("alloc_filled"), [n, value, c(I64, int(bools))])
        b.branch(done)
        b.position_at_end(done)
        phi = b.phi(I64)
        phi.add_incoming(cur, fast_end)
        phi.add_incoming(addr, slow)
        self._check(b.icmp_unsigned("!=", phi, c(I64, 0)), None)  # (the flag alloc_filled set)
        return b.inttoptr(phi, I64P)

    def new_object(self, e: A.New) -> ir.Value:
        """``new C(args)``: the arguments into the allocator's buffer (each
        evaluated first: one may allocate too), then its ``construct``
        callback runs the constructor (apps.js.allocation); 0 back leaves."""
        b = self.b
        c = e.callee
        if isinstance(c, A.Ident):
            fn = c.ref.cell.v
        else:
            fn = self._cell(c.obj).v.props[c.prop.value]
        if e.jit_type == AOBJ:  # new Array(n): n holes
            return self._alloc_holes(self.num(e.args[0]))
        types = [a.jit_type for a in e.args]
        choice = self.tier.inline_choice.get((e, tuple(types)))
        if choice is not None:
            return self._build_in_place(e, fn, *choice)
        allocator = self.tier.allocator
        keys = pure_constructor(fn, types)[0]
        site = allocator.site(fn, types, keys, e.pos)
        values = [self.expr(a) for a in e.args]
        buf = b.inttoptr(ir.Constant(I64, allocator.args_address), I64P)
        for k, (v, t) in enumerate(zip(values, types, strict=True)):
            if t in (INT, NUM):
                word = b.bitcast(self.coerce(v, t, NUM), I64)
            elif t == BOOL:
                word = b.zext(v, I64)
            else:
                word = b.ptrtoint(v, I64)
            b.store(word, _m(b.gep(buf, [ir.Constant(I64, k)]), "heap"))
        addr = b.call(self.mb.callback("construct"), [ir.Constant(I64, site)])
        self._check(b.icmp_unsigned("!=", addr, ir.Constant(I64, 0)), None)  # (the flag it set)
        return b.inttoptr(addr, I64P)

    def _build_in_place(self, e: A.New, fn, plan, kinds: tuple) -> ir.Value:
        """``new C(args)`` built here (apps.js.allocation.Inline): the
        arguments, then the engine's object with C's keys in place
        (``alloc_shaped``; 0 back leaves), then the constructor's binds and
        stores in order, each store straight into its slot -- unlogged: the
        object is unreachable until this returns, so a rollback makes it
        garbage -- and the mirror marked dirty once for the write-back."""
        b = self.b
        if None in kinds:
            raise NotCompilable(f"new {fn.name}: a stored value of no settled type")
        values = [self.expr(a) for a in e.args]
        site = self.tier.allocator.shaped_site(fn, plan.keys, kinds)
        addr = self._arena_object(site, 3 + len(plan.keys))
        self._check(b.icmp_unsigned("!=", addr, ir.Constant(I64, 0)), None)  # (the flag it set)
        desc = b.inttoptr(addr, I64P)
        types = self.plan.var_types
        for op in plan.ops:
            if op[0] == "bind":
                for binding, src in zip(op[1], op[2], strict=True):
                    if type(src) is tuple:
                        v, t = values[src[1]], e.args[src[1]].jit_type
                    else:
                        v, t = self.expr(src), src.jit_type
                    if binding in types:  # (else never read)
                        b.store(self.coerce(v, t, types[binding]), self.vars[binding])
                continue
            _, i, value = op
            v, t = self.expr(value), value.jit_type
            if t in REFS or t == NULL:
                word = b.bitcast(b.ptrtoint(v, I64), D)
            else:
                word = self.coerce(v, t, NUM)
            slots = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")), DP)  # (shapes.DESC_SLOTS)
            b.store(word, _m(b.gep(slots, [ir.Constant(I64, i)]), "heap"))
        b.store(ir.Constant(I64, 1), _m(b.gep(desc, [ir.Constant(I64, 2)]), "desc"))  # (shapes.DESC_DIRTY)
        return desc

    def object_literal(self, e: A.ObjectLit) -> ir.Value:
        """``{a: x, ...}`` (Typer.object_literal): the values in order, then
        an object of their keys built as a ``new`` is (an arena object of
        the literal's site, or the engine's), each value stored straight
        into its slot -- unlogged: unreachable until this returns."""
        b = self.b
        kinds = tuple(SLOT_KIND.get(v.jit_type) for _, v, _ in e.props)
        if None in kinds:
            raise NotCompilable("an object literal holding a value of no settled type")
        values = [(self.expr(v), v.jit_type) for _, v, _ in e.props]
        keys = tuple(k for k, _, _ in e.props)
        site = self.tier.allocator.shaped_site(OBJECT_LITERAL, keys, kinds)
        addr = self._arena_object(site, 3 + len(keys))
        self._check(b.icmp_unsigned("!=", addr, ir.Constant(I64, 0)), None)  # (the flag it set)
        desc = b.inttoptr(addr, I64P)
        slots = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 1)]), "desc")), DP)  # (shapes.DESC_SLOTS)
        for i, (v, t) in enumerate(values):
            word = b.bitcast(b.ptrtoint(v, I64), D) if t in REFS or t == NULL else self.coerce(v, t, NUM)
            b.store(word, _m(b.gep(slots, [ir.Constant(I64, i)]), "heap"))
        b.store(ir.Constant(I64, 1), _m(b.gep(desc, [ir.Constant(I64, 2)]), "desc"))  # (shapes.DESC_DIRTY)
        return desc

    def _arena_object(self, site: int, words: int) -> ir.Value:
        """The address of a new object of construct site ``site`` (its
        descriptor, then its slots: ``words`` words), built in the run's
        arena (apps.js.arena) when the site is entered for this run and the
        chunk has room: the shape's id and the slots' address written, the
        slots left to the constructor's stores.  Else the engine builds it
        (``alloc_shaped``: 0 back leaves, C_DEOPT set)."""
        b = self.b
        slow_call = self.mb.callback("alloc_shaped")
        if site >= MAX_SITES:
            return b.call(slow_call, [ir.Constant(I64, site)])
        c = ir.Constant
        table = b.inttoptr(self._ctx_load(b, self.ctx, C_SITES), I64P)
        shape = b.load(_m(b.gep(table, [c(I64, 2 * site)]), "ctx"))
        entered = b.icmp_signed(
            "==", b.load(_m(b.gep(table, [c(I64, 2 * site + 1)]), "ctx")), self._ctx_load(b, self.ctx, C_EPOCH)
        )
        cur_slot = self._ctx_slot(b, self.ctx, C_ARENA)
        cur = b.load(cur_slot)
        nxt = b.add(cur, c(I64, 8 * words))
        room = b.icmp_unsigned("<=", nxt, self._ctx_load(b, self.ctx, C_ARENA_END))  # (both 0 at a run's start)
        fast = self.fn.append_basic_block("arena")
        slow = self.fn.append_basic_block("arena_full")
        done = self.fn.append_basic_block("arena_done")
        b.cbranch(b.and_(entered, room), fast, slow).set_weights([1 << 10, 1])
        b.position_at_end(fast)
        b.store(nxt, cur_slot)
        desc = b.inttoptr(cur, I64P)
        b.store(shape, _m(desc, "desc"))  # (shapes.DESC_SHAPE, DESC_SLOTS)
        b.store(b.add(cur, c(I64, 24)), _m(b.gep(desc, [c(I64, 1)]), "desc"))
        built = self._ctx_slot(b, self.ctx, C_BUILT)
        b.store(b.add(b.load(built), c(I64, 1)), built)
        b.branch(done)
        b.position_at_end(slow)
        addr = b.call(slow_call, [c(I64, site)])
        b.branch(done)
        b.position_at_end(done)
        phi = b.phi(I64)
        phi.add_incoming(cur, fast)
        phi.add_incoming(addr, slow)
        return phi

    def method_call(self, e: A.Call, c: A.Member):
        """``o.m(args)``: a call inline cache on o's shape (does its prototype
        chain resolve m to the target?), then a direct call with o as this."""
        desc = self.expr(c.obj)
        targets = call_targets(e)
        if len(targets) == 1:
            self._ic(desc, self.tier.ic.new(c.prop.value, False, targets[0]))
            return self._direct_call(targets[0], e.args, desc if uses_this(targets[0].node) else None)
        b = self.b
        done = self.fn.append_basic_block("poly_done")
        results = []
        for k in self._each_target(desc, c.prop.value, targets):
            target = targets[k]
            r = self._direct_call(target, e.args, desc if uses_this(target.node) else None)
            if e.jit_type not in (UNDEF, None):
                r = self.coerce(r, self.plan.callees[target].ret, e.jit_type)
            results.append((r, b.block))
            b.branch(done)
        if e.jit_type in (UNDEF, None):
            b.position_at_end(done)
            return None
        return self._join(done, *results)

    def _getter_call(self, e: A.Member, targets: tuple) -> ir.Value:
        """``o.p`` through a getter (apps.js.jittypes.getter_call): a call
        cache per getter on o's shape, then a direct call with o as this."""
        desc = self.expr(e.obj)
        name = e.prop.value
        if len(targets) == 1:
            self._ic(desc, self.tier.ic.new(name, False, targets[0], accessor="get"))
            return self._direct_call(targets[0], [], desc if uses_this(targets[0].node) else None)
        b = self.b
        done = self.fn.append_basic_block("getter_done")
        results = []
        for k in self._each_target(desc, name, list(targets), accessor="get"):
            target = targets[k]
            r = self._direct_call(target, [], desc if uses_this(target.node) else None)
            results.append((self.coerce(r, self.plan.callees[target].ret, e.jit_type), b.block))
            b.branch(done)
        return self._join(done, *results)

    def _each_target(self, desc, name: str, targets: list, accessor: str = ""):
        """A polymorphic call site: a call cache per function, tried in turn
        on the receiver's shape; yields each one's index where its cache
        hits (the caller's code there must end its block), and leaves for
        the interpreter -- which calls what the receiver has -- if none does."""
        b = self.b
        for k, target in enumerate(targets):
            hit = self.fn.append_basic_block("poly_hit")
            nxt = self.fn.append_basic_block("poly_next")
            probe = self._ic(desc, self.tier.ic.new(name, False, target, probe=True, accessor=accessor), probe=True)
            b.cbranch(b.icmp_signed(">", probe, ir.Constant(I64, 0)), hit, nxt)  # (1: this one; 0 or -1: not)
            b.position_at_end(hit)
            yield k
            b.position_at_end(nxt)
        b.branch(self._shared_deopt())

    def _inline(self, e: A.Call, xs: tuple) -> ir.Value | None:
        """A call compiled in place (apps.js.inlining): the arguments
        evaluated once, in order (an arrow passed is not a value: each call
        of it is compiled in its turn); a method's receiver checked by a
        call cache per function it may call, as a compiled call's is (none
        matching: the interpreter calls what the receiver has); then that
        function's body's copy, its returns leaving to after the call."""
        b = self.b
        x0 = xs[0]
        desc = self.expr(e.callee.obj) if x0.kind == "method" else None
        values = [(k, self.expr(a), a.jit_type) for k, a in enumerate(e.args) if not bound_to_closure(x0, k)]
        slot = None if e.jit_type in (UNDEF, None) else self._entry_alloca(LLTYPE[e.jit_type], "inlined_value")
        done = self.fn.append_basic_block("inlined_done")
        if x0.kind != "method":
            self._expand(xs[0], values, desc, slot, e.jit_type, done)
        elif len(xs) == 1:
            self._ic(desc, self.tier.ic.new(e.callee.prop.value, False, x0.fn))
            self._expand(x0, values, desc, slot, e.jit_type, done)
        else:
            for k in self._each_target(desc, e.callee.prop.value, [x.fn for x in xs]):
                self._expand(xs[k], values, desc, slot, e.jit_type, done)
        b.position_at_end(done)
        return None if slot is None else b.load(slot)

    def _expand(self, x, values: list, desc, slot, t: str, done: ir.Block) -> None:
        """One expansion's code: its parameters, then its body."""
        b = self.b
        types = self.plan.var_types
        for k, v, vt in values:
            if k < len(x.params) and x.params[k] in types:
                p = x.params[k]
                b.store(self.coerce(v, vt, types[p]), self.vars[p])
        if x.this is not None and x.this in types:
            b.store(desc, self.vars[x.this])
        saved = self.env, self.env_scope
        self.env, self.env_scope = x.env, x.scope
        self.frames.append(("ret", done, slot, t))
        try:
            self.block(x.body)
        finally:
            self.frames.pop()
            self.env, self.env_scope = saved
        if not b.block.is_terminated:
            if slot is not None:
                raise NotCompilable("a path through a call compiled in place ends without returning a value")
            b.branch(done)

    def _call_args(self, fn, params: tuple, arg_nodes: list, values: list | None = None) -> list:
        """A direct call's arguments, evaluated in order, as the callee's
        parameter types (Typer.call_types): a rest parameter's array packed
        from the arguments past the others; a left-out parameter's default
        literal.  ``values``: (value, type) pairs already evaluated instead."""
        if values is not None:
            return [self.coerce(v, t, pt) for (v, t), pt in zip(values, params, strict=True)]
        if fn.node.rest is not None:
            fixed = len(params) - 1
            args = [
                self.coerce(self.expr(a), a.jit_type, pt)
                for a, pt in zip(arg_nodes[:fixed], params[:fixed], strict=True)
            ]
            extra = [(self.expr(a), a.jit_type) for a in arg_nodes[fixed:]]
            return args + [self._packed_array(extra, params[-1] == BARR)]
        passed = params[: len(arg_nodes)]
        args = [self.coerce(self.expr(a), a.jit_type, pt) for a, pt in zip(arg_nodes, passed, strict=True)]
        if len(params) > len(arg_nodes):
            for d, pt in zip(default_literals(fn.node, len(arg_nodes)), params[len(arg_nodes) :], strict=True):
                t = literal_type(d)
                if t == NUM:
                    v = _const(float(d.value))
                else:
                    v = self._literal(d.value) if t == STR else ir.Constant(I1, int(d.value))
                args.append(self.coerce(v, t, pt))
        return args

    def _direct_call(self, fn, arg_nodes: list, this=None, values: list | None = None):
        """Call ``fn``'s compiled code (a unit of this module or an earlier one)."""
        b = self.b
        sig = self.plan.callees[fn]
        uid, decl_needed = self.tier.unit_id_for(fn, sig)
        copy = self.mb.private_copy(self.tier.units[(fn.node, sig.params)]) if decl_needed else None
        f = copy or self.mb.function_decl(uid, sig)
        if decl_needed and copy is None:
            addr = self.tier.function_address(fn)
            if addr:
                self.mb.externals[f.name] = addr
        args = self._call_args(fn, sig.params[: len(sig.params) - (this is not None)], arg_nodes, values)
        if this is not None:
            args.append(this)
        self._sync_log()
        r = b.call(f, args + [self.ctx, ir.Constant(DP, None)])  # a callee never commits
        b.store(self._ctx_load(b, self.ctx, C_LOG_N), self.log_n)  # (what it logged)
        bad = b.icmp_unsigned("!=", self._ctx_load(b, self.ctx, C_DEOPT), ir.Constant(I64, 0))
        good = self.fn.append_basic_block("call_ok")
        unwind = self.fn.append_basic_block("call_deopt")
        b.cbranch(bad, unwind, good)
        b.position_at_end(unwind)
        self._deopt(None)  # (the callee's flag: a failed check, or a cold exit)
        b.position_at_end(good)
        return r

    def _random(self) -> ir.Value:
        """Math.random: one xorshift128+ step of the engine's own state
        (apps.js.runtime.XorShift, at ctx[C_RNG]) -- the same sequence the
        interpreter draws from -- its two stores logged, so a run that
        fails hands the interpreter the state it began with."""
        b = self.b
        c = ir.Constant
        st = b.inttoptr(self._ctx_load(b, self.ctx, C_RNG), I64P)
        w0, w1 = _m(st, "heap"), _m(b.gep(st, [c(I64, 1)]), "heap")
        s1, s0 = b.load(w0), b.load(w1)
        s1 = b.xor(s1, b.shl(s1, c(I64, 23)))
        s1 = b.xor(s1, b.lshr(s1, c(I64, 17)))
        s1 = b.xor(s1, s0)
        s1 = b.xor(s1, b.lshr(s0, c(I64, 26)))
        self._logged_store(w0, s0)
        self._logged_store(w1, s1)
        bits = b.and_(b.add(s0, s1), c(I64, (1 << 52) - 1))
        return b.fmul(b.uitofp(bits, D), _const(2.0**-52))

    def _number_test(self, name: str, x: ir.Value) -> ir.Value:
        """``Number.isNaN/isFinite/isInteger/isSafeInteger(x)`` (and the
        globals isNaN, isFinite) of the double ``x``: a boolean."""
        b = self.b
        if name == "isNaN":
            return b.fcmp_unordered("uno", x, x)
        mag = b.call(self.mb.intrinsic("llvm.fabs.f64", D, [D]), [x])
        finite = b.fcmp_ordered("<", mag, _const(math.inf))
        if name == "isFinite":
            return finite
        whole = b.and_(finite, b.fcmp_ordered("==", b.call(self.mb.intrinsic("llvm.floor.f64", D, [D]), [x]), x))
        if name == "isInteger":
            return whole
        return b.and_(whole, b.fcmp_ordered("<=", mag, _const(2.0**53 - 1)))

    def math(self, name: str, args: list):
        b = self.b
        mb = self.mb
        if name in ("min", "max") and len(args) == 1 and type(args[0]) is A.Spread:
            return self._spread_extreme(args[0].arg, name)
        xs = [self.num(a) for a in args]
        if name == "hypot":
            return self._hypot(xs)
        if name == "random":
            return self._random()
        if name in ("min", "max"):
            if not xs:
                return _const(math.inf if name == "min" else -math.inf)
            f = mb.intrinsic(f"llvm.{'minimum' if name == 'min' else 'maximum'}.f64", D, [D, D])
            r = xs[0]
            for x in xs[1:]:
                r = b.call(f, [r, x])
            return r
        x = xs[0] if xs else _const(math.nan)
        if name in ("floor", "ceil", "trunc", "sqrt"):
            return b.call(mb.intrinsic(f"llvm.{name}.f64", D, [D]), [x])
        if name == "abs":
            return b.call(mb.intrinsic("llvm.fabs.f64", D, [D]), [x])
        if name == "round":  # floor(x) + (x - floor(x) >= 0.5), keeping -0
            fl = b.call(mb.intrinsic("llvm.floor.f64", D, [D]), [x])
            up = b.fcmp_ordered(">=", b.fsub(x, fl), _const(0.5))
            r = b.select(up, b.fadd(fl, _const(1.0)), fl)
            neg_zero = b.and_(b.fcmp_ordered("==", r, _const(0.0)), b.fcmp_ordered("<", x, _const(0.0)))
            return b.select(neg_zero, _const(-0.0), r)
        if name == "sign":
            pos = b.fcmp_ordered(">", x, _const(0.0))
            neg = b.fcmp_ordered("<", x, _const(0.0))
            return b.select(pos, _const(1.0), b.select(neg, _const(-1.0), x))
        if name == "pow":
            return b.call(mb.helper_pow(), [x, xs[1] if len(xs) > 1 else _const(math.nan)])
        if name == "atan2":
            return b.call(mb.callback("math_atan2"), [x, xs[1] if len(xs) > 1 else _const(math.nan)])
        if name in MATH_1:  # sin cos tan exp log: V8's fdlibm results (apps.js.fdlibm), not libm's
            return b.call(mb.callback(f"math_{name}"), [x])
        raise NotCompilable(f"Math.{name}")

    def _spread_extreme(self, arg: A.Node, name: str) -> ir.Value:
        """``Math.max(...a)`` (``min``) of a packed array of numbers
        (Typer.spread_extreme): IEEE maximum over the elements from -Infinity
        -- NaN wins, +0 beats -0, as Math.max's own comparisons go."""
        b = self.b
        desc = self.expr(arg)
        n = self._element_count(desc)
        f = self.mb.intrinsic(f"llvm.{'minimum' if name == 'min' else 'maximum'}.f64", D, [D, D])
        acc = self._entry_alloca(D, "extreme")
        b.store(_const(math.inf if name == "min" else -math.inf), acc)
        data = b.inttoptr(b.load(_m(b.gep(desc, [ir.Constant(I64, 0)]), "desc")), DP)
        index = self._entry_alloca(I64, "extreme_index")
        b.store(ir.Constant(I64, 0), index)
        head, body, end = (self.fn.append_basic_block(f"extreme_{s}") for s in ("head", "body", "end"))
        b.branch(head)
        b.position_at_end(head)
        i = b.load(index)
        b.cbranch(b.icmp_signed("<", i, n), body, end)
        b.position_at_end(body)
        b.store(b.call(f, [b.load(acc), b.load(_m(b.gep(data, [i]), "heap"))]), acc)
        b.store(b.add(i, ir.Constant(I64, 1)), index)
        b.branch(head)
        b.position_at_end(end)
        self._count_work()
        return b.load(acc)

    def _hypot(self, xs: list) -> ir.Value:
        """Math.hypot as V8 computes it (apps.js.fdlibm.hypot, step for
        step): Infinity if any is infinite, else NaN if any is NaN, else each
        |x| scaled by the largest, the squares summed with Kahan's
        compensation, the root scaled back."""
        b = self.b
        if not xs:
            return _const(0.0)
        fabs = self.mb.intrinsic("llvm.fabs.f64", D, [D])
        fmax = self.mb.intrinsic("llvm.maxnum.f64", D, [D, D])
        mags = [b.call(fabs, [x]) for x in xs]
        inf = nan = ir.Constant(I1, 0)
        big = _const(0.0)
        for m in mags:
            inf = b.or_(inf, b.fcmp_ordered("==", m, _const(math.inf)))
            nan = b.or_(nan, b.fcmp_unordered("uno", m, m))
            big = b.call(fmax, [big, m])
        total = comp = _const(0.0)
        for m in mags:
            q = b.fdiv(m, big)
            summand = b.fsub(b.fmul(q, q), comp)
            pre = b.fadd(total, summand)
            comp = b.fsub(b.fsub(pre, total), summand)
            total = pre
        r = b.fmul(b.call(self.mb.intrinsic("llvm.sqrt.f64", D, [D]), [total]), big)
        r = b.select(b.fcmp_ordered("==", big, _const(0.0)), _const(0.0), r)
        r = b.select(nan, _const(math.nan), r)
        return b.select(inf, _const(math.inf), r)

    def console_log(self, args: list):
        b = self.b
        mb = self.mb
        b.call(mb.callback("log_begin"), [])
        for a in args:
            if isinstance(a, A.Str):
                mb.strings.append(a.value)
                sid = self.tier.string_id(a.value)
                b.call(mb.callback("log_str"), [ir.Constant(I64, sid)])
            elif a.jit_type == BOOL:
                b.call(mb.callback("log_bool"), [b.zext(self.expr(a), I64)])
            elif a.jit_type == STR:
                ok = b.call(mb.callback("log_text"), [b.ptrtoint(self.expr(a), I64)])
                self._check(b.icmp_unsigned("!=", ok, ir.Constant(I64, 0)), None)
            else:
                b.call(mb.callback("log_num"), [self.num(a)])
        b.call(mb.callback("log_end"), [self.ctx])
        return None


def _builtin_owner(e) -> bool:
    """``Math``, ``console``, ``String`` or ``Number`` as the global the typer guarded
    (a value of no type: its members compile as intrinsics)."""
    return isinstance(e, A.Ident) and isinstance(e.ref, Global) and e.name in ("Math", "console", "String", "Number")


def _runs(chars: str) -> tuple:
    """The code points of ``chars`` as (first, last) runs."""
    out: list = []
    for u in sorted(map(ord, chars)):
        if out and out[-1][1] == u - 1:
            out[-1][1] = u
        else:
            out.append([u, u])
    return tuple(map(tuple, out))


_SPACE_RUNS = _runs(JS_SPACE)
_STR_CUTS = ("slice", "substring")  # (a string's methods that make one: UnitEmitter.str_slice)
_NULLISH = ("null", "undefined")  # (the types annotate gives those literals)


def annotate(node: A.Node, typer) -> list:
    """Give every expression its type (``jit_type``), from a settled Typer;
    what was given, and which branches the typer found cold, as (node,
    attribute, value) for the unit's plan (UnitEmitter puts them back)."""
    given: list = []

    def visit(e):
        if not isinstance(e, A.Node) or isinstance(e, A.Func):
            return
        if getattr(e, "merged", False):  # (jittypes.fill_after_decl: its nodes are the declaration's)
            return
        cold_stmt = getattr(e, "cold_stmt", None)
        if cold_stmt is not None:  # (a statement that never ran is an exit: nothing in it has a type)
            given.append((e, "cold_stmt", cold_stmt))
            if cold_stmt:
                return
        filled = getattr(e, "filled", None)
        if filled is not None:
            for x in filled:
                visit(x)
            return
        if is_null(e):  # (the typer let it through only as an operand of an equality with an object)
            e.jit_type = "null" if e.value is None else "undefined"
            return
        if _is_expr(e):
            e.jit_type = typer.expr(e, statement=True)
            given.append((e, "jit_type", e.jit_type))
        if isinstance(e, (A.If, A.Cond)):  # (a cold branch or arm is never compiled: nothing in it has a type)
            cold = getattr(e, "cold", (False, False))
            given.append((e, "cold", cold))
            children = [e.test] + [x for x, c in ((e.then, cold[0]), (e.other, cold[1])) if not c]
        elif isinstance(e, A.Seq) and getattr(e, "parallel", False):
            targets, values = parallel_parts(e)
            children = values + targets  # (not the temporaries: compiled code makes none)
        elif isinstance(e, A.Call) and (fill := new_array_fill(e)) is not None:
            children = list(fill)
        elif isinstance(e, A.Call) and (xs := typer.expansions.get(e)) is not None:
            children = [a for k, a in enumerate(e.args) if not bound_to_closure(xs[0], k)]
            if xs[0].kind == "method":
                children.append(e.callee.obj)
            for c in children:
                visit(c)
            for x in xs:
                with typer.entered(x):  # (its body's copy, in its environment)
                    for s in x.body:
                        visit(s)
            return
        elif isinstance(e, A.Call) and (cb := inlined_callback(e)) is not None:
            children = [e.callee.obj, *e.args[1:], *cb.body]  # (the arrow's body is compiled in place)
        elif isinstance(e, A.New):
            children = list(e.args)  # (the callee is a class, not a value ...)
            choice = typer.tier.inline_choice.get((e, tuple(typer.expr(a) for a in e.args)))
            if choice is not None:
                children += choice[0].nodes()  # (... but its constructor may be built in place)
        elif isinstance(e, A.Call):
            children = list(e.args)  # the callee is a name or Math.f/console.log, not a value ...
            c = e.callee
            if isinstance(c, A.Member) and not _builtin_owner(c.obj) and static_target(c) is None:
                children.append(c.obj)  # ... or a receiver: a string's, an object's (a class's own static: no)
        elif isinstance(e, A.Member) and isinstance(e.obj, A.Ident) and e.obj.name in ("Math", "Number"):
            children = []
        else:
            children = A.field_values(e)
        for v in children:
            if isinstance(v, A.Node):
                visit(v)
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, A.Node):
                        visit(x)
                        if getattr(x, "cold_stmt", False):
                            break  # (what follows it in its list is not reached: jittypes.Typer.stmts)
                    elif isinstance(x, tuple):
                        for y in x:
                            visit(y)

    visit(node)
    return given


_EXPR = (
    A.Num, A.Lit, A.Ident, A.This, A.Unary, A.Binary, A.Logical, A.Cond, A.Assign, A.Update, A.Member, A.Call,
    A.Seq, A.Str, A.New, A.ArrayLit, A.Template, A.ObjectLit, A.Helper, A.OptChain,
)  # fmt: skip


def _is_expr(e) -> bool:
    return isinstance(e, _EXPR)


__all__ = ["ModuleBuilder", "UnitEmitter", "UnitPlan", "Signature", "annotate", "OK", "DEOPT", "RETURNED"]
