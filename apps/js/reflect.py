"""``Reflect`` (the object operations as functions, over the runtime's own)
and ``structuredClone`` (a deep copy as the HTML structured clone makes it:
plain data kept, cycles kept, functions and symbols refused)."""

from __future__ import annotations

from . import numbers as NUM
from . import regex as RX
from . import typed as TA
from . import values as V
from .errors import JSError, JSThrow, JSTypeError
from .values import UNDEFINED, Builtin, JSArray, JSErrorObject, JSFunction, JSMap, JSObject, JSSet


def _is_object(v) -> bool:
    return isinstance(v, (JSObject, JSArray, JSFunction, Builtin, JSMap, JSSet, TA.JSTypedArray, RX.JSRegExp))


def make_reflect(rt) -> JSObject:
    obj = rt.engine.globals_builtin["Object"].props

    def target(name: str, a: list):
        o = a[0] if a else UNDEFINED
        if not _is_object(o):
            raise JSTypeError(f"Reflect.{name} called on non-object")
        return o

    def arg(a: list, i: int):
        return a[i] if len(a) > i else UNDEFINED

    def attempt(fn) -> bool:  # (the operation's success, where Object's throws)
        try:
            fn()
            return True
        except JSError:
            return False

    def own_keys(a):
        o = target("ownKeys", a)
        names = list(obj["getOwnPropertyNames"].fn([o]).values())
        if isinstance(o, JSObject):
            names += [k for k in o.props if type(k) is V.JSSymbol]
        return JSArray(names)

    pos = None
    fns = {
        "ownKeys": own_keys,
        "has": lambda a: rt.has_property(target("has", a), arg(a, 1), pos),
        "get": lambda a: rt.get_prop(target("get", a), V.prop_key(arg(a, 1)), pos),
        "set": lambda a: attempt(lambda: rt.set_prop(target("set", a), V.prop_key(arg(a, 1)), arg(a, 2), pos, True)),
        "getPrototypeOf": lambda a: obj["getPrototypeOf"].fn([target("getPrototypeOf", a)]),
        "setPrototypeOf": lambda a: attempt(lambda: obj["setPrototypeOf"].fn([target("setPrototypeOf", a), arg(a, 1)])),
        "defineProperty": lambda a: attempt(
            lambda: obj["defineProperty"].fn([target("defineProperty", a), arg(a, 1), arg(a, 2)])
        ),
        "deleteProperty": lambda a: rt.delete(target("deleteProperty", a), arg(a, 1), pos),
        "getOwnPropertyDescriptor": lambda a: obj["getOwnPropertyDescriptor"].fn(
            [target("getOwnPropertyDescriptor", a), arg(a, 1)]
        ),
        "isExtensible": lambda a: V.lock_level(target("isExtensible", a)) == 0,
        "preventExtensions": lambda a: (V.lock(target("preventExtensions", a), 1), True)[1],
        "apply": lambda a: rt.call(arg(a, 0), list(rt.iterate(arg(a, 2), pos, "args")), pos, "fn", arg(a, 1)),
        "construct": lambda a: rt.construct(arg(a, 0), list(rt.iterate(arg(a, 1), pos, "args")), pos, "target"),
    }
    reflect = JSObject({name: Builtin(name, fn) for name, fn in fns.items()})
    reflect.hide(V.WELL_KNOWN["toStringTag"], "Reflect")
    return reflect


def structured_clone(rt, a: list):
    memo: dict[int, object] = {}

    def refuse(v):
        text = V.to_str(v) if not isinstance(v, V.JSSymbol) else repr(v)
        err = JSErrorObject("Error", f"{text} could not be cloned.")
        err.name = "DataCloneError"
        raise JSThrow(err, rt.engine.current_pos)

    def clone(v):
        t = type(v)
        if v is None or v is UNDEFINED or t in (bool, float, int, str):
            return v
        if id(v) in memo:
            return memo[id(v)]
        if t is JSArray:
            from .values import HOLE

            out = JSArray([])
            memo[id(v)] = out
            out._to_generic()
            out.items.extend(x if x is HOLE else clone(x) for x in v.values())
            return out
        if t is NUM.JSDate:
            out = NUM.JSDate(v.t, v.proto)
        elif t is RX.JSRegExp:
            out = RX.JSRegExp(v.source, v.flags)
        elif t is JSMap:
            out = JSMap()
            memo[id(v)] = out
            for key, val in v.data.values():
                ck = clone(key)
                out.data[V.same_value_zero(ck)] = (ck, clone(val))
            return out
        elif t is JSSet:
            out = JSSet()
            memo[id(v)] = out
            for x in v.data.values():
                cx = clone(x)
                out.data[V.same_value_zero(cx)] = cx
            return out
        elif t is TA.JSArrayBuffer:
            out = TA.JSArrayBuffer(len(v.data))
            out.data[:] = v.data
        elif t is TA.JSTypedArray:
            out = TA.construct(v.kind, [JSArray(list(v.values()))], lambda src: rt.iterate(src, None, "source"))
        elif t is JSErrorObject:
            out = JSErrorObject(v.name if v.name in V.ERROR_PROTOS else "Error", v.message)
        elif t is JSObject:  # (a class instance comes back a plain object)
            out = JSObject()
            memo[id(v)] = out
            for k in list(v.props):
                if type(k) is str and not k.startswith("#") and not (v.hidden and k in v.hidden):
                    out.props[k] = clone(rt.get_prop(v, k, None))
            return out
        else:
            refuse(v)
        memo[id(v)] = out
        return out

    return clone(a[0] if a else UNDEFINED)
