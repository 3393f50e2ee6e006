"""AST nodes.  Every node carries ``pos`` = (line, column) for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Pos = tuple[int, int]


class _Annotations:
    """What later passes attach to a node, where it applies (unset: absent)."""

    __slots__ = ("code", "resume_code", "next_iteration", "labels", "parenthesized", "name_pos", "jit_type")


@dataclass(eq=False, slots=True)
class Node(_Annotations):
    """Nodes have __slots__: a big program is millions of them."""

    pos: Pos


# --- expressions ----------------------------------------------------------------


@dataclass(eq=False, slots=True)
class Num(Node):
    value: float


@dataclass(eq=False, slots=True)
class Str(Node):
    value: str


@dataclass(eq=False, slots=True)
class Template(Node):
    quasis: list[str]
    exprs: list[Node]


@dataclass(eq=False, slots=True)
class Regex(Node):
    body: str
    flags: str


@dataclass(eq=False, slots=True)
class Lit(Node):
    value: Any  # True, False, None (null), UNDEFINED


@dataclass(eq=False, slots=True)
class Ident(Node):
    name: str
    ref: Any = None  # resolved by scope.py: Local / Global


@dataclass(eq=False, slots=True)
class ArrayLit(Node):
    items: list[Node]


@dataclass(eq=False, slots=True)
class ObjectLit(Node):
    """``props``: (key, value, kind); key a str, or a Node when computed
    (``[k]: v``); kind "init", "get", "set" or "spread" (``...x``, key None)."""

    props: list[tuple[Any, Node, str]]


@dataclass(eq=False, slots=True)
class This(Node):
    ref: Any = None  # the enclosing non-arrow function's this-binding (scope.py)


@dataclass(eq=False, slots=True)
class SuperCall(Node):
    """``super(args)`` in a derived class's constructor."""

    args: list[Node]
    fn_ref: Any = None  # the constructor's own function object (scope.py)
    this_ref: Any = None


@dataclass(eq=False, slots=True)
class SuperMember(Node):
    """``super.name`` / ``super[expr]``: looked up past the method's home object."""

    prop: Node
    computed: bool
    fn_ref: Any = None
    this_ref: Any = None


@dataclass(eq=False, slots=True)
class Helper(Node):
    """An operation the parser's desugaring needs (destructuring): "iter"
    (the values an iterable yields, as an array), "rest" (an array's
    elements from index args[1]), "omit" (an object's own enumerable
    properties but the keys args[1:])."""

    name: str
    args: list[Node]


@dataclass(eq=False, slots=True)
class Yield(Node):
    arg: Node | None
    delegate: bool  # yield* iterable


@dataclass(eq=False, slots=True)
class Spread(Node):
    """``...arg`` in a call's arguments or an array literal."""

    arg: Node


@dataclass(eq=False, slots=True)
class OptChain(Node):
    """An expression containing ``?.``: a nullish base ends the whole chain
    with undefined."""

    expr: Node


@dataclass(eq=False, slots=True)
class ClassMember:
    key: Any  # str, or a Node when computed
    kind: str  # method get set field
    static: bool
    value: Any  # Func for methods and accessors; the initialiser (or None) for fields


@dataclass(eq=False, slots=True)
class Class(Node):
    name: str | None
    parent: Node | None
    ctor: Any  # Func or None
    members: list[ClassMember]
    fields: Any = None  # Func that initialises instance fields (this.x = ...), or None
    statics: Any = None  # Func run once with this = the class (static fields), or None


@dataclass(eq=False, slots=True)
class Member(Node):
    obj: Node
    prop: Node  # Str for a.b, any expression for a[b]
    computed: bool
    optional: bool = False  # a?.b: undefined (and the rest of the chain skipped) if a is nullish


@dataclass(eq=False, slots=True)
class Call(Node):
    callee: Node
    args: list[Node]
    optional: bool = False  # f?.(): undefined if f is nullish


@dataclass(eq=False, slots=True)
class New(Node):
    callee: Node
    args: list[Node]


@dataclass(eq=False, slots=True)
class Unary(Node):
    op: str  # - + ! ~ typeof
    arg: Node


@dataclass(eq=False, slots=True)
class Update(Node):
    op: str  # ++ --
    prefix: bool
    target: Node


@dataclass(eq=False, slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(eq=False, slots=True)
class Logical(Node):
    op: str  # && ||
    left: Node
    right: Node


@dataclass(eq=False, slots=True)
class Chain(Node):
    """A long run of left-associative binary operators, ``((a + b) - c) ...``,
    kept flat: ``first``, then (op, pos, operand) applied left to right.
    (Nested Binary nodes would make every pass over it recurse once per term.)"""

    first: Node
    steps: list


@dataclass(eq=False, slots=True)
class Cond(Node):
    test: Node
    then: Node
    other: Node


@dataclass(eq=False, slots=True)
class Assign(Node):
    op: str  # = += -= ...
    target: Node
    value: Node


@dataclass(eq=False, slots=True)
class Func(Node):
    name: str | None
    params: list[Ident]
    body: list[Node]
    arrow_expr: bool = False  # arrow function with an expression body (body = [Return])
    is_arrow: bool = False
    rest: bool = False  # the last parameter is ...rest
    generator: bool = False  # function*
    kind: str = "function"  # function arrow method class derived (see values.JSFunction)
    this_binding: Any = None  # scope.py: bindings made when the body uses them
    args_binding: Any = None
    fn_binding: Any = None
    scope: Any = None  # FunctionScope, filled by scope.py


@dataclass(eq=False, slots=True)
class Seq(Node):
    exprs: list[Node]


# --- statements -------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class ClassDecl(Node):
    cls: Class
    ident: Ident


@dataclass(eq=False, slots=True)
class ExprStmt(Node):
    expr: Node


@dataclass(eq=False, slots=True)
class VarDecl(Node):
    kind: str  # var let const
    decls: list[tuple[Ident, Node | None]]


@dataclass(eq=False, slots=True)
class FuncDecl(Node):
    func: Func
    ident: Ident


@dataclass(eq=False, slots=True)
class Return(Node):
    value: Node | None


@dataclass(eq=False, slots=True)
class If(Node):
    test: Node
    then: Node
    other: Node | None


@dataclass(eq=False, slots=True)
class Switch(Node):
    """``switch``: its case bodies are one block (``body``); case i starts at
    statement ``starts[i]``; a None test is ``default``."""

    disc: Node
    tests: list[Node | None]
    starts: list[int]
    body: Block


@dataclass(eq=False, slots=True)
class Throw(Node):
    value: Node


@dataclass(eq=False, slots=True)
class Try(Node):
    block: Block
    param: Ident | None  # catch (param); None: ``catch {`` or no catch
    handler: Block | None
    finalizer: Block | None


@dataclass(eq=False, slots=True)
class Block(Node):
    body: list[Node]
    scope: Any = None


@dataclass(eq=False, slots=True)
class While(Node):
    test: Node
    body: Node


@dataclass(eq=False, slots=True)
class DoWhile(Node):
    body: Node
    test: Node


@dataclass(eq=False, slots=True)
class For(Node):
    init: Node | None
    test: Node | None
    update: Node | None
    body: Node
    scope: Any = None  # the for's own scope (let i)
    per_iteration: list = field(default_factory=list)  # captured let bindings copied each iteration


@dataclass(eq=False, slots=True)
class ForOf(Node):
    """``for (kind target of iterable)``: arrays (live, by index) and strings
    (by code point); ``kind`` None: an existing variable."""

    kind: str | None
    target: Ident
    iterable: Node
    body: Node
    keys: bool = False  # for...in: the enumerable property keys instead
    per_iteration: list = field(default_factory=list)  # a captured let/const: a fresh binding each time


@dataclass(eq=False, slots=True)
class Break(Node):
    label: str | None = None


@dataclass(eq=False, slots=True)
class Continue(Node):
    label: str | None = None


@dataclass(eq=False, slots=True)
class Labeled(Node):
    """``label: body``; a loop body also records its labels (``loop.labels``)
    so that ``continue label`` reaches it."""

    label: str
    body: Node


@dataclass(eq=False, slots=True)
class Empty(Node):
    pass


@dataclass(eq=False, slots=True)
class Program(Node):
    body: list[Node]
    scope: Any = None


_FIELDS: dict = {}


def field_values(n: Node) -> list:
    """The values of a node's fields (its children among them)."""
    t = type(n)
    names = _FIELDS.get(t)
    if names is None:
        from dataclasses import fields

        names = _FIELDS[t] = tuple(f.name for f in fields(t))
    return [getattr(n, name) for name in names]
