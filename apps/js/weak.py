"""WeakMap and WeakSet: keyed by object identity, with no way to list them;
WeakRef and FinalizationRegistry.

The engine has no finalisation, so an entry lives as long as its collection
(observable only through memory, which JS cannot inspect), a WeakRef's
target as long as the WeakRef, and a registry's cleanup callback never runs
-- all three of which the language allows (collection is never promised).  An instance is
an ordinary object holding its table under a private symbol key, so it
prints as node prints it: ``WeakMap { <items unknown> }``.
"""

from __future__ import annotations

from .errors import JSTypeError
from .values import UNDEFINED, WELL_KNOWN, Builtin, JSObject, JSSymbol, to_str, typeof

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
        out[kind] = _constructor(kind, proto, construct, methods)
    out.update(_weak_ref(rt, is_object))
    return out


REF = JSSymbol("[[WeakRefTarget]]")  # (private, as TABLE)
CELLS = JSSymbol("[[RegistryCells]]")


def _weak_ref(rt, is_object) -> dict:
    """WeakRef and FinalizationRegistry (targets held; cleanups never due)."""

    def receiver(this, slot, name: str):
        v = this.props.get(slot) if isinstance(this, JSObject) else None
        if v is None:
            from .runtime import _value_text

            raise JSTypeError(f"Method {name} called on incompatible receiver {_value_text(this)}")
        return v

    def ref(args, pos):
        target = args[0] if args else UNDEFINED
        if not is_object(target):
            raise JSTypeError("WeakRef: invalid target", pos)
        o = JSObject(proto=ref_proto)
        o.hide(REF, (target,))
        return o

    def registry(args, pos):
        cleanup = args[0] if args else UNDEFINED
        if typeof(cleanup) != "function":
            raise JSTypeError("FinalizationRegistry: cleanup must be callable", pos)
        o = JSObject(proto=reg_proto)
        o.hide(CELLS, [])
        return o

    def register(this, a):
        cells = receiver(this, CELLS, "FinalizationRegistry.prototype.register")
        target, held, token = (list(a) + [UNDEFINED] * 3)[:3]
        if not is_object(target):
            raise JSTypeError("FinalizationRegistry.prototype.register: invalid target")
        if target is held:
            raise JSTypeError("FinalizationRegistry.prototype.register: target and holdings must not be same")
        if token is not UNDEFINED and not is_object(token):
            raise JSTypeError(f"Invalid unregisterToken ('{to_str(token)}')")
        cells.append((target, held, token))
        return UNDEFINED

    def unregister(this, a):
        cells = receiver(this, CELLS, "FinalizationRegistry.prototype.unregister")
        token = a[0] if a else UNDEFINED
        if not is_object(token):
            raise JSTypeError(f"Invalid unregisterToken ('{to_str(token)}')")
        kept = [c for c in cells if c[2] is not token]
        removed = len(kept) != len(cells)
        cells[:] = kept
        return removed

    ref_proto, reg_proto = JSObject(), JSObject()
    out = {}
    for kind, proto, construct, methods in (
        ("WeakRef", ref_proto, ref, {"deref": lambda this, a: receiver(this, REF, "WeakRef.prototype.deref")[0]}),
        ("FinalizationRegistry", reg_proto, registry, {"register": register, "unregister": unregister}),
    ):
        out[kind] = _constructor(kind, proto, construct, methods)
    return out


def _constructor(kind: str, proto: JSObject, construct, methods: dict) -> Builtin:
    """The global ``kind``: callable only with ``new``, its prototype holding
    ``methods`` (not enumerable) and its toStringTag."""
    ctor = Builtin(kind, lambda args: _needs_new(kind))
    ctor.construct = construct
    ctor.prototype = proto
    proto.hide("constructor", ctor)
    proto.hide(WELL_KNOWN["toStringTag"], kind)
    for name, fn in methods.items():
        proto.hide(name, Builtin(name, fn, method=True))
    return ctor


def _needs_new(kind: str):
    raise JSTypeError(f"Constructor {kind} requires 'new'")
