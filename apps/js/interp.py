"""The interpreter tier: the AST compiled once into nested Python closures.

Variables were resolved by scope.py, so a local is one list index, a captured
variable one cell, a global one cell -- no name lookups at run time.  Every
user function records type feedback about its arguments and counts calls and
loop iterations; the JIT tier (apps.js.tier) reads both.

Statements return a completion code: 0 normal, BREAK, CONTINUE, RETURN (the
value is in frame[0]).
"""

from __future__ import annotations

import math
import weakref

from . import ast as A
from . import utf16
from . import values as V
from .asyncgen import JSAsyncGenerator, for_await_values
from .errors import JSError, JSInternalError, JSRangeError, JSReferenceError, JSSyntaxError, JSThrow, JSTypeError
from .generators import JSGenerator, yield_
from .generators import _Return as GeneratorReturn
from .generators import close as gen_close
from .generators import values as gen_values
from .hotness import CALL_ITERATIONS
from .jittypes import AARR_BIT, HARR_BIT, TYPED, TYPED_BITS, ref_array_type, repack_rows
from .promises import await_, run_async
from .runtime import error_value, not_iterable
from .scope import TDZ, UNBOUND, Cell, Global, Local, Outer, _Marker
from .typed import JSTypedArray
from .values import (
    ARGUMENTS_PROTO,
    HOLE,
    MISSING,
    OBJECT_PROTO,
    STRBUF_MIN,
    UNDEFINED,
    Accessor,
    Builtin,
    JSArray,
    JSFunction,
    JSObject,
    JSSymbol,
    StrBuf,
    find,
    implicit_str,
    js_add,
    js_div,
    js_mod,
    js_pow,
    less_than,
    loose_equals,
    num_to_str,
    numeric_op,
    prop_key,
    strict_equals,
    to_int32,
    to_num,
    to_numeric,
    to_primitive,
    to_str,
    to_uint32,
    truthy,
    typeof,
)

BREAK, CONTINUE, RETURN = 1, 2, 3
_LABELS: dict[str, int] = {}


def label_code(label: str, kind: int) -> int:
    """The completion code of ``break label`` (kind BREAK) or ``continue
    label`` (CONTINUE): above RETURN, so every statement passes it outward
    until the labelled statement (or loop) that owns it."""
    base = _LABELS.setdefault(label, 16 + 2 * len(_LABELS))
    return base + (kind == CONTINUE)


def loop_codes(loop: A.Node) -> tuple[set, set]:
    """The labelled break and continue codes a loop handles itself.  The
    break set is the loop's own (``break_codes``, once its code is made):
    the JIT adds to it the code that says native code finished the loop,
    and every place that ends the loop on a code must see that one too."""
    labels = getattr(loop, "labels", ())
    breaks = getattr(loop, "break_codes", None)
    if breaks is None:
        breaks = {label_code(x, BREAK) for x in labels}
    return breaks, {label_code(x, CONTINUE) for x in labels}


FEEDBACK_CALLS = 200  # record argument types for this many calls


def source_text(node: A.Node) -> str:
    """The callee as V8 prints it in 'x is not a function' (its CallPrinter:
    names, property chains, literals, folded constants; anything else is
    '(intermediate value)')."""
    t = type(node)
    if t is A.Ident:
        return node.name
    if t is A.This:
        return "this"
    if t is A.OptChain:
        return source_text(node.expr)
    if t is A.Member:
        base = source_text(node.obj)
        dot = "?." if node.optional else "."
        if not node.computed or type(node.prop) is A.Str:  # (o["a"] prints as o.a)
            return f"{base}{dot}{node.prop.value}"
        return f"{base}{'?.' if node.optional else ''}[{source_text(node.prop)}]"
    if t is A.Call:
        return source_text(node.callee) + "(...)"
    if t is A.Num:
        return num_to_str(node.value)
    if t is A.Str:
        return f'"{node.value}"'
    if t is A.Lit:
        return to_str(node.value)
    if t is A.ArrayLit:
        return "[" + ",".join(source_text(x) for x in node.items) + "]"
    if t is A.ObjectLit and not node.props:
        return "{}"
    if t is A.Binary:
        if type(node.left) is A.Num and type(node.right) is A.Num and node.op in ("+", "-", "*"):
            return num_to_str(_binop(node.op)(node.left.value, node.right.value))  # (V8 folds the constant)
        return f"({source_text(node.left)} {node.op} {source_text(node.right)})"
    return "(intermediate value)"


_NUMERIC = {  # op: (on two Numbers, on two BigInts)
    "-": (float.__sub__, int.__sub__),
    "*": (float.__mul__, int.__mul__),
    "/": (js_div, V.big_div),
    "%": (js_mod, V.big_mod),
    "**": (js_pow, V.big_pow),
    "&": (lambda a, b: float(to_int32(a) & to_int32(b)), int.__and__),
    "|": (lambda a, b: float(to_int32(a) | to_int32(b)), int.__or__),
    "^": (lambda a, b: float(to_int32(a) ^ to_int32(b)), int.__xor__),
    "<<": (lambda a, b: float(to_int32(float(to_int32(a) << (to_uint32(b) & 31)))), V.big_shl),
    ">>": (lambda a, b: float(to_int32(a) >> (to_uint32(b) & 31)), V.big_shr),
    ">>>": (lambda a, b: float(to_uint32(a) >> (to_uint32(b) & 31)), V.big_ushr),
}


def _binop(op: str):
    """Python implementation of a binary operator on JS values."""
    if op == "+":
        return js_add
    if op in _NUMERIC:
        num_op, big_op = _NUMERIC[op]

        def numeric(a, b):
            if type(a) is float and type(b) is float:  # (the common case: no ToNumeric calls)
                return num_op(a, b)
            return numeric_op(a, b, num_op, big_op)

        return numeric
    if op == "==":
        return loose_equals
    if op == "!=":
        return lambda a, b: not loose_equals(a, b)
    if op == "===":
        return strict_equals
    if op == "!==":
        return lambda a, b: not strict_equals(a, b)
    if op == "<":
        return lambda a, b: less_than(a, b) is True
    if op == ">":
        return lambda a, b: less_than(b, a) is True
    if op == "<=":
        return lambda a, b: less_than(b, a) is False
    if op == ">=":
        return lambda a, b: less_than(a, b) is False
    raise AssertionError(op)


_FAST = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _heat(stats: dict, n: int, calls: int, inner: int) -> int:
    """A loop's ``n`` iterations as the JIT weighs them (Interpreter's
    ``loop``): with its entries into compiled functions and the iterations
    of declined loops run since it began (``calls``, ``inner``: those
    counters then)."""
    return n + CALL_ITERATIONS * (stats["native_calls"] - calls) + stats["declined_iterations"] - inner


class FunctionTemplate:
    """What a function expression compiles to; instantiated per closure."""

    __slots__ = (
        "node", "name", "nparams", "body", "frame_size", "init", "hoisted", "self_index", "params", "fs",
        "implicit", "rest", "kind", "generator", "is_async", "tdz", "has_loops", "arity",
    )  # fmt: skip

    def __init__(self, node: A.Func, name: str) -> None:
        self.node = node
        self.name = name
        self.fs = node.scope
        self.has_loops = None  # (apps.js.hotness asks, once it is hot)
        self.nparams = len(node.params)
        self.arity = node.arity if node.arity >= 0 else self.nparams - (1 if node.rest else 0)  # (its length)


MAX_SHARED_CONSTANTS = 4096


def _program_frame(scope) -> list:
    """A fresh frame for a program's top level: its captured bindings' cells,
    and the TDZ marker where a read may come before the declaration."""
    f = [UNDEFINED, ()] + [UNDEFINED] * scope.nslots
    for b in scope.bindings:
        if b.captured:
            f[b.index] = Cell(UNDEFINED)
        elif b.early_read:
            f[b.index] = TDZ
    return f


class Interpreter:
    def __init__(self, engine) -> None:
        self.engine = engine
        self.fs_stack: list = []  # function scopes being compiled (loop hooks need the owner)
        self.hooked: list = []  # the for/while loops whose bodies are being compiled, innermost last
        self.constants: dict = {}
        self.precreated: set = set()  # bindings whose cell their block (or function) makes on entry

    # --- programs and functions ------------------------------------------------------

    def program(self, prog: A.Program, this=None):
        """The program's code; ``this`` is its top-level this (a CommonJS
        module's exports; an ES module's is undefined)."""
        body = self._in_scope(prog.scope, lambda: self.block_code(prog.body, prog.scope, top=True))
        this_b = prog.scope.this_b
        module = prog.module  # run as an ES module: there, top-level this is undefined

        def run():
            f = _program_frame(prog.scope)
            if this_b is not None:  # node's CommonJS module scope: this is module.exports, {}
                top = UNDEFINED if module else (this if this is not None else JSObject())
                f[this_b.index] = Cell(top) if this_b.captured else top
            body(f)

        return run

    def _in_scope(self, fs, compile_):
        """Compile with ``fs`` as the scope being compiled (what stores and
        loop hooks consult)."""
        self.fs_stack.append(fs)
        try:
            return compile_()
        finally:
            self.fs_stack.pop()

    def evaluate(self, prog: A.Program):
        """A resolved program run for its completion value (eval): the value
        of the last expression statement it ran (through blocks and ifs)."""
        code = self._in_scope(prog.scope, lambda: self._completion(prog.body, prog.scope))
        return code(_program_frame(prog.scope))

    def _completion(self, body: list, fs):
        last = body[-1] if body else None
        if isinstance(last, A.ExprStmt):
            tail = self.expr(last.expr)
        elif isinstance(last, A.Block):
            tail = self._completion(last.body, fs)
        elif isinstance(last, A.If):
            test = self.cond(last.test)
            then = self._completion([last.then], fs)
            other = self._completion([last.other], fs) if last.other is not None else (lambda f: UNDEFINED)
            tail = lambda f: then(f) if test(f) else other(f)  # noqa: E731
        else:
            whole = self.block_code(body, fs) if body else None
            return lambda f: (whole(f), UNDEFINED)[1] if whole is not None else UNDEFINED
        head = self.block_code(body[:-1], fs) if len(body) > 1 else None
        return lambda f: (head(f), tail(f))[1] if head is not None else tail(f)

    def global_value(self, prog: A.Program, e: A.Node):
        """The value of expression ``e`` of a resolved program (the Function
        constructor's function), evaluated in a frame of that program."""
        return self._in_scope(prog.scope, lambda: self.expr(e))(_program_frame(prog.scope))

    def template(self, node: A.Func) -> FunctionTemplate:
        t = FunctionTemplate(node, node.name or "")
        fs = node.scope
        t.frame_size = 2 + fs.nslots
        t.params = [(b.index, b.captured) for b in fs.params]
        t.rest = None
        if node.rest:
            rb = fs.params[-1]
            t.params = t.params[:-1]
            t.rest = (rb.index, rb.captured)
        t.kind = node.kind
        t.generator = node.generator
        t.is_async = node.is_async
        t.init = [
            (b.index, TDZ if b.kind in ("let", "const") else UNDEFINED)
            for b in fs.bindings
            if b.captured and b.kind not in ("param", "implicit")
        ]
        t.tdz = [b.index for b in fs.bindings if b.early_read and not b.captured]
        t.implicit = [
            (b.index, b.captured, which) for which, b in enumerate((fs.this_b, fs.args_b, fs.fn_b)) if b is not None
        ]
        t.self_index = (fs.self_binding.index, fs.self_binding.captured) if fs.self_binding else None
        t.hoisted = []
        t.body = None  # compiled by its first call (compile_body), as node compiles lazily
        return t

    def compile_body(self, t: FunctionTemplate):
        """A function's body, compiled on its first call: a program pays
        nothing for the functions it never calls (a library's, mostly)."""
        if t.body is None:
            self.fs_stack.append(t.fs)
            hooked, self.hooked = self.hooked, []
            try:
                t.body = self.block_code(t.node.body, t.fs, function_body=True, hoisted=t.hoisted)
            finally:
                self.fs_stack.pop()
                self.hooked = hooked
        return t.body

    def make_function(self, t: FunctionTemplate, f: list) -> JSFunction:
        engine = self.engine
        # A copy of the frame: the closure keeps the cells current *now* (a
        # later iteration's fresh let binding must not leak into it).
        env = (list(f),) + f[1]
        fn = JSFunction(t.name, t.arity, None, env, t, t.kind)
        size = t.frame_size
        implicit = t.implicit
        rest = t.rest
        params = t.params
        init = t.init
        tdz = t.tdz
        body = t.body
        self_index = t.self_index
        hoisted = t.hoisted
        this_fb = any(which == 0 for _, _, which in implicit)  # (a method's receiver: its type is fed back too)
        fb = [0] * (t.nparams + this_fb)
        tier = engine.tier
        hot = tier.hot_calls if tier is not None else -1
        sloppy = not t.fs.strict and t.kind in ("function", "method")

        def code(args, this=UNDEFINED):
            nonlocal body, hot
            if body is None:
                body = self.compile_body(t)
            frame = [UNDEFINED, env]
            frame.extend([UNDEFINED] * (size - 2))
            for i, v in init:
                frame[i] = Cell(v)
            for i in tdz:
                frame[i] = TDZ
            for i, captured, which in implicit:  # this, arguments, the function itself
                v = this if which == 0 else (_arguments(args) if which == 1 else fn)
                if which == 0 and sloppy and (v is UNDEFINED or v is None):
                    v = engine.globals["globalThis"].v  # a sloppy function called plainly
                frame[i] = Cell(v) if captured else v
            n = len(args)
            k = 0
            calls = fn.calls = fn.calls + 1
            record = calls < FEEDBACK_CALLS
            for idx, captured in params:
                v = args[k] if k < n else UNDEFINED
                if record:
                    fb[k] |= _type_bit(v)
                frame[idx] = Cell(v) if captured else v
                k += 1
            if record and this_fb:
                fb[-1] |= _type_bit(this)
            if rest is not None:
                v = JSArray(list(args[k:]))
                frame[rest[0]] = Cell(v) if rest[1] else v
            if self_index is not None:
                frame[self_index[0]] = Cell(fn) if self_index[1] else fn
            for idx, captured, tmpl in hoisted:
                g = self.make_function(tmpl, frame)
                if captured:
                    frame[idx].v = g
                else:
                    frame[idx] = g
            if calls == hot:
                hot = tier.on_hot_call(fn) or hot  # (a later call count to ask again at)
            engine.depth += 1
            if engine.depth > engine.max_depth:
                engine.depth -= 1
                raise JSRangeError("Maximum call stack size exceeded", engine.current_pos)
            try:
                body(frame)
            except JSError as e:
                if e.source is None:  # (the innermost frame's file is the position's)
                    e.source = t.node.source or ""
                raise
            finally:
                engine.depth -= 1
            return frame[0]

        if t.generator and t.is_async:  # an async generator object; the body runs as requests come
            agen_code = code

            def code(args, this=UNDEFINED):
                return JSAsyncGenerator(engine, lambda: agen_code(args, this))

            fn.kind = "method" if t.kind == "method" else "arrow"  # (not a constructor)

        elif t.generator:  # calling it makes a generator object; the body runs on next()
            body_code = code

            def code(args, this=UNDEFINED):
                return JSGenerator(engine, lambda: body_code(args, this))

            fn.kind = "method" if t.kind == "method" else "arrow"  # (not a constructor)

        elif t.is_async:  # calling it runs the body up to its first await; it returns a promise
            async_code = code

            def code(args, this=UNDEFINED):
                return run_async(engine, lambda: async_code(args, this))

            fn.kind = "method" if t.kind == "method" else "arrow"  # (not a constructor)

        fn.code = code
        fn.feedback = fb
        return fn

    # --- statements ---------------------------------------------------------------------

    def block_code(self, body: list[A.Node], fs, top: bool = False, function_body: bool = False, hoisted=None):
        # A captured let/const/class declared in this block is one binding per
        # entry into the block, made at entry: a closure created earlier in
        # the block sees the same cell the declaration later initialises.
        entry = []
        for s in body:
            idents = []
            if isinstance(s, A.VarDecl) and s.kind in ("let", "const"):
                idents = [ident for ident, _ in s.decls]
            elif isinstance(s, A.ClassDecl):
                idents = [s.ident]
            for ident in idents:
                ref = ident.ref
                if isinstance(ref, Local) and ref.binding.captured:
                    self.precreated.add(ref.binding)
                    if not function_body:  # (a function's entry made its cells already)
                        entry.append(ref.binding.index)
        stmts = []
        for s in body:
            if isinstance(s, A.FuncDecl):
                tmpl = self.template(s.func)
                ref = s.ident.ref
                if isinstance(ref, Global):
                    cell = ref.cell
                    stmts.insert(0, _hoist_global(self, cell, tmpl))
                elif function_body and hoisted is not None and isinstance(ref, Local):
                    hoisted.append((ref.binding.index, ref.binding.captured, tmpl))
                else:  # a function declared in a nested block: created on block entry
                    stmts.insert(0, self._assign_code(ref, lambda f, t=tmpl: self.make_function(t, f), s.pos))
                continue
            if not top:
                stmts.append(self.stmt(s))
        stmts = [s for s in stmts if s is not None]
        if entry:

            def make_cells(f):
                for i in entry:
                    f[i] = Cell(TDZ)  # (let, const and class: not initialised until declared)
                return 0

            stmts.insert(0, make_cells)
        if top:
            return self._top_level(body, fs, stmts)
        if len(stmts) == 1:
            return stmts[0]
        if len(stmts) == 2:  # (the commonest block, without the loop's iterator)
            s0, s1 = stmts

            def block2(f):
                return s0(f) or s1(f)

            return block2

        def block(f):
            for s in stmts:
                c = s(f)
                if c:
                    return c
            return 0

        return block

    def _top_level(self, body: list, fs, prefix: list):
        """A program's top level: each statement runs exactly once, so it is
        compiled just before it runs, and its AST and closures are let go
        after -- a program of a million straight-line statements never holds
        a million compiled ones, nor keeps their trees once they ran
        (declarations were hoisted already; early errors are the parser's)."""

        def run(f):
            for p in prefix:  # (hoisted functions, the block's cells)
                c = p(f)
                if c:
                    return c
            for i, s in enumerate(body):
                if s is None or type(s) is A.FuncDecl:
                    continue
                self.fs_stack.append(fs)
                try:
                    code = self.stmt(s)
                finally:
                    self.fs_stack.pop()
                s.code = None
                c = code(f) if code is not None else 0
                body[i] = None  # (after it ran: the tier finds a running loop's place in the body)
                if c:
                    return c
            return 0

        return run

    def stmt(self, s: A.Node):
        m = getattr(self, "s_" + type(s).__name__)
        code = m(s)
        s.code = code
        return code

    def s_Empty(self, s):
        return None

    def s_ExprStmt(self, s: A.ExprStmt):
        x = s.expr
        if isinstance(x, A.Assign) and x.op == "+=" and isinstance(x.target, A.Ident):
            append = self._append_code(x)
            if append is not None:
                return append
        e = self.expr(s.expr)

        def run(f):
            e(f)
            return 0

        return run

    def s_VarDecl(self, s: A.VarDecl):
        codes = []
        for ident, init in s.decls:
            if init is None:
                if s.kind == "var":
                    continue
                value = lambda f: UNDEFINED  # noqa: E731
            else:
                value = self.expr(init)
                if isinstance(init, A.Func) and not init.name:
                    value = _named(value, ident.name)
            codes.append(self._assign_code(ident.ref, value, ident.pos, initialize=True))
        if len(codes) == 1:
            c0 = codes[0]

            def one(f):
                c0(f)
                return 0

            return one

        def run(f):
            for c in codes:
                c(f)
            return 0

        return run

    def s_FuncDecl(self, s):  # handled by block_code (hoisting)
        return None

    def s_Return(self, s: A.Return):
        if s.value is None:

            def ret_undefined(f):
                f[0] = UNDEFINED
                return RETURN

            return ret_undefined
        e = self.expr(s.value)

        def ret(f):
            f[0] = e(f)
            return RETURN

        return ret

    def s_If(self, s: A.If):
        test = self.cond(s.test)
        then = self.sub(s.then)
        if s.other is None:

            def if_(f):
                if test(f):
                    return then(f)
                return 0

            return if_
        other = self.sub(s.other)

        def if_else(f):
            if test(f):
                return then(f)
            return other(f)

        return if_else

    def sub(self, s: A.Node):
        c = self.stmt(s) if not isinstance(s, A.Block) else self.s_Block(s)
        return c or (lambda f: 0)

    def s_Block(self, s: A.Block):
        code = self.block_code(s.body, None) if s.body else (lambda f: 0)
        s.code = code
        return code

    def _loop_hook(self, s: A.Node):
        """Count iterations; hand a hot loop to the JIT tier (OSR)."""
        tier = self.engine.tier
        return tier.loop_hook(s, self.fs_stack[-1]) if tier is not None else None

    def _hooked_loop(self, s: A.Node, test, body, step):
        """The loop at a ``while``/``for`` header: runs the body, then ``step``
        (the per-iteration bindings and the update, if any), and offers the
        loop to the JIT tier every 256 iterations (every one once it is eager,
        or once its iterations entered compiled code 256 times: a loop of a
        few hundred rounds of ``xs.map(arrow)`` over 1,000 elements entered
        the compiled arrow 256,000 times before it was first offered).
        An iteration that entered compiled functions counts as more than one
        (hotness.CALL_ITERATIONS each): such an entry costs the interpreter
        as much as a few dozen plain iterations, and a loop around a
        compiled call is then hot after a few hundred.  So does every
        iteration of a loop the JIT declined that ran meanwhile (a callee's,
        hotness.LoopHook.exited): a loop of a few hundred rounds around a
        call whose own loop cannot compile alone is as hot as the work it
        does."""
        hook = self._loop_hook(s)
        breaks, continues = loop_codes(s)
        s.break_codes = breaks  # (the JIT adds the code that says a nest unit finished this loop)
        stats = self.engine.tier.stats if hook is not None else None  # (the JIT tier's counters)

        def loop(f):
            if hook is not None:
                if hook.eager:
                    r = hook(f, 0)
                    if r is not None:
                        return r
                calls = stats["native_calls"]
                inner = stats["declined_iterations"]
            n = 0
            c = 0
            while test(f):
                c = body(f)
                if c:
                    if c == BREAK:
                        c = 0
                        break
                    if c != CONTINUE and c not in continues:
                        if c in breaks:
                            c = 0
                        break  # return, or a labelled jump past this loop
                    c = 0
                if step is not None:
                    step(f)
                n += 1
                if hook is not None and (
                    n & 255 == 0
                    or hook.eager
                    or stats["native_calls"] - calls > 255
                    or stats["declined_iterations"] - inner > 4095
                ):
                    r = hook(f, _heat(stats, n, calls, inner))
                    if r is not None:
                        return r
            if hook is not None:
                hook.exited(_heat(stats, n, calls, inner))
            return c

        return loop

    def _loop_body(self, s: A.Node):
        self.hooked.append(s)
        try:
            return self.sub(s.body)
        finally:
            self.hooked.pop()

    def s_While(self, s: A.While):
        while_ = self._hooked_loop(s, self.cond(s.test), self._loop_body(s), None)
        s.resume_code = while_
        s.next_iteration = while_
        return while_

    def s_DoWhile(self, s: A.DoWhile):
        test = self.cond(s.test)
        body = self.sub(s.body)

        breaks, continues = loop_codes(s)

        def do_while(f):
            while True:
                c = body(f)
                if c:
                    if c == BREAK or c in breaks:
                        break
                    if c != CONTINUE and c not in continues:
                        return c
                if not test(f):
                    return 0
            return 0

        s.resume_code = do_while
        s.next_iteration = lambda f: do_while(f) if test(f) else 0
        return do_while

    def s_For(self, s: A.For):
        init = self.stmt(s.init) if s.init is not None else None
        test = self.cond(s.test) if s.test is not None else (lambda f: True)
        update = self.expr(s.update) if s.update is not None else None
        body = self._loop_body(s)
        fresh = [b.index for b in s.per_iteration]

        def step(f):
            for i in fresh:  # closures keep the previous iteration's binding
                f[i] = Cell(f[i].v)
            if update is not None:
                update(f)

        has_step = bool(fresh) or update is not None
        loop = self._hooked_loop(s, test, body, step if has_step else None)

        def for_(f):
            if init is not None:
                for i in fresh:
                    f[i] = Cell(UNDEFINED)
                init(f)
            return loop(f)

        def next_iteration(f):
            step(f)
            return loop(f)

        s.resume_code = loop  # enter at the loop header (after init)
        s.next_iteration = next_iteration
        return for_

    def s_ForOf(self, s: A.ForOf):
        iterable = self.expr(s.iterable)
        body = self.sub(s.body)
        item: list = [UNDEFINED]
        assign = self._assign_code(s.target.ref, lambda f: item[0], s.target.pos, initialize=s.kind is not None)
        fresh = [b.index for b in s.per_iteration]
        text = source_text(s.iterable)
        pos = s.iterable.pos
        rt = self.engine.runtime

        def run_body(f, v):
            for i in fresh:  # closures keep their own iteration's binding
                f[i] = Cell(UNDEFINED)
            item[0] = v
            assign(f)
            item[0] = UNDEFINED
            return body(f)

        keys = s.keys

        def values(it):
            if keys:
                if it is None or it is UNDEFINED:
                    return
                yield from rt.for_in_keys(it)
                return
            if type(it) is JSArray and rt.plain_iteration(it):
                i = 0
                while i < len(it):  # live: sees elements pushed meanwhile
                    v = it.get(i)
                    yield UNDEFINED if v is HOLE else v
                    i += 1
            elif type(it) is str and rt.plain_iteration(it):
                yield from utf16.code_points(it)
            elif type(it) is JSGenerator:
                yield from gen_values(it)
            elif isinstance(it, JSObject) or type(it) in (JSArray, str):  # [Symbol.iterator]: lazily (may never end)
                yield from rt.custom_values(it, pos, text)
            else:
                yield from rt.iterate(it, pos, text)  # Map, Set (a snapshot), or the TypeError

        breaks, continues = loop_codes(s)
        if s.awaits:
            sync_values, engine = values, self.engine

            def values(it):  # noqa: F811 (for await: each value awaited)
                return for_await_values(engine, it, pos, text, sync_values)

        # A for...of is never compiled by itself (the interpreter cannot resume
        # inside one), so its iterations count towards the loop around it: a
        # loop of few iterations over many elements gets hot as soon as the
        # work in it does.
        outer = self.hooked[-1] if self.hooked else None
        tier = self.engine.tier
        hooks = tier.hooks if tier is not None and outer is not None else None

        def for_of(f):
            it = iterable(f)
            vals = values(it)
            n = 0
            try:
                for v in vals:
                    n += 1
                    c = run_body(f, v)
                    if c:
                        if c == BREAK or c in breaks:
                            break
                        if c != CONTINUE and c not in continues:
                            return c
            except BaseException:
                try:
                    vals.close()  # (the iterator's return() runs; what it throws, the body's throw outranks)
                except JSError:
                    pass
                raise
            finally:
                vals.close()  # (now: a for await that leaves early awaits its iterator's return())
                if type(it) is JSGenerator and not it.done:  # left early: the generator finishes
                    gen_close(it)
                if hooks is not None:
                    h = hooks.get(outer)
                    if h is not None:
                        h.exited(n)
            return 0

        return for_of

    def s_Throw(self, s: A.Throw):
        value = self.expr(s.value)
        pos = s.pos

        def throw(f):
            raise JSThrow(value(f), pos)

        return throw

    def s_Try(self, s: A.Try):
        """``catch`` gets the thrown value, or for an error the engine raised
        (a TypeError reading a property of undefined, a RangeError from deep
        recursion, ...) the Error object JS would have made; ``finally`` runs
        on every way out, and a break/continue/return of its own replaces
        whatever was leaving (a pending exception included)."""
        block = self.block_code(s.block.body, None)
        handler = self.block_code(s.handler.body, None) if s.handler is not None else None
        bind = None
        if s.param is not None:
            caught: list = [UNDEFINED]
            bind = self._assign_code(s.param.ref, lambda f: caught[0], s.param.pos, initialize=True)
        final = self.block_code(s.finalizer.body, None) if s.finalizer is not None else None
        engine = self.engine

        def catch(f, e):
            if bind is not None:
                caught[0] = error_value(e)
                bind(f)
                caught[0] = UNDEFINED
            return handler(f)

        def try_(f):
            depth = engine.depth
            pending = None
            try:
                try:
                    c = block(f)
                except RecursionError:
                    if handler is None:
                        raise
                    engine.depth = depth
                    c = catch(f, JSRangeError("Maximum call stack size exceeded", engine.current_pos))
                except JSError as e:
                    if handler is None or isinstance(e, (JSSyntaxError, JSInternalError)):
                        raise
                    engine.depth = depth
                    c = catch(f, e)
            except (JSError, RecursionError, GeneratorReturn) as e:
                if final is None:
                    raise
                pending = e
                c = 0
            if final is not None:
                fc = final(f)
                if fc:
                    return fc  # (a pending exception is dropped, as in JS)
                if pending is not None:
                    raise pending
            return c

        return try_

    def s_Switch(self, s: A.Switch):
        """Tests run in order until one is strictly equal (default only when
        none is, wherever it stands); then the bodies from there on, falling
        through until a break."""
        disc = self.expr(s.disc)
        tests = [(i, self.expr(t)) for i, t in enumerate(s.tests) if t is not None]
        default = s.starts[s.tests.index(None)] if None in s.tests else -1
        starts = s.starts
        entry = []  # function declarations in the cases: made on entry, as in a block
        codes = []
        for st in s.body.body:
            if isinstance(st, A.FuncDecl):
                tmpl = self.template(st.func)
                entry.append(self._assign_code(st.ident.ref, lambda f, t=tmpl: self.make_function(t, f), st.pos))
                codes.append(None)
            else:
                codes.append(self.stmt(st))

        def switch(f):
            for e in entry:
                e(f)
            v = disc(f)
            at = default
            for i, test in tests:
                if strict_equals(v, test(f)):
                    at = starts[i]
                    break
            if at < 0:
                return 0
            for c in codes[at:]:
                if c is not None:
                    r = c(f)
                    if r:
                        return 0 if r == BREAK else r
            return 0

        return switch

    def s_Break(self, s):
        code = BREAK if s.label is None else label_code(s.label, BREAK)
        return lambda f: code

    def s_Continue(self, s):
        code = CONTINUE if s.label is None else label_code(s.label, CONTINUE)
        return lambda f: code

    def s_Labeled(self, s: A.Labeled):
        body = self.sub(s.body)
        mine = label_code(s.label, BREAK)

        def labeled(f):
            c = body(f)
            return 0 if c == mine else c

        return labeled

    # --- resuming after deoptimisation -------------------------------------------------------

    def resume_at_loop(self, loop: A.Node, f: list, stop_at: A.Node, parents: dict) -> int:
        """Run ``loop`` from its header, then whatever follows it, up to the end
        of ``stop_at`` (a loop enclosing it, or itself); its completion code.

        ``parents`` maps a statement to (owner, statement list, index)."""
        c = loop.resume_code(f)
        node = loop
        while node is not stop_at:
            owner, stmts, idx = parents[node]
            if c == 0:
                for s in stmts[idx + 1 :]:
                    code = getattr(s, "code", None)
                    if code is None:
                        continue
                    c = code(f)
                    if c:
                        break
            if isinstance(owner, (A.While, A.For, A.DoWhile)):
                breaks, continues = loop_codes(owner)
                if c == BREAK or c in breaks:
                    c = 0
                elif c in (0, CONTINUE) or c in continues:
                    c = owner.next_iteration(f)
            elif isinstance(owner, A.Labeled) and c == label_code(owner.label, BREAK):
                c = 0
            node = owner
        return c

    # --- variables -----------------------------------------------------------------------

    def read(self, ref, node: A.Ident):
        if isinstance(ref, (Local, Outer)) and ref.checked:
            return self._read_checked(ref, node)
        if isinstance(ref, Local):
            i = ref.binding.index
            if ref.binding.captured:
                return lambda f: f[i].v
            if ref.binding.appended:

                def read_appended(f):
                    v = f[i]
                    return v.value() if type(v) is StrBuf else v

                return read_appended
            return lambda f: f[i]
        if isinstance(ref, Outer):
            d, i = ref.depth - 1, ref.binding.index
            return lambda f: f[1][d][i].v
        cell = ref.cell
        name, pos = node.name, node.pos

        def read_global(f):
            v = cell.v
            t = type(v)
            if t is _Marker:
                if v is UNBOUND:
                    raise JSReferenceError(f"{name} is not defined", pos)
                raise JSReferenceError(f"Cannot access '{name}' before initialization", pos)
            if t is StrBuf:
                return v.value()
            return v

        return read_global

    def _read_checked(self, ref, node: A.Ident):
        """A let/const read that may run before its declaration (the TDZ)."""
        name, pos = node.name, node.pos
        if isinstance(ref, Outer):
            d, i = ref.depth - 1, ref.binding.index

            def read_outer(f):
                v = f[1][d][i].v
                if v is TDZ:
                    raise JSReferenceError(f"Cannot access '{name}' before initialization", pos)
                return v

            return read_outer
        i, captured, appended = ref.binding.index, ref.binding.captured, ref.binding.appended

        def read_local(f):
            v = f[i].v if captured else f[i]
            if v is TDZ:
                raise JSReferenceError(f"Cannot access '{name}' before initialization", pos)
            return v.value() if appended and type(v) is StrBuf else v

        return read_local

    def _assign_code(self, ref, value, pos, initialize: bool = False):
        """A closure storing value(f) into the variable; returns the value."""
        if isinstance(ref, (Local, Outer)) and not initialize and (ref.checked or ref.binding.kind == "const"):
            return self._assign_checked(ref, value, pos)
        if isinstance(ref, Local):
            b = ref.binding
            i = b.index
            if b.captured and initialize and b.kind in ("let", "const") and b not in self.precreated:

                def fresh_cell(f):  # each execution of the declaration is a new binding
                    v = value(f)
                    f[i] = Cell(v)
                    return v

                return fresh_cell
            if b.captured:

                def set_cell(f):
                    v = value(f)
                    f[i].v = v
                    return v

                return set_cell

            def set_local(f):
                v = value(f)
                f[i] = v
                return v

            return set_local
        if isinstance(ref, Outer):
            b = ref.binding
            d, i = ref.depth - 1, b.index

            def set_outer(f):
                v = value(f)
                f[1][d][i].v = v
                return v

            return set_outer
        cell = ref.cell
        if cell.const and not initialize:
            return _const_error(value, pos)
        if initialize:

            def init_global(f):
                v = value(f)
                cell.v = v
                return v

            return init_global
        name = cell.name
        strict = self.fs_stack[-1].strict

        def set_global(f):
            v = value(f)
            if cell.v is TDZ:
                raise JSReferenceError(f"Cannot access '{name}' before initialization", pos)
            if cell.v is UNBOUND and strict:  # (sloppy code creates the global)
                raise JSReferenceError(f"{name} is not defined", pos)
            cell.v = v
            return v

        return set_global

    def _assign_checked(self, ref, value, pos):
        """An assignment to a let that may run before its declaration, or to
        a const: the value first, then -- as V8's SetMutableBinding -- a
        ReferenceError in the TDZ, else a const's TypeError."""
        b = ref.binding
        name, const, checked = b.name, b.kind == "const", ref.checked
        if isinstance(ref, Outer):
            d, i = ref.depth - 1, b.index

            def cell_of(f):
                return f[1][d][i]

        else:
            i = b.index
            cell_of = (lambda f: f[i]) if b.captured else None

        def assign(f):
            v = value(f)
            cell = None if cell_of is None else cell_of(f)
            if checked and (f[i] if cell is None else cell.v) is TDZ:
                raise JSReferenceError(f"Cannot access '{name}' before initialization", pos)
            if const:
                raise JSTypeError("Assignment to constant variable.", pos)
            if cell is None:
                f[i] = v
            else:
                cell.v = v
            return v

        return assign

    # --- expressions --------------------------------------------------------------------

    def expr(self, e: A.Node):
        return getattr(self, "e_" + type(e).__name__)(e)

    def cond(self, e: A.Node):
        """An expression evaluated for its truth value (returns a Python bool)."""
        if isinstance(e, A.Binary) and e.op in ("<", ">", "<=", ">=", "===", "!==", "==", "!=", "in", "instanceof"):
            return self.expr(e)  # already a bool
        if isinstance(e, A.Unary) and e.op == "!":
            inner = self.cond(e.arg)
            return lambda f: not inner(f)
        if isinstance(e, A.Logical) and e.op != "??":
            a, b = self.cond(e.left), self.cond(e.right)
            if e.op == "&&":
                return lambda f: a(f) and b(f)
            return lambda f: a(f) or b(f)
        x = self.expr(e)
        return lambda f: truthy(x(f))

    def e_Num(self, e):
        return self._constant(e.value)

    def e_Str(self, e):
        return self._constant(e.value)

    def e_BigInt(self, e):
        return self._constant(e.value)

    def _constant(self, v):
        """One shared closure per constant a program repeats (0, 1, "") -- up
        to a bound: a program of half a million distinct literals must not
        keep a closure for each once its statement has run."""
        key = (float, repr(v)) if type(v) is float else (type(v), v)  # (repr: -0 is not 0, NaN is NaN)
        c = self.constants.get(key)
        if c is None:
            c = lambda f: v  # noqa: E731
            if len(self.constants) < MAX_SHARED_CONSTANTS:
                self.constants[key] = c
        return c

    def e_Regex(self, e: A.Regex):
        from .regex import JSRegExp

        JSRegExp(e.body, e.flags, e.pos)  # a bad pattern is an early SyntaxError, as in JS
        body, flags = e.body, e.flags
        return lambda f: JSRegExp(body, flags)  # each evaluation: a new object (its own lastIndex)

    def e_Lit(self, e):
        v = e.value
        return lambda f: v

    def e_Template(self, e: A.Template):
        quasis = e.quasis
        exprs = [self.expr(x) for x in e.exprs]

        def template(f):
            parts = [quasis[0]]
            for k, x in enumerate(exprs):
                parts.append(implicit_str(x(f)))
                parts.append(quasis[k + 1])
            return V.bounded("".join(parts))

        return template

    def e_TemplateStrings(self, e: A.TemplateStrings):
        made: list = []

        def strings(f):
            if not made:  # (the same array every time this site runs)
                arr = JSArray(list(e.quasis))
                arr.named = {"raw": JSArray(list(e.raws))}
                made.append(arr)
            return made[0]

        return strings

    def e_Ident(self, e: A.Ident):
        return self.read(e.ref, e)

    def e_ArrayLit(self, e: A.ArrayLit):
        if None in e.items or any(isinstance(x, A.Spread) for x in e.items):
            build = self.list_code(e.items)
            return lambda f: JSArray(build(f))
        if not e.items:  # (the last one made is kept, weakly: what it holds now types [] for the JIT)
            ref = weakref.ref

            def empty(f):
                a = JSArray([])
                if e.held is None and e.made is not None:
                    # (the one made before, still alive as the next is made -- a loop's
                    # ``const list = []`` -- tells what the site's arrays hold when the
                    # JIT starts right after it made an empty one)
                    last = e.made()
                    if last is not None and last.items:
                        e.held = type(last.items[0])
                a.site = e  # (what it holds is its site's until it holds something: JSArray._first)
                e.made = ref(a)
                return a

            return empty
        items = [self.expr(x) for x in e.items]
        return lambda f: JSArray([x(f) for x in items])

    def list_code(self, nodes: list):
        """Arguments or array items with ``...spread`` (and holes): f -> list."""
        rt = self.engine.runtime
        parts = []
        for x in nodes:
            if x is None:
                parts.append((2, None, None))
            elif isinstance(x, A.Spread):
                parts.append((1, self.expr(x.arg), x.arg))
            else:
                parts.append((0, self.expr(x), None))
        if all(kind == 0 for kind, _, _ in parts):
            codes = [c for _, c, _ in parts]
            # (up to three spelled out: a comprehension is a call of its own
            # in CPython 3.11, paid at every JS call with arguments)
            if not codes:
                return lambda f: []
            if len(codes) == 1:
                c0 = codes[0]
                return lambda f: [c0(f)]
            if len(codes) == 2:
                c0, c1 = codes
                return lambda f: [c0(f), c1(f)]
            if len(codes) == 3:
                c0, c1, c2 = codes
                return lambda f: [c0(f), c1(f), c2(f)]
            return lambda f: [c(f) for c in codes]

        def build(f):
            out = []
            for kind, c, node in parts:
                if kind == 0:
                    out.append(c(f))
                elif kind == 1:
                    out.extend(rt.iterate(c(f), node.pos, source_text(node)))
                else:
                    out.append(HOLE)
            return out

        return build

    def e_ObjectLit(self, e: A.ObjectLit):
        plain = all(
            kind == "init" and isinstance(k, str) and k != "__proto__" and not isinstance(v, A.Func)
            for k, v, kind in e.props
        )
        if plain:
            props = [(k, self.expr(v)) for k, v, _ in e.props]
            return lambda f: JSObject({k: v(f) for k, v in props})
        rt = self.engine.runtime
        steps = []
        for k, v, kind in e.props:
            key = self.expr(k) if isinstance(k, A.Node) else k
            if _sets_prototype(k, v, kind):
                kind = "proto"
            steps.append((key, isinstance(k, A.Node), self.expr(v), kind, isinstance(v, A.Func)))

        def obj(f):
            o = JSObject()
            props = o.props
            for key, computed, value, kind, is_func in steps:
                if kind == "proto":  # ({__proto__: p}): the new object's prototype, if p is an object or null
                    p = value(f)
                    if p is None or isinstance(p, (JSObject, JSFunction)):
                        o.proto = p
                    continue
                if kind == "spread":
                    src = value(f)
                    if src is not None and src is not UNDEFINED:
                        for k in rt.for_in_keys(src) if not isinstance(src, JSObject) else src.keys():
                            props[k] = rt.get_prop(src, k, None)
                    continue
                k = key(f) if computed else key
                k = prop_key(k)
                v = value(f)
                if is_func and type(v) is JSFunction:
                    if not v.name:
                        v.name = _fn_name(k)
                    v.home = o
                if kind == "init":
                    props[k] = v
                else:
                    cur = props.get(k)
                    acc = cur if type(cur) is Accessor else Accessor()
                    if kind == "get":
                        acc.get = v
                    else:
                        acc.set = v
                    props[k] = acc
            return o

        return obj

    def e_Func(self, e: A.Func):
        t = self.template(e)
        return lambda f: self.make_function(t, f)

    # --- this, classes, super ----------------------------------------------------------------

    def e_This(self, e: A.This):
        return self.read(e.ref, e)

    def s_ClassDecl(self, s: A.ClassDecl):
        box = [UNDEFINED]
        assign = self._assign_code(s.ident.ref, lambda f: box[0], s.pos, initialize=True)

        def bind(f, cls):  # the name is bound before static fields run (they may use it)
            box[0] = cls
            assign(f)
            box[0] = UNDEFINED

        make = self.e_Class(s.cls, bind)

        def run(f):
            make(f)
            return 0

        return run

    def e_Class(self, e: A.Class, bind=None):
        name = e.name or ""
        ctor_t = self.template(e.ctor) if e.ctor is not None else None
        fields_t = self.template(e.fields) if e.fields is not None else None
        statics_t = self.template(e.statics) if e.statics is not None else None
        members = []
        for m in e.members:
            key = self.expr(m.key) if isinstance(m.key, A.Node) else m.key
            members.append((key, isinstance(m.key, A.Node), m.kind, m.static, self.template(m.value)))
        parent_code = self.expr(e.parent) if e.parent is not None else None
        pos = e.pos
        kind = "derived" if e.parent is not None else "class"

        def refuse(args, this=UNDEFINED):
            raise JSTypeError(f"Class constructor {name} cannot be invoked without 'new'", self.engine.current_pos)

        def make(f):
            parent = parent_code(f) if parent_code is not None else None
            if parent_code is not None:
                ok = type(parent) is JSFunction and parent.kind in ("function", "class", "derived")
                # a built-in constructor is a valid parent even where this engine cannot make
                # its instances: ``new`` then says so by name (runtime._allocate)
                builtin_ctor = type(parent) is Builtin and (
                    isinstance(parent.prototype, JSObject) or self.engine.globals_builtin.get(parent.name) is parent
                )
                ok = ok or builtin_ctor
                if not ok:
                    raise JSTypeError(f"Class extends value {_describe(parent)} is not a constructor or null", pos)
                pproto = parent.get_prototype() if type(parent) is JSFunction else parent.prototype
                proto = JSObject(proto=pproto if isinstance(pproto, JSObject) else OBJECT_PROTO)
            else:
                proto = JSObject()
            if ctor_t is not None:
                cls = self.make_function(ctor_t, f)
                cls.body = cls.code
            else:
                cls = JSFunction(name, 0, None, None, None, kind)
            cls.code = refuse
            cls.kind = kind
            cls.source = e
            cls.parent = parent
            cls.proto = parent  # (statics are inherited: Sub.from, a parent class's own)
            cls.prototype = proto
            cls.home = proto
            proto.hide("constructor", cls)
            if fields_t is not None:
                cls.fields = self.make_function(fields_t, f)
                cls.fields.home = proto
            for key, computed, mkind, static, tmpl in members:
                k = key(f) if computed else key
                k = prop_key(k)
                m = self.make_function(tmpl, f)
                if not m.name:
                    m.name = _fn_name(k)
                target = cls if static else proto
                m.home = target
                if cls.hidden is None:
                    cls.hidden = set()
                if mkind == "method":
                    target.props[k] = m
                else:
                    cur = target.props.get(k)
                    acc = cur if type(cur) is Accessor else Accessor()
                    if mkind == "get":
                        acc.get = m
                    else:
                        acc.set = m
                    target.props[k] = acc
                if target.hidden is None:
                    target.hidden = set()
                target.hidden.add(k)
            if bind is not None:
                bind(f, cls)
            if statics_t is not None:
                init = self.make_function(statics_t, f)
                init.home = cls
                init.code([], cls)
            return cls

        return make

    def e_SuperCall(self, e: A.SuperCall):
        fn = self.read(e.fn_ref, e)
        this = self.read(e.this_ref, e)
        args = self.list_code(e.args)
        rt = self.engine.runtime
        pos = e.pos

        def super_call(f):
            cls = fn(f)
            return rt.super_call(cls, this(f), args(f), pos)

        return super_call

    def e_SuperMember(self, e: A.SuperMember):
        fn = self.read(e.fn_ref, e)
        this = self.read(e.this_ref, e)
        key = self.expr(e.prop)
        rt = self.engine.runtime
        pos = e.pos
        return lambda f: rt.super_get(fn(f), key(f), this(f), pos)

    def e_Helper(self, e: A.Helper):
        """Destructuring's steps (see ast.Helper)."""
        args = [self.expr(x) for x in e.args]
        rt = self.engine.runtime
        pos = e.pos
        name = e.name
        if name == "import":  # a module's namespace (its imports were hoisted: loaded before its body)
            spec = e.args[0].value
            loader = self.engine.loader
            return lambda f: loader.import_(spec, pos)
        if name == "iter":
            src = args[0]
            # V8 names the value where a declaration's initializer is a
            # variable or a literal (`const [a] = xs`: "xs is not iterable");
            # else -- a property, an operation, a parameter, an assignment's
            # or a nested pattern's value (the parser's temporaries) -- it
            # describes the value ("object null is not iterable (...)").
            x = e.args[0]
            t = type(x)
            if t is A.Unary and x.op == "-" and type(x.arg) is A.Num:
                text = "-" + source_text(x.arg)
            elif t is A.ObjectLit:
                text = "{" + "(intermediate value)" * len(x.props) + "}"
            elif t in (A.Num, A.Lit, A.Str) or (t is A.Ident and not x.name.startswith("%")):
                text = source_text(x)
            else:
                text = None
            wanted = int(e.args[1].value) if len(e.args) > 1 else -1

            def iter_(f):
                v = src(f)
                if v is None or v is UNDEFINED:
                    raise JSTypeError(not_iterable(v, text), pos)
                return JSArray(rt.take(v, wanted, pos, text))

            return iter_
        if name == "object":
            src = args[0]
            first = f"property '{e.args[1].value}' of " if len(e.args) > 1 else ""

            def object_(f):
                v = src(f)
                if v is None or v is UNDEFINED:
                    raise JSTypeError(f"Cannot destructure {first}'{to_str(v)}' as it is {to_str(v)}.", pos)
                return v

            return object_
        if name == "rest":
            src, start = args

            def rest(f):
                return JSArray(src(f).values()[int(start(f)) :])

            return rest
        src, keys = args[0], args[1:]

        def omit(f):
            o = src(f)
            skip = {to_str(k(f)) for k in keys}
            names = o.keys() if isinstance(o, JSObject) else rt.for_in_keys(o)
            return JSObject({k: rt.get_prop(o, k, pos) for k in names if k not in skip})

        return omit

    def e_Await(self, e: A.Await):
        arg = self.expr(e.arg)
        engine = self.engine
        return lambda f: await_(engine, arg(f))

    def e_Yield(self, e: A.Yield):
        arg = self.expr(e.arg) if e.arg is not None else (lambda f: UNDEFINED)
        rt = self.engine.runtime
        pos = e.pos
        if not e.delegate:
            return lambda f: yield_(arg(f))

        def delegate(f):  # yield* inner: each of its values, then its return value
            inner = arg(f)
            if type(inner) is JSGenerator:
                sent = UNDEFINED
                while True:
                    v, done = inner.resume("next", sent)
                    if done:
                        return v
                    sent = yield_(v)
            for v in rt.iterate(inner, pos, None):  # (V8 names a yield* operand as a built-in would)
                yield_(v)
            return UNDEFINED

        return delegate

    def e_Spread(self, e: A.Spread):
        raise JSSyntaxError("Unexpected token '...'", e.pos)

    def e_OptChain(self, e: A.OptChain):
        inner = self.expr(e.expr)

        def chain(f):
            try:
                return inner(f)
            except _ShortCircuit:
                return UNDEFINED

        return chain

    def e_Seq(self, e: A.Seq):
        exprs = [self.expr(x) for x in e.exprs]

        def seq(f):
            v = UNDEFINED
            for x in exprs:
                v = x(f)
            return v

        return seq

    def e_Unary(self, e: A.Unary):
        op = e.op
        if op == "typeof":
            if isinstance(e.arg, A.Ident) and isinstance(e.arg.ref, Global):
                cell = e.arg.ref.cell
                return lambda f: (
                    "undefined" if type(cell.v) is _Marker else ("string" if type(cell.v) is StrBuf else typeof(cell.v))
                )
            x = self.expr(e.arg)
            return lambda f: typeof(x(f))
        if op == "delete":
            target = e.arg
            if isinstance(target, A.OptChain):
                target = target.expr
            if not isinstance(target, A.Member):
                x = self.expr(e.arg)
                return lambda f: (x(f), True)[1] if not isinstance(e.arg, A.Ident) else False
            obj = self.expr(target.obj)
            key = self.expr(target.prop)
            rt = self.engine.runtime
            pos = e.pos
            strict = self.fs_stack[-1].strict
            return lambda f: rt.delete(obj(f), key(f), pos, strict)
        x = self.expr(e.arg)
        if op == "void":
            return lambda f: (x(f), UNDEFINED)[1]
        if op == "-":

            def neg(f):
                v = x(f)
                return -v if type(v) is float else -to_numeric(v)

            return neg
        if op == "+":
            return lambda f: to_num(x(f))
        if op == "!":
            return lambda f: not truthy(x(f))
        if op == "~":
            return lambda f: _bit_not(to_numeric(x(f)))
        raise AssertionError(op)

    def e_Binary(self, e: A.Binary):
        a, b = self.expr(e.left), self.expr(e.right)
        if e.op in ("in", "instanceof"):
            rt = self.engine.runtime
            pos = e.pos
            if e.op == "in":
                return lambda f: rt.has_property(b(f), a(f), pos)
            return lambda f: rt.instance_of(a(f), b(f), pos)
        slow = _binop(e.op)
        fast = _FAST.get(e.op)
        pos = e.pos
        if fast is None:
            if e.op == "===":

                def seq(f):
                    x, y = a(f), b(f)
                    if type(x) is float and type(y) is float:
                        return x == y
                    return strict_equals(x, y)

                return seq
            if e.op == "/":

                def div(f):
                    x, y = a(f), b(f)
                    if type(x) is float and type(y) is float and y != 0:
                        return x / y
                    try:
                        return slow(x, y)
                    except JSError as err:
                        raise _at(err, pos) from None

                return div

            def other(f):
                x, y = a(f), b(f)
                try:
                    return slow(x, y)
                except JSError as err:
                    raise _at(err, pos) from None

            return other

        def binop(f):
            x, y = a(f), b(f)
            if type(x) is float and type(y) is float:
                return fast(x, y)
            try:
                return slow(x, y)
            except JSError as err:
                raise _at(err, pos) from None

        return binop

    def e_Chain(self, e: A.Chain):
        """A flat run of binary operators: evaluated left to right in a loop
        (&&, || and ?? still skip their right operand when they may)."""
        first = self.expr(e.first)
        rt = self.engine.runtime
        steps = []
        for op, pos, node in e.steps:
            code = self.expr(node)
            if op in ("&&", "||", "??"):
                steps.append((op, None, code))
            elif op == "in":
                steps.append((op, lambda a, b, pos=pos: rt.has_property(b, a, pos), code))
            elif op == "instanceof":
                steps.append((op, lambda a, b, pos=pos: rt.instance_of(a, b, pos), code))
            else:
                steps.append((op, _binop(op), code))

        def chain(f):
            v = first(f)
            for op, fn, code in steps:
                if fn is not None:
                    v = fn(v, code(f))
                elif op == "&&":
                    if truthy(v):
                        v = code(f)
                elif op == "||":
                    if not truthy(v):
                        v = code(f)
                elif v is None or v is UNDEFINED:
                    v = code(f)
            return v

        return chain

    def e_Logical(self, e: A.Logical):
        a, b = self.expr(e.left), self.expr(e.right)
        if e.op == "??":

            def nullish(f):
                v = a(f)
                return b(f) if v is None or v is UNDEFINED else v

            return nullish
        if e.op == "&&":

            def and_(f):
                v = a(f)
                return b(f) if truthy(v) else v

            return and_

        def or_(f):
            v = a(f)
            return v if truthy(v) else b(f)

        return or_

    def e_Cond(self, e: A.Cond):
        t, a, b = self.cond(e.test), self.expr(e.then), self.expr(e.other)
        return lambda f: a(f) if t(f) else b(f)

    # --- members, calls ---------------------------------------------------------------------

    def e_Member(self, e: A.Member):
        obj = self.expr(e.obj)
        rt = self.engine.runtime
        pos = e.pos
        if e.optional:
            base = obj

            def obj(f):
                o = base(f)
                if o is None or o is UNDEFINED:
                    raise _ShortCircuit
                return o

        if not e.computed and e.prop.value.startswith("#"):
            get_private = _private_getter(rt, e.prop.value, pos)
            return lambda f: get_private(obj(f))
        if not e.computed:
            name = e.prop.value
            if name == "length":
                # (its feedback too: a ?: arm whose load never ran is compiled
                # as a cold exit -- jittypes.unfed -- and one that had, unfed,
                # left compiled code at every `a === null ? 0 : a.length`)
                def length(f):
                    o = obj(f)
                    t = type(o)
                    if t is JSArray or t is str:
                        e.seen |= 1
                        return float(len(o))
                    return _get_named(rt, e, o, "length", pos)

                return length

            def named(f):
                o = obj(f)
                if type(o) is JSObject:  # (_get_named's common case, inline: the hottest read there is)
                    v = o.props.get(name, MISSING)
                    if v is not MISSING and type(v) is not Accessor:
                        e.seen |= 1 if type(v) is float else _seen_bit(v)
                        return v
                return _get_named(rt, e, o, name, pos)

            return named
        key = self.expr(e.prop)

        def index(f):
            o, k = obj(f), key(f)
            if type(o) is JSArray and type(k) is float and o.items is None:  # (_get_index's fast path, inline)
                if 0 <= k < o.n and (i := int(k)) == k:  # (compared first: NaN and Infinity have no int)
                    v = o.buf[i]
                    return v != 0.0 if o.bools else v
            return _get_index(rt, o, k, pos)

        return index

    def e_Call(self, e: A.Call):
        args = self.list_code(e.args)
        engine = self.engine
        rt = engine.runtime
        pos = _callee_pos(e)
        callee_node = e.callee
        optional = e.optional
        if isinstance(callee_node, A.OptChain) and isinstance(callee_node.expr, A.Member):
            callee_node = callee_node.expr  # (a?.b)() keeps a as this
        if isinstance(callee_node, A.Member):
            obj = self.expr(callee_node.obj)
            if callee_node.optional:
                base = obj

                def obj(f):
                    o = base(f)
                    if o is None or o is UNDEFINED:
                        raise _ShortCircuit
                    return o

            if callee_node.computed:
                key = self.expr(callee_node.prop)
            else:
                name = callee_node.prop.value
                key = lambda f: name  # noqa: E731
            text = source_text(callee_node)
            if not callee_node.computed and callee_node.prop.value.startswith("#") and not optional:
                get_private = _private_getter(rt, callee_node.prop.value, pos)

                def private_call(f):
                    o = obj(f)
                    fn = get_private(o)
                    argv = args(f)
                    engine.current_pos = pos
                    return rt.call(fn, argv, pos, text, o)

                return private_call
            if optional:

                def optional_method_call(f):
                    o = obj(f)
                    fn = rt.get_prop(o, key(f), pos)
                    if fn is None or fn is UNDEFINED:
                        raise _ShortCircuit
                    engine.current_pos = pos
                    return rt.call(fn, args(f), pos, text, o)

                return optional_method_call

            def method_call(f):
                o = obj(f)
                k = key(f)
                argv = args(f)
                engine.current_pos = pos
                if type(o) is JSObject and type(k) is str:  # a user method: found and called inline
                    v = o.props.get(k, MISSING)
                    if v is MISSING:
                        v = find(o.proto, k)
                    if type(v) is JSFunction:
                        t = e.target
                        if t is not v and t is not False:  # (call-site feedback: its targets, up to 4)
                            e.target = _more_targets(t, v)
                        native = v.native
                        if native is not None:
                            r = native(argv, o)
                            if r is not native:
                                return r
                        return v.code(argv, o)
                if e.target is None:
                    e.target = ()  # (it ran, calling none of the program's functions: not Unfed for the JIT)
                return rt.call_method(o, k, argv, pos, text)

            return method_call
        if isinstance(callee_node, A.SuperMember):
            callee = self.expr(callee_node)
            this = self.read(callee_node.this_ref, callee_node)
            text = "super." + (callee_node.prop.value if not callee_node.computed else "[...]")

            def super_method_call(f):
                fn = callee(f)
                argv = args(f)
                engine.current_pos = pos
                return rt.call(fn, argv, pos, text, this(f))

            return super_method_call
        callee = self.expr(callee_node)
        text = source_text(callee_node)

        def call(f):
            fn = callee(f)
            if optional and (fn is None or fn is UNDEFINED):
                raise _ShortCircuit
            argv = args(f)
            if type(fn) is JSFunction:
                engine.current_pos = pos
                native = fn.native
                if native is not None:
                    r = native(argv)
                    if r is not native:  # the native entry declined (guard failed)
                        return r
                return fn.code(argv)
            if type(fn) is Builtin:
                engine.current_pos = pos
                return fn.fn(UNDEFINED, argv) if fn.method else fn.fn(argv)
            return rt.call(fn, argv, pos, text)  # (a callable proxy, or the TypeError)

        return call

    def e_New(self, e: A.New):
        callee = self.expr(e.callee)
        args = self.list_code(e.args)
        engine = self.engine
        rt = engine.runtime
        pos = e.pos
        text = source_text(e.callee)

        def new(f):
            fn = callee(f)
            argv = args(f)
            engine.current_pos = pos
            return rt.construct(fn, argv, pos, text)

        return new

    # --- assignment and update ----------------------------------------------------------------

    def e_Assign(self, e: A.Assign):
        op = e.op
        target = e.target
        value = self.expr(e.value)
        if op in ("&&=", "||=", "??="):
            return self._logical_assign(e, value)
        if op != "=" and isinstance(target, (A.Member, A.SuperMember)):
            return self._member_compound(target, _binop(op[:-1]), _FAST.get(op[:-1]), value, e.pos)
        if op != "=":
            binop = _binop(op[:-1])
            fast = _FAST.get(op[:-1])
            cur = self.expr(target)
            plain = value
            if fast is not None:

                def value(f):
                    x = cur(f)
                    y = plain(f)
                    if type(x) is float and type(y) is float:
                        return fast(x, y)
                    return binop(x, y)

            else:
                value = lambda f: binop(cur(f), plain(f))  # noqa: E731
        elif isinstance(e.value, A.Func) and not e.value.name and isinstance(target, A.Ident):
            value = _named(value, target.name)
        if isinstance(target, A.Ident):  # (an assignment's errors are reported at its operator, as V8's)
            return self._assign_code(target.ref, value, e.pos)
        if isinstance(target, A.SuperMember):
            return self._super_store(target, value, e.pos)
        return self._member_store(target, value, e.pos)

    def _append_code(self, e: A.Assign):
        """``x += y`` as a statement (its value unused): when x holds a
        string, append to a StrBuf kept in x's slot -- linear time for the
        classic build-a-string loop."""
        ref = e.target.ref
        value = self.expr(e.value)
        if isinstance(ref, Local) and ref.binding.appended and ref.binding.kind != "const" and not ref.binding.captured:
            # (a captured binding lives in a cell a closure shares: no StrBuf may hide there)
            i = ref.binding.index

            def get(f):
                return f[i]

            def put(f, v):
                f[i] = v

        elif isinstance(ref, Global) and not ref.cell.const:
            cell = ref.cell
            name, pos = cell.name, e.target.pos

            def get(f):
                v = cell.v
                if type(v) is _Marker:
                    raise JSReferenceError(
                        f"{name} is not defined" if v is UNBOUND else f"Cannot access '{name}' before initialization",
                        pos,
                    )
                return v

            def put(f, v):
                cell.v = v

        else:
            return None

        def append(f):
            cur = get(f)
            y = value(f)
            t = type(cur)
            if t is StrBuf:
                cur.append(y if type(y) is str else implicit_str(to_primitive(y)))
                return 0
            if t is float and type(y) is float:
                put(f, cur + y)
                return 0
            r = js_add(cur, y)
            if type(r) is str and len(r) >= STRBUF_MIN:
                r = StrBuf(r)
            put(f, r)
            return 0

        return append

    def _logical_assign(self, e: A.Assign, value):
        """``a &&= b``, ``a ||= b``, ``a ??= b``: b is evaluated, and a
        assigned, only when a's value calls for it."""
        op = e.op
        target = e.target
        if isinstance(target, (A.Member, A.SuperMember)):
            obj, key, get, put = self._member_access(target, e.pos)

            def logical_member(f):
                o, k = obj(f), key(f)
                v = get(o, k)
                if op == "&&=":
                    go = truthy(v)
                elif op == "||=":
                    go = not truthy(v)
                else:
                    go = v is None or v is UNDEFINED
                if not go:
                    return v
                v = value(f)
                put(o, k, v)
                return v

            return logical_member
        cur = self.expr(e.target)
        store = self._assign_code(target.ref, value, e.pos)

        def logical_assign(f):
            v = cur(f)
            if op == "&&=":
                go = truthy(v)
            elif op == "||=":
                go = not truthy(v)
            else:
                go = v is None or v is UNDEFINED
            return store(f) if go else v

        return logical_assign

    def _member_access(self, target: A.Member, pos: int):
        """``(obj, key, get, put)`` for a member that is read and then
        written (``o[k] += v``, ``o[k]++``, ``o[k] ??= v``): the caller
        evaluates ``obj`` and ``key`` once and passes them to both; the key
        is converted at each access, as V8 does (a key object's toString
        runs twice for ``+=``)."""
        rt = self.engine.runtime
        read_pos = target.pos
        if isinstance(target, A.SuperMember):  # (the "object" is the method and its this)
            fn, this = self.read(target.fn_ref, target), self.read(target.this_ref, target)
            return (
                lambda f: (fn(f), this(f)),
                self.expr(target.prop),
                lambda o, k: rt.super_get(o[0], k, o[1], read_pos),
                lambda o, k, v: rt.super_set(o[0], k, v, o[1], pos),
            )
        obj = self.expr(target.obj)
        strict = self.fs_stack[-1].strict
        if not target.computed:
            name = target.prop.value
            key = lambda f: name  # noqa: E731
            if name.startswith("#"):
                get_private = _private_getter(rt, name, read_pos)
                return (
                    obj,
                    key,
                    lambda o, k: get_private(o),
                    lambda o, k, v: _put_private(rt, o, k, v, False, pos),
                )
            return (
                obj,
                key,
                lambda o, k: _get_named(rt, target, o, k, read_pos),  # (the read's type feedback, as e_Member's)
                lambda o, k, v: rt.set_prop(o, k, v, pos, strict),
            )
        key = self.expr(target.prop)
        return (
            obj,
            key,
            lambda o, k: _get_index(rt, o, k, read_pos),
            lambda o, k, v: _put_index(rt, o, k, v, pos, strict),
        )

    def _super_store(self, target: A.SuperMember, value, pos: int):
        """``super.key = value`` (and ``super[key] = value``)."""
        obj, key, _get, put = self._member_access(target, pos)

        def super_store(f):
            o, k = obj(f), key(f)
            v = value(f)
            put(o, k, v)
            return v

        return super_store

    def _member_compound(self, target: A.Member, binop, fast, value, pos: int):
        """``o[k] op= v``: o and k evaluated once, then the old value read, v
        evaluated, and the result stored."""
        obj, key, get, put = self._member_access(target, pos)

        def compound(f):
            o, k = obj(f), key(f)
            x = get(o, k)
            y = value(f)
            v = fast(x, y) if fast is not None and type(x) is float and type(y) is float else binop(x, y)
            put(o, k, v)
            return v

        return compound

    def _member_update(self, target: A.Member, delta: float, prefix: bool, pos: int):
        """``o[k]++`` and the like: o and k evaluated once; the old value
        (converted to a number) or the new one is the result."""
        obj, key, get, put = self._member_access(target, pos)

        def update(f):
            o, k = obj(f), key(f)
            old = get(o, k)
            if type(old) is not float:
                old = to_numeric(old)
            new = old + (delta if type(old) is float else int(delta))
            put(o, k, new)
            return new if prefix else old

        return update

    def _member_store(self, target: A.Member, value, pos: int | None = None):
        obj = self.expr(target.obj)
        rt = self.engine.runtime
        pos = target.pos if pos is None else pos
        if not target.computed and target.prop.value.startswith("#"):
            name = target.prop.value
            define = target.define

            def store_private(f):
                o = obj(f)
                v = value(f)
                _put_private(rt, o, name, v, define, pos)
                return v

            return store_private
        strict = self.fs_stack[-1].strict
        if not target.computed:
            name = target.prop.value

            def store_named(f):
                o = obj(f)
                v = value(f)
                if type(o) is JSObject and target.setter is not False and (target.setter or name not in o.props):
                    _setter_feedback(target, o, name)
                rt.set_prop(o, name, v, pos, strict)
                return v

            return store_named
        key = self.expr(target.prop)

        def store(f):
            o, k = obj(f), key(f)
            v = value(f)
            if type(o) is JSArray and type(k) is float and o.items is None and type(v) is float and not o.bools:
                if 0 <= k < o.n and (i := int(k)) == k:  # (_put_index's fast path, inline: the hottest store)
                    o.buf[i] = v
                    return v
            _put_index(rt, o, k, v, pos, strict)
            return v

        return store

    def e_Update(self, e: A.Update):
        delta = 1.0 if e.op == "++" else -1.0
        target = e.target
        if isinstance(target, (A.Member, A.SuperMember)):
            return self._member_update(target, delta, e.prefix, e.pos)
        cur = self.expr(target)
        olds: list = []  # (a stack: a global's accessor may run this same x++ before the store)

        def new_value(f):
            old = cur(f)
            old = old if type(old) is float else to_numeric(old)
            olds.append(old)
            return old + (delta if type(old) is float else int(delta))

        ref = target.ref
        if (
            isinstance(ref, Local)
            and not ref.binding.captured
            and ref.binding.kind != "const"
            and not ref.binding.appended
            and not ref.checked  # (it may run in the TDZ: read and stored with the checks)
        ):
            i = ref.binding.index
            if e.prefix:

                def pre_local(f):
                    v = f[i]
                    v = v + delta if type(v) is float else _step(v, delta)
                    f[i] = v
                    return v

                return pre_local

            def post_local(f):
                v = f[i]
                if type(v) is not float:
                    v = to_numeric(v)
                    f[i] = _step(v, delta)
                    return v
                f[i] = v + delta
                return v

            return post_local
        # (a const's error where V8 puts it: c++ at the operator, --c at the name)
        store = self._assign_code(ref, new_value, target.pos if e.prefix else e.pos)
        if e.prefix:
            return store

        def post(f):
            depth = len(olds)
            try:
                store(f)
            except BaseException:
                del olds[depth:]
                raise
            return olds.pop()

        return post


def _get_named(rt, e: A.Member, o, name: str, pos):
    """``o.name``, recording on ``e`` what it held (the JIT's type
    feedback: an ordinary object's own data property, or 16: no slot)."""
    if type(o) is JSObject:  # own data property: the common case, inline
        v = o.props.get(name, MISSING)
        if v is not MISSING and type(v) is not Accessor:
            e.seen |= 1 if type(v) is float else _seen_bit(v)
            return v
    e.seen |= 16  # (inherited, an accessor's, not an ordinary object's: no slot)
    if type(o) is JSObject and e.getter is not False:
        _getter_feedback(e, o, name)
    return rt.get_prop(o, name, pos)


def _setter_feedback(e: A.Member, o, name: str) -> None:
    """Note on ``e`` the setter a store of ``name`` into an object without
    it calls, if a user function inherited from the prototype chain (a
    class's ``set len(v)``): the JIT compiles the store as a call of it.
    A store into an own property, one that adds the property, or one
    reaching anything else makes it False at a site that has called one."""
    v = MISSING if name in o.props else find(o.proto, name)
    if type(v) is Accessor and type(v.set) is JSFunction:
        t = e.setter
        if t is not v.set:
            e.setter = _more_targets(t, v.set)
    elif e.setter is not None:
        e.setter = False


def _getter_feedback(e: A.Member, o, name: str) -> None:
    """Note on ``e`` the getter an object's read of ``name`` calls, if it
    is a user function inherited from the prototype chain (a class's ``get
    len()``): the JIT compiles the read as a call of it, behind a call
    cache.  An own accessor makes it False, and so does any other read at
    a site that has called a getter (compiled as a call, it would leave)."""
    v = o.props.get(name, MISSING)
    if v is MISSING:
        v = find(o.proto, name)
        if type(v) is Accessor and type(v.get) is JSFunction:
            t = e.getter
            if t is not v.get:
                e.getter = _more_targets(t, v.get)
            return
    if type(v) is Accessor or e.getter is not None:
        e.getter = False


def _get_index(rt, o, k, pos):
    """``o[k]``: a packed array's element inline, anything else by the runtime."""
    if type(o) is JSArray and type(k) is float:
        if o.items is None and 0 <= k < o.n and (i := int(k)) == k:  # (NaN and Infinity compare false)
            v = o.buf[i]
            return v != 0.0 if o.bools else v
        return rt.get_elem(o, k)
    if type(k) is int:  # a BigInt key is its digits: a[1n] is a[1]
        k = to_str(k)
    return rt.get_prop(o, k, pos)


def _put_index(rt, o, k, v, pos, strict: bool) -> None:
    """``o[k] = v``: a number into a packed array of numbers inline."""
    if type(o) is JSArray and type(k) is float and o.items is None and type(v) is float and not o.bools:
        if 0 <= k < o.n and (i := int(k)) == k:  # (NaN and Infinity compare false)
            o.buf[i] = v
            return
    if type(k) is int:  # (a BigInt key: see _get_index)
        k = to_str(k)
    rt.set_prop(o, k, v, pos, strict)


def _put_private(rt, o, name: str, v, define: bool, pos) -> None:
    """``o.#name = v`` (``define``: a field initialiser, which adds it)."""
    if isinstance(o, (JSObject, JSFunction)) and name in o.props:
        o.props[name] = v
    elif define:
        rt.define_private(o, name, v)
    else:  # (the brand check: only an instance of the declaring class has the name)
        raise JSTypeError(f"Cannot write private member {name} to an object whose class did not declare it", pos)


def _sets_prototype(key, value, kind: str) -> bool:
    """``__proto__: value`` in an object literal sets the object's
    prototype; a computed ``["__proto__"]``, a method, an accessor or the
    shorthand ``{__proto__}`` makes an own property instead."""
    if kind != "init" or key != "__proto__" or isinstance(value, A.Func):
        return False
    return not (isinstance(value, A.Ident) and value.name == "__proto__")  # (the shorthand, as the parser writes it)


def _private_getter(rt, name: str, pos):
    """Reading ``o.#name``, with the brand check: an object whose class did
    not declare the name has none (not an undefined one)."""

    def get(o):
        if isinstance(o, (JSObject, JSFunction)):
            v = o.props.get(name, MISSING)
            if v is not MISSING and type(v) is not Accessor:
                return v
            if v is not MISSING or (isinstance(o, JSObject) and V.find(o.proto, name) is not MISSING):
                return rt.get_prop(o, name, pos)  # (a private method or accessor, on the prototype)
        raise JSTypeError(f"Cannot read private member {name} from an object whose class did not declare it", pos)

    return get


class _ShortCircuit(Exception):
    """An optional chain met a nullish base: the chain's value is undefined."""


def _describe(v) -> str:
    if type(v) is str:
        return v
    return to_str(v) if not isinstance(v, (JSObject, JSArray)) else "#<Object>"


MAX_TARGETS = 4  # a method call site that called more functions is megamorphic (False): not compiled


def _more_targets(seen, v):
    """A call site's feedback after it called ``v``: the one function, a
    tuple of up to MAX_TARGETS of them, or False."""
    if seen is None:
        return v
    if type(seen) is not tuple:
        return (seen, v)
    if v in seen:
        return seen
    return seen + (v,) if len(seen) < MAX_TARGETS else False


def _at(err: JSError, pos) -> JSError:
    """An operator's error (1n + 1) without a position of its own gets the
    operator's, as node reports it."""
    if err.pos is None:
        err.pos = pos
    return err


def _step(v, delta: float):
    """++/-- on a value that is not a Number: a BigInt steps by 1n."""
    v = to_numeric(v)
    return v + (delta if type(v) is float else int(delta))


def _bit_not(v):
    return ~v if type(v) is int else float(~to_int32(v))


_NOT_OBJECTS = (None, UNDEFINED, HOLE)  # (an array of objects may hold these too: apps.js.jittypes' AOBJ)


def _seen_bit(v) -> int:
    """A property load's feedback for a value other than a number (1): a
    boolean's, a packed array's, an object's or a string's kind (as
    _type_bit), 1024 for null or undefined, 16 for anything else -- cheap
    enough for every load."""
    t = type(v)
    if t is bool:
        return 2
    if t is str:
        return 128
    if t is JSArray and v.items is None:
        return 32 if v.bools else 4
    if t is JSObject and type(v.props) is dict:
        return 64
    if t is JSTypedArray and v.kind == "Float64Array":
        return 4  # (a packed array of numbers in a slot, as apps.js.shapes.mirror_in sees it)
    if t is JSArray and v.items and (type(v.items[0]) is JSObject or v.items[0] in _NOT_OBJECTS):
        return 256  # (an array of objects, by its first: the slot's own kind is checked where compiled code reads it)
    return 1024 if v is None or v is UNDEFINED else 16  # (no object: a reference of 0 or UNDEF_REF)


_LIST_BITS = {"aobj": 256, "astr": 512, "harr": HARR_BIT, "aarr": AARR_BIT}  # (jittypes.ref_array_type's kinds)


def _type_bit(v) -> int:
    t = type(v)
    if t is float:
        return 1
    if t is bool:
        return 2
    if t is JSArray:
        if v.items is None or v.repack():  # (only while feedback is recorded: a few calls)
            return 32 if v.bools else 4
        repack_rows(v.items)
        kind = ref_array_type(v.items)
        return _LIST_BITS.get(kind, 8)
    if t is JSObject:
        return 64
    if t is str:
        return 128
    if t is JSTypedArray:  # (a Float64Array as a packed array of numbers: jittypes.value_type)
        kind = TYPED.get(v.kind)
        return TYPED_BITS[kind] if kind is not None else 4
    return 1024 if v is None else 16


def _const_error(value, pos):
    def fail(f):
        value(f)  # (evaluated first, as V8 does)
        raise JSTypeError("Assignment to constant variable.", pos)

    return fail


def _named(value, name: str):
    """Anonymous function assigned to a name takes that name (as in JS)."""

    def named(f):
        fn = value(f)
        if type(fn) is JSFunction and not fn.name:
            fn.name = name
        return fn

    return named


def _hoist_global(interp: Interpreter, cell: Cell, tmpl: FunctionTemplate):
    def hoist(f):
        cell.v = interp.make_function(tmpl, f)
        return 0

    return hoist


__all__ = ["Interpreter", "HOLE", "num_to_str", "math"]


def _arguments(args) -> JSArray:
    a = JSArray(list(args))
    a.proto = ARGUMENTS_PROTO
    return a


def _fn_name(key) -> str:
    """A method's name from its key: a symbol's description in brackets, as in JS."""
    if type(key) is JSSymbol:
        return f"[{key.description}]" if key.description is not UNDEFINED else ""
    return key


def _callee_pos(e: A.Call) -> int:
    """Where V8 reports a call's errors: at the callee's name -- the
    identifier, or a property's key (``o.f(1)``: at ``f``) -- else at the
    call's parenthesis (``o["f"](1)``)."""
    c = e.callee
    if isinstance(c, A.OptChain):
        c = c.expr
    if type(c) is A.Ident:
        return c.pos
    if isinstance(c, A.Member) and not c.computed:
        return c.prop.pos
    return e.pos
