"""AST nodes.  Every node carries ``pos`` = (line, column) for error messages."""

from __future__ import annotations

from typing import Any

from .errors import pack_pos, unpack_pos

Pos = tuple[int, int]


class field:  # noqa: N801  (reads like dataclasses.field at the use site)
    """A field default made fresh for each node (``field(default_factory=list)``)."""

    __slots__ = ("default_factory",)

    def __init__(self, default_factory) -> None:
        self.default_factory = default_factory


class _NodeMeta(type):
    """Node classes as dataclasses would make them (fields from the class's
    annotations, in order, after the base's; __slots__; an __init__ taking
    them in that order, defaults last) at a fraction of the import cost:
    each class's __init__ is generated on its first instantiation, so start-up
    pays for none of the ~100 node types a short program never builds."""

    def __new__(mcls, name, bases, ns):
        own = tuple(ns.get("__annotations__", {}))
        defaults = dict(getattr(bases[0], "_defaults", {})) if bases else {}
        for k in own:
            if k in ns and k != "pos":  # (Node's pos is a property over the packed _pos)
                defaults[k] = ns.pop(k)
        ns["__slots__"] = tuple("_pos" if f == "pos" else f for f in own)
        ns["_fields"] = (getattr(bases[0], "_fields", ()) if bases else ()) + own
        ns["_defaults"] = defaults
        ns.setdefault("__init__", _first_init)
        return super().__new__(mcls, name, bases, ns)


def _first_init(self, *args, **kw) -> None:
    cls = type(self)
    params, body, env = [], [], {}
    for f in cls._fields:
        if f == "pos":  # packed (errors.pack_pos): a token's int as it is, a (line, column) packed
            env["_pack"] = pack_pos
            params.append(f)
            body.append("self._pos = pos if pos.__class__ is int else _pack(*pos)")
        elif f not in cls._defaults:
            params.append(f)
            body.append(f"self.{f} = {f}")
        elif isinstance(cls._defaults[f], field):
            env[f"_{f}"] = cls._defaults[f].default_factory
            params.append(f"{f}=None")
            body.append(f"self.{f} = _{f}() if {f} is None else {f}")
        else:
            env[f"_{f}"] = cls._defaults[f]
            params.append(f"{f}=_{f}")
            body.append(f"self.{f} = {f}")
    src = f"def __init__(self, {', '.join(params)}):\n    " + ("\n    ".join(body) or "pass")
    exec(src, env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    init(self, *args, **kw)


class _Rare:
    """An annotation few nodes get, kept in the node's ``_ann`` dict rather
    than a slot of its own on each of millions of nodes (unset: absent, so
    ``getattr(node, name, default)`` works as with a slot)."""

    __slots__ = ("name",)

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, node, owner=None):
        if node is None:
            return self
        try:
            return node._ann[self.name]
        except (AttributeError, KeyError):
            raise AttributeError(self.name) from None

    def __set__(self, node, value) -> None:
        try:
            node._ann[self.name] = value
        except AttributeError:
            node._ann = {self.name: value}


class _Annotations:
    """What later passes attach to a node, where it applies (unset: absent).
    Every statement gets ``code``; the others are rare."""

    __slots__ = ("code", "_ann")

    resume_code = _Rare()  # loops
    next_iteration = _Rare()
    break_codes = _Rare()  # for/while: the completion codes it ends on (the JIT adds one)
    labels = _Rare()
    parenthesized = _Rare()  # expressions in parentheses
    name_pos = _Rare()  # classes
    jit_type = _Rare()  # expressions in compiled units
    cold = _Rare()  # ifs in compiled units: (then, else) -- a branch compiled as an exit to the interpreter
    cold_stmt = _Rare()  # statements in compiled units that never ran (jittypes.Unfed): an exit to the interpreter
    in_test = _Rare()  # && and || whose value is only tested (a condition): the JIT types them by their truth
    closures_inlined = _Rare()  # functions: whether every closure they make is a forEach arrow the JIT inlines
    filled = _Rare()  # ``const a = new Array(n)`` the JIT compiles with the fill after it: (n, v)
    merged = _Rare()  # that fill statement (compiled as part of the declaration)
    parallel = _Rare()  # ``[a, b] = [b, a]``'s Seq: True if the JIT may store the values straight (parser._parallel)
    callback_home = _Rare()  # ``a.map(f)`` of a global's or a local's ``f``: the calling function's scope
    named_arrows = _Rare()  # ... and the arrows the JIT compiles in its place, by arity (jittypes.named_callback)
    passes_all = _Rare()  # such an arrow's call: it passes every parameter of the function declared (Typer.call)


class Node(_Annotations, metaclass=_NodeMeta):
    """Nodes have __slots__: a big program is millions of them."""

    pos: Pos

    @property
    def pos(self) -> Pos:  # noqa: F811 (the field above, stored packed in _pos)
        return unpack_pos(self._pos)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f, None)!r}' for f in self._fields)})"


# --- expressions ----------------------------------------------------------------


class Num(Node):
    value: float


class BigInt(Node):
    value: int


class Str(Node):
    value: str


class Template(Node):
    quasis: list[str]
    exprs: list[Node]
    raws: list[str] = field(default_factory=list)  # the quasis as written (escapes not applied)


class TemplateStrings(Node):
    """A tagged template's first argument: the cooked strings with their raw
    forms as ``.raw`` -- one frozen array per call site, as the spec says."""

    quasis: list[str]
    raws: list[str]


class Regex(Node):
    body: str
    flags: str


class Lit(Node):
    value: Any  # True, False, None (null), UNDEFINED


class Ident(Node):
    name: str
    ref: Any = None  # resolved by scope.py: Local / Global


class ArrayLit(Node):
    items: list[Node]
    made: Any = None  # []: a weak reference to the last array it made (interp), whose kind types it for the JIT
    held: Any = None  # []: the type of the first element an earlier array it made held, once one did (interp)


class ObjectLit(Node):
    """``props``: (key, value, kind); key a str, or a Node when computed
    (``[k]: v``); kind "init", "get", "set" or "spread" (``...x``, key None)."""

    props: list[tuple[Any, Node, str]]


class This(Node):
    ref: Any = None  # the enclosing non-arrow function's this-binding (scope.py)


class SuperCall(Node):
    """``super(args)`` in a derived class's constructor."""

    args: list[Node]
    fn_ref: Any = None  # the constructor's own function object (scope.py)
    this_ref: Any = None


class SuperMember(Node):
    """``super.name`` / ``super[expr]``: looked up past the method's home object."""

    prop: Node
    computed: bool
    fn_ref: Any = None
    this_ref: Any = None


class Helper(Node):
    """An operation the parser's desugaring needs (destructuring): "iter"
    (the values an iterable yields, as an array), "rest" (an array's
    elements from index args[1]), "omit" (an object's own enumerable
    properties but the keys args[1:])."""

    name: str
    args: list[Node]


class Yield(Node):
    arg: Node | None
    delegate: bool  # yield* iterable


class Await(Node):
    arg: Node


class Spread(Node):
    """``...arg`` in a call's arguments or an array literal."""

    arg: Node


class OptChain(Node):
    """An expression containing ``?.``: a nullish base ends the whole chain
    with undefined."""

    expr: Node


class ClassMember(metaclass=_NodeMeta):
    key: Any  # str, or a Node when computed
    kind: str  # method get set field
    static: bool
    value: Any  # Func for methods and accessors; the initialiser (or None) for fields


class Class(Node):
    name: str | None
    parent: Node | None
    ctor: Any  # Func or None
    members: list[ClassMember]
    fields: Any = None  # Func that initialises instance fields (this.x = ...), or None
    statics: Any = None  # Func run once with this = the class (static fields), or None
    src: str | None = None  # (as Func's: the class's text is its toString)
    end: int = -1


class Member(Node):
    obj: Node
    prop: Node  # Str for a.b, any expression for a[b]
    computed: bool
    optional: bool = False  # a?.b: undefined (and the rest of the chain skipped) if a is nullish
    define: bool = False  # a class field's initialisation (defines a #private name, never a brand check)
    seen: int = 0  # a.b: kinds of values it has read (interp._seen_bit; 0: never ran), for the JIT's typing
    # a.b read through an inherited getter: the user function(s) it called, as Call.target's feedback
    getter: Any = None
    setter: Any = None  # a.b = v stored through an inherited setter: the same, for stores


class Call(Node):
    callee: Node
    args: list[Node]
    optional: bool = False  # f?.(): undefined if f is nullish
    # o.m(): the user function it has called, a tuple of up to 4 (() if only built-ins), or False (more): call ICs
    target: Any = None


class New(Node):
    callee: Node
    args: list[Node]


class Unary(Node):
    op: str  # - + ! ~ typeof
    arg: Node


class Update(Node):
    op: str  # ++ --
    prefix: bool
    target: Node


class Binary(Node):
    op: str
    left: Node
    right: Node


class Logical(Node):
    op: str  # && ||
    left: Node
    right: Node


class Chain(Node):
    """A long run of left-associative binary operators, ``((a + b) - c) ...``,
    kept flat: ``first``, then (op, pos, operand) applied left to right.
    (Nested Binary nodes would make every pass over it recurse once per term.)"""

    first: Node
    steps: list


class Cond(Node):
    test: Node
    then: Node
    other: Node


class Assign(Node):
    op: str  # = += -= ...
    target: Node
    value: Node


class Func(Node):
    name: str | None
    params: list[Ident]
    body: list[Node]
    arrow_expr: bool = False  # arrow function with an expression body (body = [Return])
    is_arrow: bool = False
    rest: bool = False  # the last parameter is ...rest
    generator: bool = False  # function*
    is_async: bool = False  # async function / async arrow / async method
    kind: str = "function"  # function arrow method class derived (see values.JSFunction)
    source: Any = None  # (path, text) of a required module it was written in (None: the program's)
    this_binding: Any = None  # scope.py: bindings made when the body uses them
    args_binding: Any = None
    fn_binding: Any = None
    scope: Any = None  # FunctionScope, filled by scope.py
    src: str | None = None  # the program's text and where this function's ends in it (its toString)
    end: int = -1
    start: Any = None  # where its text starts, when not at pos (async, get, *, a method's modifiers)
    arity: int = -1  # its length: the parameters before the first default or the rest (-1: all but a rest)


class Seq(Node):
    exprs: list[Node]


# --- statements -------------------------------------------------------------------


class ClassDecl(Node):
    cls: Class
    ident: Ident


class ExprStmt(Node):
    expr: Node


class VarDecl(Node):
    kind: str  # var let const
    decls: list[tuple[Ident, Node | None]]


class FuncDecl(Node):
    func: Func
    ident: Ident


class Return(Node):
    value: Node | None


class If(Node):
    test: Node
    then: Node
    other: Node | None


class Switch(Node):
    """``switch``: its case bodies are one block (``body``); case i starts at
    statement ``starts[i]``; a None test is ``default``."""

    disc: Node
    tests: list[Node | None]
    starts: list[int]
    body: Block


class Throw(Node):
    value: Node


class Try(Node):
    block: Block
    param: Ident | None  # catch (param); None: ``catch {`` or no catch
    handler: Block | None
    finalizer: Block | None


class Block(Node):
    body: list[Node]
    scope: Any = None


class While(Node):
    test: Node
    body: Node


class DoWhile(Node):
    body: Node
    test: Node


class For(Node):
    init: Node | None
    test: Node | None
    update: Node | None
    body: Node
    scope: Any = None  # the for's own scope (let i)
    per_iteration: list = field(default_factory=list)  # captured let bindings copied each iteration


class ForOf(Node):
    """``for (kind target of iterable)``: arrays (live, by index) and strings
    (by code point); ``kind`` None: an existing variable."""

    kind: str | None
    target: Ident
    iterable: Node
    body: Node
    keys: bool = False  # for...in: the enumerable property keys instead
    awaits: bool = False  # for await: each value awaited (an async iterator's, else the iterable's)
    per_iteration: list = field(default_factory=list)  # a captured let/const: a fresh binding each time


class Break(Node):
    label: str | None = None


class Continue(Node):
    label: str | None = None


class Labeled(Node):
    """``label: body``; a loop body also records its labels (``loop.labels``)
    so that ``continue label`` reaches it."""

    label: str
    body: Node


class Empty(Node):
    pass


class Program(Node):
    body: list[Node]
    scope: Any = None
    top_await: bool = False  # an ``await`` outside any function: the body runs as an async one
    module: bool = False  # ES module syntax (import/export) or a top-level await: node runs it as a module
    exports: Any = None  # [(exported name, the top-level binding that holds it)]; "*" re-exports a namespace


def field_values(n: Node) -> list:
    """The values of a node's fields (its children among them)."""
    return [getattr(n, name) for name in n._fields]


def child_nodes(n: Node) -> list:
    """A node's children: the nodes in its fields, in lists, and in the
    tuples and class members of lists (a declaration's (ident, init) pairs;
    a method's Func and a computed key)."""
    out = []
    for v in field_values(n):
        if isinstance(v, Node):
            out.append(v)
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, Node):
                    out.append(x)
                elif isinstance(x, tuple):
                    out.extend(y for y in x if isinstance(y, Node))
                elif isinstance(x, ClassMember):
                    out.extend(y for y in (x.key, x.value) if isinstance(y, Node))
    return out
