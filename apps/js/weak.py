"""WeakMap and WeakSet: keyed by object identity, with no way to list them.

The engine has no finalisation, so an entry lives as long as its collection
(observable only through memory, which JS cannot inspect).  An instance is
an ordinary object holding its table under a private symbol key, so it
prints as node prints it: ``WeakMap { <items unknown> }``.
"""

from __future__ import annotations

from .errors import JSTypeError
from .values import UNDEFINED, WELL_KNOWN, Builtin, JSObject, JSSymbol

TABLE = JSSymbol("[[WeakTable]]")  # private: no program can name it
_BAD_KEY = {"WeakMap": "Invalid value used as weak map key", "WeakSet": "Invalid value used in weak set"}


def kind_of(o) -> str | None:
    """ "WeakMap"/"WeakSet" for an instance, else None."""
    t = o.props.get(TABLE) if isinstance(o, JSObject) else None
    return t[0] if t is not None else None


def make(rt, is_object) -> dict:
    """The WeakMap and WeakSet globals."""
    out = {}
    for kind in ("WeakMap", "WeakSet"):
        proto = JSObject()

        def items(this, name, kind=kind) -> dict:
            t = this.props.get(TABLE) if isinstance(this, JSObject) else None
            if t is None or t[0] != kind:
                raise JSTypeError(f"Method {kind}.prototype.{name} called on incompatible receiver")
            return t[1]

        def put(this, key, value, name, kind=kind, items=items):
            table = items(this, name)
            if not is_object(key):
                raise JSTypeError(_BAD_KEY[kind])
            table[id(key)] = (key, value)  # (the key kept too: its id stays its own)
            return this

        def construct(args, pos, kind=kind, proto=proto):
            o = JSObject(proto=proto)
            o.hide(TABLE, (kind, {}))
            src = args[0] if args else UNDEFINED
            if src is not None and src is not UNDEFINED:
                adder = rt.get_prop(o, "set" if kind == "WeakMap" else "add", pos)
                for x in rt.iterate(src, pos, None):
                    if kind == "WeakSet":
                        rt.call(adder, [x], pos, "add", o)
                    elif not is_object(x):
                        from .inspect import inspect

                        raise JSTypeError(f"Iterator value {inspect(x)} is not an entry object", pos)
                    else:
                        rt.call(adder, [rt.get_prop(x, "0", pos), rt.get_prop(x, "1", pos)], pos, "set", o)
            return o

        def arg(a):
            return a[0] if a else UNDEFINED

        methods = {
            "has": lambda this, a, items=items: id(arg(a)) in items(this, "has") and is_object(arg(a)),
            "delete": lambda this, a, items=items: (
                is_object(arg(a)) and items(this, "delete").pop(id(arg(a)), None) is not None
            ),
        }
        if kind == "WeakMap":
            methods["get"] = lambda this, a, items=items: (
                items(this, "get").get(id(arg(a)), (None, UNDEFINED))[1] if is_object(arg(a)) else UNDEFINED
            )
            methods["set"] = lambda this, a, put=put: put(this, arg(a), a[1] if len(a) > 1 else UNDEFINED, "set")
        else:
            methods["add"] = lambda this, a, put=put: put(this, arg(a), True, "add")
        ctor = Builtin(kind, lambda args, kind=kind: _needs_new(kind))
        ctor.construct = construct
        ctor.prototype = proto
        proto.hide("constructor", ctor)
        proto.hide(WELL_KNOWN["toStringTag"], kind)
        for name, fn in methods.items():
            proto.hide(name, Builtin(name, fn, method=True))
        out[kind] = ctor
    return out


def _needs_new(kind: str):
    raise JSTypeError(f"Constructor {kind} requires 'new'")
