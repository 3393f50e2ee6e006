"""Resolve every identifier ahead of time: a slot in its function's frame, a
captured cell in an enclosing function's frame, or a global cell -- so the
interpreter never looks a variable up by name at run time.

Frame layout: frame[0] return value, frame[1] enclosing frames (a tuple,
innermost first), frame[2 + slot] the function's bindings.  A binding that an
inner function refers to is *captured*: its slot holds a Cell, shared by the
closures.
"""

from __future__ import annotations

from . import ast as A
from .errors import JSSyntaxError

FRAME_BASE = 2
# Array methods taking a callback the JIT compiles in place, and how many of the
# arguments the built-in passes it compiled code passes too -- the element, its
# index; reduce's sum first (apps.js.jittypes)
CALLBACK_PARAMS = {"forEach": 2, "map": 2, "filter": 2, "reduce": 3, "some": 2, "every": 2, "findIndex": 2}


class Cell:
    __slots__ = ("v", "name", "const", "appended")

    def __init__(self, v, name: str = "", const: bool = False) -> None:
        self.v = v
        self.name = name
        self.const = const
        self.appended = False  # the target of some `x += ...`: may hold a StrBuf


class Binding:
    __slots__ = (
        "name", "kind", "slot", "fscope", "captured", "assigned_after_init", "appended", "initialized",
        "unordered", "early_read", "decl",
    )  # fmt: skip

    def __init__(self, name: str, kind: str, slot: int, fscope: FuncScope) -> None:
        self.name = name
        # The TDZ: a let/const read where its declaration may not have run yet (in a closure, in
        # its function before the declaration, or in a switch's cases) checks for the marker
        self.initialized = kind not in ("let", "const")  # (its declaration resolved: later reads are safe)
        self.unordered = False  # declared in a switch's cases: textual order says nothing
        self.early_read = False  # read unchecked-unsafe in its own function: its slot starts as TDZ
        self.kind = kind  # var let const param function implicit
        self.slot = slot
        self.fscope = fscope
        self.captured = False
        self.assigned_after_init = False
        self.appended = False  # the target of some `x += ...`: may hold a StrBuf (reads materialise it)
        # The function a ``function f`` or ``const f = (..) => ..`` declaring it makes (False: declared
        # so more than once), for the JIT to compile ``a.map(f)`` in place (apps.js.jittypes.named_callback)
        self.decl = None

    def __repr__(self) -> str:
        return f"Binding({self.name!r}, {self.kind}, slot {self.slot})"

    @property
    def index(self) -> int:
        return FRAME_BASE + self.slot


class FuncScope:
    __slots__ = (
        "strict",
        "node",
        "parent",
        "bindings",
        "params",
        "inner",
        "uses_globals",
        "self_binding",
        "this_b",
        "args_b",
        "fn_b",
    )

    def __init__(self, node: A.Func | A.Program, parent: FuncScope | None) -> None:
        self.node = node
        self.parent = parent
        self.strict = False  # strict-mode code: failed stores throw, this stays undefined
        self.bindings: list[Binding] = []
        self.params: list[Binding] = []
        self.inner: list[A.Func] = []
        self.uses_globals: set = set()
        self.self_binding: Binding | None = None
        # implicit bindings, made when the body (or an arrow inside it) uses them
        self.this_b: Binding | None = None
        self.args_b: Binding | None = None
        self.fn_b: Binding | None = None  # the running function object (what super needs)

    @property
    def arrow(self) -> bool:
        return isinstance(self.node, A.Func) and self.node.is_arrow

    def implicit(self, attr: str, name: str) -> Binding:
        b = getattr(self, attr)
        if b is None:
            b = self.add(name, "implicit")
            setattr(self, attr, b)
        return b

    def add(self, name: str, kind: str) -> Binding:
        b = Binding(name, kind, len(self.bindings), self)
        self.bindings.append(b)
        return b

    @property
    def nslots(self) -> int:
        return len(self.bindings)


# Ident.ref values
class Local:
    __slots__ = ("binding", "checked")

    def __init__(self, binding: Binding) -> None:
        self.binding = binding
        self.checked = False  # a read that must check the TDZ


class Outer:
    __slots__ = ("depth", "binding", "checked")

    def __init__(self, depth: int, binding: Binding) -> None:
        self.depth = depth  # 1 = the enclosing function's frame
        self.binding = binding
        self.checked = False


class Global:
    __slots__ = ("cell",)

    def __init__(self, cell: Cell) -> None:
        self.cell = cell


class Resolver:
    def __init__(self, globals_: dict[str, Cell], declared: set[str] | None = None) -> None:
        self.globals = globals_
        self.declared = declared  # where the program's top-level names are noted (globalobj)

    def global_cell(self, name: str) -> Cell:
        cell = self.globals.get(name)
        if cell is None:
            from .values import UNDEFINED

            cell = self.globals[name] = Cell(_UNBOUND if name not in self.globals else UNDEFINED, name)
        return cell

    # --- programs and functions ---------------------------------------------------

    def program(self, prog: A.Program) -> None:
        fs = FuncScope(prog, None)
        prog.scope = fs
        fs.strict = prog.module or _use_strict(prog.body)  # (a module is strict)
        # Top-level declarations are globals.
        lexical: set[str] = set()
        seen: set[str] = set()
        for kind, ident in _declarations(prog.body, top=True):
            if ident.name in lexical or (kind in ("let", "const") and ident.name in seen):
                raise JSSyntaxError(f"Identifier '{ident.name}' has already been declared", ident.pos)
            seen.add(ident.name)
            if kind in ("let", "const"):
                lexical.add(ident.name)
            if self.declared is not None:
                self.declared.add(ident.name)
            cell = self.global_cell(ident.name)
            if cell.v is _UNBOUND:
                from .values import UNDEFINED

                cell.v = UNDEFINED if kind in ("var", "function") else _TDZ
            cell.const = kind == "const"
        self.block(prog.body, fs, [{}])

    def function(
        self, fn: A.Func, parent: FuncScope, chain: list[dict], expression: bool = False, in_class: bool = False
    ) -> None:
        fs = FuncScope(fn, parent)
        fn.scope = fs
        fs.strict = parent.strict or in_class or _use_strict(fn.body)
        parent.inner.append(fn)
        top: dict[str, Binding] = {}
        if expression and fn.name:  # a named function expression sees its own name
            fs.self_binding = top[fn.name] = fs.add(fn.name, "self")
        for p in fn.params:
            if p.name in top and top[p.name].kind == "param":
                raise JSSyntaxError("Duplicate parameter name not allowed in this context", p.pos)
            b = fs.add(p.name, "param")
            fs.params.append(b)
            top[p.name] = b
            p.ref = Local(b)
        for kind, ident in _declarations(fn.body, top=False):
            if kind in ("var", "function"):
                if ident.name not in top:
                    top[ident.name] = fs.add(ident.name, kind)
        self.block(fn.body, fs, chain + [top], function_top=True)

    # --- blocks and statements ------------------------------------------------------

    def block(
        self, body: list[A.Node], fs: FuncScope, chain: list[dict], function_top: bool = False, unordered: bool = False
    ) -> None:
        scope: dict[str, Binding] = {} if not function_top else chain[-1]
        if not function_top:
            chain = chain + [scope]
        if fs.parent is None and len(chain) == 2:  # the program's top level: globals
            for stmt in body:
                self.stmt(stmt, fs, chain)
            return
        for stmt in body:
            if isinstance(stmt, A.VarDecl) and stmt.kind in ("let", "const"):
                for ident, _ in stmt.decls:
                    self._declare_lexical(ident, stmt.kind, fs, scope)
                    scope[ident.name].unordered = unordered
            elif isinstance(stmt, A.ClassDecl):
                self._declare_lexical(stmt.ident, "let", fs, scope)
                scope[stmt.ident.name].unordered = unordered
            elif isinstance(stmt, A.FuncDecl) and not function_top and fs.parent is not None:
                if stmt.ident.name not in scope:
                    scope[stmt.ident.name] = fs.add(stmt.ident.name, "function")
        for stmt in body:
            self.stmt(stmt, fs, chain)

    def _declare_lexical(self, ident: A.Ident, kind: str, fs: FuncScope, scope: dict) -> None:
        if ident.name in scope and scope[ident.name].fscope is fs and scope[ident.name].kind != "param":
            raise JSSyntaxError(f"Identifier '{ident.name}' has already been declared", ident.pos)
        scope[ident.name] = fs.add(ident.name, kind)

    def stmt(self, s: A.Node, fs: FuncScope, chain: list[dict]) -> None:
        t = type(s)
        if t is A.ExprStmt:
            self.expr(s.expr, fs, chain)
        elif t is A.VarDecl:
            for ident, init in s.decls:
                if init is not None:
                    self.expr(init, fs, chain)
                self.ident(ident, fs, chain, declaring=True)
                _declares(ident, init if s.kind == "const" and type(init) is A.Func else None)
        elif t is A.FuncDecl:
            self.ident(s.ident, fs, chain, declaring=True)
            self.function(s.func, fs, chain)
            _declares(s.ident, s.func)
        elif t is A.ClassDecl:
            self.expr(s.cls, fs, chain)
            self.ident(s.ident, fs, chain, declaring=True)
        elif t is A.Return:
            if s.value is not None:
                self.expr(s.value, fs, chain)
        elif t is A.If:
            self.expr(s.test, fs, chain)
            self.sub(s.then, fs, chain)
            if s.other is not None:
                self.sub(s.other, fs, chain)
        elif t is A.Block:
            self.block(s.body, fs, chain)
        elif t in (A.While, A.DoWhile):
            self.expr(s.test, fs, chain)
            self.sub(s.body, fs, chain)
        elif t is A.For:
            scope: dict[str, Binding] = {}
            inner = chain + [scope]
            if isinstance(s.init, A.VarDecl) and s.init.kind in ("let", "const"):
                for ident, _ in s.init.decls:
                    self._declare_lexical(ident, s.init.kind, fs, scope)
            if s.init is not None:
                self.stmt(s.init, fs, inner)
            if s.test is not None:
                self.expr(s.test, fs, inner)
            if s.update is not None:
                self.expr(s.update, fs, inner)
            self.sub(s.body, fs, inner)
            s.per_iteration = [b for b in scope.values() if b.captured]
        elif t is A.ForOf:
            self.expr(s.iterable, fs, chain)
            if s.kind in ("let", "const"):
                scope: dict[str, Binding] = {}
                self._declare_lexical(s.target, s.kind, fs, scope)
                inner = chain + [scope]
                self.ident(s.target, fs, inner, declaring=True)
                self.sub(s.body, fs, inner)
                s.per_iteration = [b for b in scope.values() if b.captured]
            else:
                self.ident(s.target, fs, chain, declaring=s.kind == "var", assigning=s.kind is None)
                self.sub(s.body, fs, chain)
        elif t is A.Throw:
            self.expr(s.value, fs, chain)
        elif t is A.Try:
            self.block(s.block.body, fs, chain)
            if s.handler is not None:
                scope: dict[str, Binding] = {}
                if s.param is not None:  # the parameter's own scope encloses the catch block's
                    self._declare_lexical(s.param, "let", fs, scope)
                    self.ident(s.param, fs, chain + [scope], declaring=True)
                self.block(s.handler.body, fs, chain + [scope])
            if s.finalizer is not None:
                self.block(s.finalizer.body, fs, chain)
        elif t is A.Switch:
            self.expr(s.disc, fs, chain)
            for test in s.tests:
                if test is not None:
                    self.expr(test, fs, chain)
            self.block(s.body.body, fs, chain, unordered=True)  # all cases: one block scope
        elif t in (A.Break, A.Continue, A.Empty):
            pass
        elif t is A.Labeled:
            self.sub(s.body, fs, chain)
        else:
            raise JSSyntaxError(f"unsupported statement {t.__name__}", s.pos)

    def sub(self, s: A.Node, fs: FuncScope, chain: list[dict]) -> None:
        """A statement in a nested position (if/loop body)."""
        if isinstance(s, A.Block):
            self.block(s.body, fs, chain)
        else:
            if isinstance(s, A.VarDecl) and s.kind in ("let", "const"):
                raise JSSyntaxError("Lexical declaration cannot appear in a single-statement context", s.pos)
            self.block([s], fs, chain)

    def expr(self, e: A.Node, fs: FuncScope, chain: list[dict]) -> None:
        t = type(e)
        if t is A.Ident:
            self.ident(e, fs, chain)
        elif t in (A.Num, A.BigInt, A.Str, A.Lit, A.Regex, A.TemplateStrings):
            pass
        elif t is A.Template:
            for x in e.exprs:
                self.expr(x, fs, chain)
        elif t is A.ArrayLit:
            for x in e.items:
                if x is not None:
                    self.expr(x, fs, chain)
        elif t is A.ObjectLit:
            for key, x, _ in e.props:
                if isinstance(key, A.Node):
                    self.expr(key, fs, chain)
                self.expr(x, fs, chain)
        elif t is A.This:
            e.ref = self.implicit_ref(fs, "this_b", "this", e)
        elif t in (A.SuperCall, A.SuperMember):
            target = _non_arrow(fs)
            node = target.node
            kind = node.kind if isinstance(node, A.Func) else None
            if kind not in ("method", "class", "derived") or (t is A.SuperCall and kind != "derived"):
                raise JSSyntaxError("'super' keyword unexpected here", e.pos)
            e.fn_ref = self.implicit_ref(fs, "fn_b", "%fn", e)
            e.this_ref = self.implicit_ref(fs, "this_b", "this", e)
            if t is A.SuperCall:
                for x in e.args:
                    self.expr(x, fs, chain)
            elif e.computed:
                self.expr(e.prop, fs, chain)
        elif t is A.Class:
            if e.parent is not None:
                self.expr(e.parent, fs, chain)
            for m in e.members:
                if isinstance(m.key, A.Node):
                    self.expr(m.key, fs, chain)
            for f in [e.ctor, e.fields, e.statics] + [m.value for m in e.members]:
                if f is not None:
                    self.function(f, fs, chain, in_class=True)  # a class body is strict code
        elif t is A.Spread:
            self.expr(e.arg, fs, chain)
        elif t is A.Yield:
            if e.arg is not None:
                self.expr(e.arg, fs, chain)
        elif t is A.Await:
            self.expr(e.arg, fs, chain)
        elif t is A.Helper:
            for x in e.args:
                self.expr(x, fs, chain)
        elif t is A.OptChain:
            self.expr(e.expr, fs, chain)
        elif t is A.Member:
            self.expr(e.obj, fs, chain)
            if e.computed:
                self.expr(e.prop, fs, chain)
        elif t in (A.Call, A.New):
            self.expr(e.callee, fs, chain)
            for x in e.args:
                self.expr(x, fs, chain)
            if t is A.Call and e.args and type(e.args[0]) is A.Ident and type(e.args[0].ref) in (Global, Local):
                c = e.callee
                if type(c) is A.Member and not c.computed and type(c.prop) is A.Str and c.prop.value in CALLBACK_PARAMS:
                    e.callback_home = fs  # (``a.map(sq)``: the arrow compiled in its place is this function's)
        elif t is A.Unary:
            self.expr(e.arg, fs, chain)
        elif t is A.Update:
            self.assign_target(e.target, fs, chain)
        elif t is A.Chain:
            self.expr(e.first, fs, chain)
            for _, _, x in e.steps:
                self.expr(x, fs, chain)
        elif t in (A.Binary, A.Logical):
            self.expr(e.left, fs, chain)
            self.expr(e.right, fs, chain)
        elif t is A.Cond:
            self.expr(e.test, fs, chain)
            self.expr(e.then, fs, chain)
            self.expr(e.other, fs, chain)
        elif t is A.Assign:
            self.expr(e.value, fs, chain)
            self.assign_target(e.target, fs, chain)
            if e.op == "+=" and isinstance(e.target, A.Ident):
                ref = e.target.ref
                if isinstance(ref, Global):
                    ref.cell.appended = True
                elif isinstance(ref, Local) and not ref.binding.captured:
                    ref.binding.appended = True
        elif t is A.Func:
            self.function(e, fs, chain, expression=True)
        elif t is A.Seq:
            for x in e.exprs:
                self.expr(x, fs, chain)
        else:
            raise JSSyntaxError(f"unsupported expression {t.__name__}", e.pos)

    def implicit_ref(self, fs: FuncScope, attr: str, name: str, e: A.Node):
        """A reference to the nearest non-arrow function's ``this`` (or
        arguments, or own function object): arrows see their definer's."""
        target = _non_arrow(fs)
        b = target.implicit(attr, name)
        depth = function_depth(fs, target)
        if depth == 0:
            return Local(b)
        b.captured = True
        return Outer(depth, b)

    def assign_target(self, target: A.Node, fs: FuncScope, chain: list[dict]) -> None:
        if isinstance(target, A.Ident):
            self.ident(target, fs, chain, assigning=True)
        else:
            self.expr(target, fs, chain)

    def ident(self, e: A.Ident, fs: FuncScope, chain: list[dict], declaring: bool = False, assigning: bool = False):
        # `arguments` in a function is its own, unless declared between here
        # and that function (an outer function's binding of the name is hidden)
        own_arguments = None
        if e.name == "arguments" and not declaring:
            target = _non_arrow(fs)
            if isinstance(target.node, A.Func):
                own_arguments = function_depth(fs, target)
        # search this function's block chain, then enclosing functions
        for scope in reversed(chain):
            b = scope.get(e.name)
            if b is None:
                continue
            if own_arguments is not None and function_depth(fs, b.fscope) > own_arguments:
                break
            depth = function_depth(fs, b.fscope)
            if depth == 0:
                e.ref = Local(b)
            else:
                b.captured = True
                e.ref = Outer(depth, b)
            if assigning:
                b.assigned_after_init = True
            if declaring:
                b.initialized = True
            elif b.kind in ("let", "const") and (depth or not b.initialized or b.unordered):
                e.ref.checked = True
                if depth == 0:
                    b.early_read = True
            return
        if e.name == "arguments" and not declaring and isinstance(_non_arrow(fs).node, A.Func):
            e.ref = self.implicit_ref(fs, "args_b", "arguments", e)
            return
        cell = self.global_cell(e.name)
        e.ref = Global(cell)
        fs.uses_globals.add(e.name)


def _non_arrow(fs: FuncScope) -> FuncScope:
    while fs.arrow and fs.parent is not None:
        fs = fs.parent
    return fs


def function_depth(fs: FuncScope, target: FuncScope) -> int | None:
    """Functions from ``fs`` out to ``target`` (None: not an enclosing one)."""
    d = 0
    while fs is not target:
        if fs is None:
            return None
        fs = fs.parent
        d += 1
    return d


def _declarations(body: list[A.Node], top: bool):
    """(kind, ident) of var and function declarations hoisted to this function
    (var anywhere in nested blocks and loops; functions at this level), plus,
    at program level, the top-level let/const."""
    out = []

    def walk(stmts: list[A.Node], level0: bool) -> None:
        for s in stmts:
            t = type(s)
            if t is A.VarDecl:
                if s.kind == "var" or (top and level0):
                    out.extend((s.kind, ident) for ident, _ in s.decls)
            elif t is A.FuncDecl:
                if level0:
                    out.append(("function", s.ident))
            elif t is A.ClassDecl:
                if top and level0:
                    out.append(("let", s.ident))
            elif t is A.Block:
                walk(s.body, False)
            elif t is A.Switch:
                walk(s.body.body, False)
            elif t is A.ForOf:
                if s.kind == "var":
                    out.append(("var", s.target))
                walk([s.body], False)
            elif t is A.Try:
                walk(s.block.body, False)
                if s.handler is not None:
                    walk(s.handler.body, False)
                if s.finalizer is not None:
                    walk(s.finalizer.body, False)
            elif t is A.Labeled:
                walk([s.body], level0 and not isinstance(s.body, A.FuncDecl))
            elif t is A.If:
                walk([s.then], False)
                if s.other is not None:
                    walk([s.other], False)
            elif t in (A.While, A.DoWhile):
                walk([s.body], False)
            elif t is A.For:
                if isinstance(s.init, A.VarDecl) and s.init.kind == "var":
                    out.extend(("var", ident) for ident, _ in s.init.decls)
                walk([s.body], False)

    walk(body, True)
    return out


def _use_strict(body: list) -> bool:
    """A "use strict" directive in the body's prologue (its leading string
    statements)."""
    for stmt in body:
        if isinstance(stmt, A.VarDecl) and all(ident.name.startswith("%") for ident, _ in stmt.decls):
            continue  # (the parser's temporaries, declared ahead of the body)
        if not (isinstance(stmt, A.ExprStmt) and isinstance(stmt.expr, A.Str)):
            return False
        if stmt.expr.value == "use strict":
            return True
    return False


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_UNBOUND = _Marker("<unbound>")  # a global nobody declared (ReferenceError on read)
_TDZ = _Marker("<tdz>")  # let/const read before its declaration ran
UNBOUND, TDZ = _UNBOUND, _TDZ


def _declares(ident: A.Ident, fn: A.Func | None) -> None:
    """Note ``fn`` as what ``ident``'s binding is declared to hold
    (Binding.decl; None: something else, and False from then on)."""
    ref = ident.ref
    if type(ref) is Local:
        b = ref.binding
        b.decl = fn if b.decl is None and fn is not None else False
