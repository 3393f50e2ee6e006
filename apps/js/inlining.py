"""Calls the JIT compiles in place because an argument is an arrow.

``v.forEach((c) => c.execute())`` calls a user method that calls a function
value.  Compiled code holds no function values, but it needs none here: the
method's body is compiled at the call (a private copy of it, see
:func:`copy_body`), and each call of its parameter compiles the arrow's body
there.  The arrow then never exists as a closure: what it captures are the
unit's own locals, read and written in place, as the interpreter's cells
would be.  This is what inlining does for JS engines' higher-order code
(V8's TurboFan, Graal.js) -- there because of a call's frequency, here
because it is the only way to compile the call at all.

The callee is the one function the call site has called (the interpreter's
feedback), guarded by a call inline cache as a compiled method call is; a
plain function's by its global cell, at entry.
"""

from __future__ import annotations

from . import ast as A

MAX_DEPTH = 4  # expansions inside expansions (a callback passed on, a callee calling another)


class Closure:
    """What a parameter of an expansion is bound to: an arrow, with the
    environment its references to enclosing functions' variables resolve
    in, and the function that environment is of (None: the unit's own; an
    arrow is only ever written in the unit's function) -- or a function a
    global holds (``fn``, read from ``cell``: checked at every entry to
    hold it still), whose calls compile its body in place."""

    __slots__ = ("arrow", "env", "scope", "fn", "cell")

    def __init__(self, arrow: A.Func | None, env, scope, fn=None, cell=None) -> None:
        self.arrow = arrow
        self.env = env
        self.scope = scope
        self.fn = fn
        self.cell = cell


class Expansion:
    """A call compiled in place: a copy of the callee's (or the arrow's)
    body, the bindings the call's arguments go to, and the environment the
    body's cells are read in.  ``closures``: the callee's parameters bound
    to arrows (a method's or function's expansion only)."""

    __slots__ = ("kind", "fn", "body", "params", "this", "env", "scope", "closures", "returns")

    def __init__(self, kind: str, fn, body: list, params: list, this, env, scope, closures: dict) -> None:
        self.kind = kind  # "method" | "function" | "arrow" | "known" (a global's function, passed in)
        self.fn = fn  # the JSFunction called (None for an arrow)
        self.body = body
        self.params = params  # Bindings, in argument order
        self.this = this  # the callee's ``this`` binding, if it uses it (a method's receiver)
        self.env = env
        self.scope = scope  # the function ``env`` belongs to (depths of cells count from it)
        self.closures = closures
        self.returns: set = set()  # the types its returns give (Typer)


def arrow_like(f: A.Func) -> bool:
    """Whether ``f`` behaves as an arrow with its body would when called
    plainly: an arrow, or an unnamed function expression (``each(xs,
    function (v, i) {..})``) that names neither ``this``, ``arguments`` nor
    ``super`` -- what a call gives it of its own -- nor is a generator."""
    if f.is_arrow:
        return True
    fs = f.scope
    return (
        f.kind == "function"
        and not f.name
        and not f.generator
        and fs is not None
        and fs.this_b is None
        and fs.args_b is None
        and fs.fn_b is None
    )


def closure_argument(f) -> bool:
    """Whether ``f`` is an arrow the JIT can compile at the calls of the
    parameter it is passed to: a plain arrow (or :func:`arrow_like`) that
    makes no closure itself and whose own variables no closure captures."""
    if type(f) is not A.Func or not arrow_like(f) or f.is_async or f.rest:
        return False
    fs = f.scope
    return fs is not None and not fs.inner and fs.args_b is None and not any(b.captured for b in fs.bindings)


def callee_declined(tmpl, arrow_ok: bool = False) -> str | None:
    """Why a function's body cannot be compiled at a call (None: it can).
    Its parameters must be plain names (no defaults, no patterns), and it
    may make no closure and use no ``arguments``: then every variable it
    has is a local of the unit it is compiled into.  ``arrow_ok``: an arrow
    passed by name (``xs.map(square)``'s ``const square = x => x * x``) may
    be compiled so too if it names neither ``this``, ``super`` nor
    ``arguments`` -- those are its enclosing function's, not the call's."""
    node = tmpl.node
    if node.is_arrow and arrow_ok and not _lexically_plain(node):
        return "an arrow naming this, super or arguments (its enclosing function's)"
    arrow = node.is_arrow and arrow_ok
    if (node.is_arrow and not arrow) or node.is_async or node.generator or node.rest:
        return "it is an arrow, a generator, async or takes a rest parameter"
    if not arrow and node.kind not in ("function", "method"):
        return "it is a constructor"
    fs = node.scope
    if fs.inner or fs.args_b is not None or fs.fn_b is not None or any(b.captured for b in fs.bindings):
        return "it makes closures or uses arguments or super"
    if len(fs.params) != len(node.params) or not all(type(p) is A.Ident for p in node.params):
        return "its parameters are not plain names"
    return None


def _lexically_plain(f: A.Func) -> bool:
    stack = list(f.body)
    while stack:
        n = stack.pop()
        t = type(n)
        if t in (A.This, A.SuperCall, A.SuperMember) or (t is A.Ident and n.name == "arguments"):
            return False
        if t is not A.Func:  # (an inner function is declined as a closure anyway)
            stack.extend(A.child_nodes(n))
    return True


def copy_body(body: list) -> list:
    """A private copy of a function body's statements: the nodes are new (a
    unit types and annotates them for this call only), the bindings they
    refer to are the function's own (an expansion never runs inside another
    of the same function, so they are free while it runs)."""
    return [_copy(s) for s in body]


def _copy(v):
    if isinstance(v, A.Node) and type(v) is not A.Func:
        cls = type(v)
        c = cls.__new__(cls)
        c._pos = v._pos
        for name in cls._fields:
            if name != "pos":
                setattr(c, name, _copy(getattr(v, name)))
        ann = getattr(v, "_ann", None)
        if ann is not None:
            c._ann = {k: x for k, x in ann.items() if k not in ("jit_type", "named_arrows")}  # (arrows typed anew)
        return c
    if type(v) is list:
        return [_copy(x) for x in v]
    if type(v) is tuple:
        return tuple(_copy(x) for x in v)
    return v


__all__ = ["Closure", "Expansion", "arrow_like", "closure_argument", "callee_declined", "copy_body", "MAX_DEPTH"]
