"""Property access, method calls, construction and the global builtins."""

from __future__ import annotations

import math
import sys

from .errors import JSError, JSRangeError, JSThrow, JSTypeError
from .inspect import format_args
from .values import (
    MAX_STRING,
    NAN,
    UNDEFINED,
    Builtin,
    JSArray,
    JSErrorObject,
    JSFunction,
    JSIterator,
    JSMap,
    JSObject,
    JSSet,
    num_to_str,
    same_value_zero,
    str_to_num,
    strict_equals,
    to_int32,
    to_num,
    to_str,
    truthy,
    typeof,
)


def _index(k) -> int:
    """Array index of a key, or -1."""
    if type(k) is float:
        i = int(k) if k == k and abs(k) < 2**53 else -1
        return i if i == k and i >= 0 else -1
    if type(k) is str and k.isdigit():
        return int(k)
    return -1


class XorShift:
    """Math.random: deterministic for a given seed (xorshift128+)."""

    def __init__(self, seed: int) -> None:
        self.s0 = (seed * 0x9E3779B97F4A7C15 + 1) & 0xFFFFFFFFFFFFFFFF or 1
        self.s1 = (self.s0 ^ 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF or 2

    def random(self) -> float:
        s1, s0 = self.s0, self.s1
        self.s0 = s0
        s1 ^= (s1 << 23) & 0xFFFFFFFFFFFFFFFF
        s1 ^= s1 >> 17
        s1 ^= s0
        s1 ^= s0 >> 26
        self.s1 = s1
        return ((self.s0 + self.s1) & 0xFFFFFFFFFFFFF) / float(1 << 52)


class Runtime:
    def __init__(self, engine, out=None) -> None:
        self.engine = engine
        self.out = out or sys.stdout
        self.rng = XorShift(engine.seed)
        self.array_methods = {
            "push": self._push,
            "pop": lambda a, args: a.pop(),
            "fill": self._fill,
            "join": lambda a, args: self._join(a, args),
            "indexOf": self._index_of,
            "includes": lambda a, args: self._index_of(a, args) >= 0,
            "slice": self._slice,
            "reverse": self._reverse,
            "map": lambda a, args: JSArray([self._cb(args, x, i, a) for i, x in enumerate(a.values())]),
            "forEach": self._for_each,
            "filter": lambda a, args: JSArray([x for i, x in enumerate(a.values()) if truthy(self._cb(args, x, i, a))]),
            "some": lambda a, args: any(truthy(self._cb(args, x, i, a)) for i, x in enumerate(a.values())),
            "every": lambda a, args: all(truthy(self._cb(args, x, i, a)) for i, x in enumerate(a.values())),
            "find": self._find,
            "findIndex": self._find_index,
            "reduce": self._reduce,
            "concat": self._concat,
            "sort": self._sort,
            "shift": self._shift,
            "unshift": self._unshift,
        }
        self.string_methods = {
            "charAt": lambda s, a: _char_at(s, a),
            "charCodeAt": lambda s, a: float(ord(_char_at(s, a))) if _char_at(s, a) else NAN,
            "indexOf": lambda s, a: float(s.find(to_str(a[0]) if a else "undefined")),
            "slice": self._str_slice,
            "toUpperCase": lambda s, a: s.upper(),
            "toLowerCase": lambda s, a: s.lower(),
            "split": lambda s, a: JSArray(list(s) if a and a[0] == "" else s.split(to_str(a[0])) if a else [s]),
            "trim": lambda s, a: s.strip(),
            "repeat": _repeat,
            "substring": lambda s, a: _substring(s, a),
        }

    # --- properties ----------------------------------------------------------------------

    def get_elem(self, a: JSArray, k: float):
        i = _index(k)
        if i >= 0:
            from .interp import HOLE

            v = a.get(i)
            return UNDEFINED if v is HOLE else v
        return UNDEFINED

    def get_prop(self, o, key, pos):
        t = type(o)
        if t is JSObject:
            return o.props.get(key if type(key) is str else to_str(key), UNDEFINED)
        if t is JSErrorObject:
            return o.get(key if type(key) is str else to_str(key))
        if t is JSIterator:
            if key == "next":
                return Builtin("next", lambda args, o=o: _iterator_next(o))
            return UNDEFINED
        if t is JSMap or t is JSSet:
            if key == "size":
                return float(len(o.data))
            if key == "forEach":
                return Builtin(key, lambda args, o=o: self._coll_for_each(o, args))
            m = (MAP_METHODS if t is JSMap else SET_METHODS).get(key)
            return Builtin(key, lambda args, o=o, m=m: m(o, args)) if m else UNDEFINED
        if t is JSArray:
            if key == "length":
                return float(len(o))
            if type(key) is float or (type(key) is str and key.isdigit()):
                return self.get_elem(o, float(key) if type(key) is str else key)
            if o.named is not None and key in o.named:
                return o.named[key]
            m = self.array_methods.get(key)
            return Builtin(key, lambda args, o=o, m=m: m(o, args)) if m else UNDEFINED
        if t is str:
            if key == "length":
                return float(len(o))
            i = _index(key)
            if i >= 0:
                return o[i] if i < len(o) else UNDEFINED
            m = self.string_methods.get(key)
            return Builtin(key, lambda args, o=o, m=m: m(o, args)) if m else UNDEFINED
        if o is None or o is UNDEFINED:
            raise JSTypeError(f"Cannot read properties of {to_str(o)} (reading '{to_str(key)}')", pos)
        if t is Builtin:
            return o.props.get(to_str(key), UNDEFINED)
        if t is JSFunction:
            k = key if type(key) is str else to_str(key)
            if k in o.props:
                return o.props[k]
            if k == "name":
                return o.name
            if k == "length":
                return float(o.nparams)
        return UNDEFINED

    def set_prop(self, o, key, value, pos) -> None:
        t = type(o)
        if t is JSObject:
            o.props[key if type(key) is str else to_str(key)] = value
            return
        if t is JSErrorObject:
            k = key if type(key) is str else to_str(key)
            if k in JSErrorObject.HIDDEN:
                setattr(o, k, value)
            else:
                o.props[k] = value
            return
        if t is JSArray:
            if key == "length":
                n = to_num(value)
                if n != int(n) or n < 0 or n >= 2**32:
                    raise JSRangeError("Invalid array length", pos)
                o.set_length(int(n))
                return
            i = _index(key)
            if i >= 0:
                if i > len(o) + 10_000_000:
                    raise JSRangeError("Invalid array length", pos)
                if i > len(o):
                    from .interp import HOLE

                    o._to_generic()
                    o.items.extend([HOLE] * (i - len(o)))
                o.set(i, value)
                return
            if o.named is None:
                o.named = {}
            o.named[key if type(key) is str else to_str(key)] = value
            return
        if t is JSFunction or t is Builtin:
            k = key if type(key) is str else to_str(key)
            if t is JSFunction and k in ("name", "length") and k not in o.props:
                return  # read-only, as in JS (a silent no-op outside strict mode)
            o.props[k] = value
            return
        if o is None or o is UNDEFINED:
            raise JSTypeError(f"Cannot set properties of {to_str(o)} (setting '{to_str(key)}')", pos)

    # --- calls ----------------------------------------------------------------------------

    def call(self, fn, args: list, pos, text: str):
        t = type(fn)
        if t is JSFunction:
            native = fn.native
            if native is not None:
                r = native(args)
                if r is not native:
                    return r
            return fn.code(args)
        if t is Builtin:
            return fn.fn(args)
        raise JSTypeError(f"{text} is not a function", pos)

    def call_method(self, o, key, args: list, pos, text: str):
        t = type(o)
        if t is JSArray:
            m = self.array_methods.get(key)
            if m is not None:
                return m(o, args)
        elif t is str:
            m = self.string_methods.get(key)
            if m is not None:
                return m(o, args)
        elif t is float and key == "toFixed":
            return self._to_fixed(o, args, pos)
        elif t is float and key == "toString":
            return _number_to_string(o, args)
        elif t is JSMap or t is JSSet:
            if key == "forEach":
                return self._coll_for_each(o, args)
            m = (MAP_METHODS if t is JSMap else SET_METHODS).get(key)
            if m is not None:
                return m(o, args)
        fn = self.get_prop(o, key, pos)
        return self.call(fn, args, pos, text)

    def construct(self, fn, args: list, pos, text: str):
        if fn is self.engine.globals_builtin.get("Map") or fn is self.engine.globals_builtin.get("Set"):
            return self._collection(fn.name, args, pos)
        if type(fn) is Builtin and fn.name in ERROR_KINDS and fn is self.engine.globals_builtin.get(fn.name):
            return fn.fn(args)
        if fn is self.engine.globals_builtin.get("Array"):
            return self._new_array(args, pos)
        if fn is self.engine.globals_builtin.get("Object"):
            return JSObject()
        raise JSTypeError(f"{text} is not a constructor", pos)

    def _coll_for_each(self, c, args: list):
        """Map/Set forEach: callback(value, key, collection), in insertion order."""
        fn = args[0] if args else UNDEFINED
        for entry in list(c.data.values()):
            k, v = entry if type(c) is JSMap else (entry, entry)
            self.call(fn, [v, k, c], self.engine.current_pos, "callback")
        return UNDEFINED

    def _array_from(self, args: list):
        """Array.from(iterable or array-like, mapFn)."""
        src = args[0] if args else UNDEFINED
        fn = args[1] if len(args) > 1 else UNDEFINED
        if type(src) is JSObject:  # array-like: {length: n}
            n = int(to_num(src.props.get("length", 0.0)) or 0)
            items = [src.props.get(str(i), UNDEFINED) for i in range(max(n, 0))]
        elif src is None or src is UNDEFINED:
            raise JSTypeError(f"{to_str(src)} is not iterable", self.engine.current_pos)
        elif type(src) in (JSArray, str, JSMap, JSSet, JSIterator):
            items = self.iterate(src, self.engine.current_pos, "object")
        else:
            items = []
        if fn is not UNDEFINED:
            items = [self.call(fn, [x, float(i)], self.engine.current_pos, "mapFn") for i, x in enumerate(items)]
        return JSArray(items)

    def _collection(self, kind: str, args: list, pos):
        """``new Map(iterable of [key, value])`` / ``new Set(iterable)``."""
        c = JSMap() if kind == "Map" else JSSet()
        src = args[0] if args else UNDEFINED
        if src is None or src is UNDEFINED:
            return c
        items = self.iterate(src, pos, "object")
        for x in items:
            if kind == "Set":
                c.data.setdefault(same_value_zero(x), x)
            else:
                if type(x) is not JSArray:
                    raise JSTypeError(f"Iterator value {to_str(x)} is not an entry object", pos)
                k, v = (x.get(0) if len(x) > 0 else UNDEFINED), (x.get(1) if len(x) > 1 else UNDEFINED)
                c.data[same_value_zero(k)] = (k, v)
        return c

    def iterate(self, it, pos, text: str) -> list:
        """The values for-of would visit (a snapshot)."""
        from .interp import HOLE

        t = type(it)
        if t is JSArray:
            return [UNDEFINED if v is HOLE else v for v in it.values()]
        if t is str:
            return list(it)
        if t is JSSet:
            return list(it.data.values())
        if t is JSMap:
            return [JSArray([k, v]) for k, v in it.data.values()]
        if t is JSIterator:  # consumes it, as in JS
            rest, it.i = it.items[it.i :], len(it.items)
            return rest
        raise JSTypeError(f"{text} is not iterable", pos)

    # --- builtins ----------------------------------------------------------------------------

    def _new_array(self, args, pos):
        if len(args) == 1 and type(args[0]) is float:
            n = args[0]
            if n != int(n) or n < 0 or n >= 2**32:
                raise JSRangeError("Invalid array length", pos)
            from .interp import HOLE

            return JSArray.filled(int(n), HOLE) if n else JSArray([])
        return JSArray(list(args))

    def _cb(self, args, x, i, a):
        fn = args[0] if args else UNDEFINED
        return self.call(fn, [x, float(i), a], self.engine.current_pos, to_str(fn) if type(fn) is str else "callback")

    def _for_each(self, a: JSArray, args):
        for i, x in enumerate(a.values()):
            self._cb(args, x, i, a)
        return UNDEFINED

    def _find(self, a: JSArray, args):
        for i, x in enumerate(a.values()):
            if truthy(self._cb(args, x, i, a)):
                return x
        return UNDEFINED

    def _find_index(self, a: JSArray, args):
        for i, x in enumerate(a.values()):
            if truthy(self._cb(args, x, i, a)):
                return float(i)
        return -1.0

    def _reduce(self, a: JSArray, args):
        vals = a.values()
        fn = args[0] if args else UNDEFINED
        pos = self.engine.current_pos
        if len(args) > 1:
            acc, start = args[1], 0
        elif vals:
            acc, start = vals[0], 1
        else:
            raise JSTypeError("Reduce of empty array with no initial value", pos)
        for i in range(start, len(vals)):
            acc = self.call(fn, [acc, vals[i], float(i), a], pos, "callback")
        return acc

    def _concat(self, a: JSArray, args):
        out = a.values()
        for x in args:
            out.extend(x.values() if type(x) is JSArray else [x])
        return JSArray(out)

    def _sort(self, a: JSArray, args):
        import functools

        vals = a.values()
        undef = [x for x in vals if x is UNDEFINED]
        vals = [x for x in vals if x is not UNDEFINED]
        if args and args[0] is not UNDEFINED:
            fn = args[0]
            pos = self.engine.current_pos

            def cmp(x, y):
                r = to_num(self.call(fn, [x, y], pos, "comparator"))
                return -1 if r < 0 else (1 if r > 0 else 0)

            vals.sort(key=functools.cmp_to_key(cmp))
        else:
            vals.sort(key=to_str)
        for i, v in enumerate(vals + undef):
            a.set(i, v)
        return a

    def _shift(self, a: JSArray, args):
        vals = a.values()
        if not vals:
            return UNDEFINED
        first = vals.pop(0)
        a.set_length(0)
        for v in vals:
            a.push(v)
        return first

    def _unshift(self, a: JSArray, args):
        vals = list(args) + a.values()
        a.set_length(0)
        for v in vals:
            a.push(v)
        return float(len(a))

    def _push(self, a: JSArray, args):
        for v in args:
            a.push(v)
        return float(len(a))

    def _fill(self, a: JSArray, args):
        value = args[0] if args else UNDEFINED
        n = len(a)
        start = _clamp(args[1], n) if len(args) > 1 else 0
        end = _clamp(args[2], n) if len(args) > 2 else n
        if type(value) is float and start == 0 and end == n:
            a.buf, a.items = None, None
            a.__init__([])
            filled = JSArray.filled(n, value)
            a.buf, a.n, a.items, a.desc, a.addr = filled.buf, filled.n, None, filled.desc, filled.addr
            a.version += 1
            return a
        for i in range(start, end):
            a.set(i, value)
        return a

    def _join(self, a: JSArray, args):
        from .interp import HOLE

        sep = to_str(args[0]) if args and args[0] is not UNDEFINED else ","
        return sep.join("" if (x is None or x is UNDEFINED or x is HOLE) else to_str(x) for x in a.values())

    def _index_of(self, a: JSArray, args):
        target = args[0] if args else UNDEFINED
        for i, x in enumerate(a.values()):
            if strict_equals(x, target):
                return float(i)
        return -1.0

    def _slice(self, a: JSArray, args):
        n = len(a)
        start = _clamp(args[0], n) if args else 0
        end = _clamp(args[1], n) if len(args) > 1 and args[1] is not UNDEFINED else n
        return JSArray(a.values()[start:end])

    def _reverse(self, a: JSArray, args):
        vals = a.values()[::-1]
        for i, v in enumerate(vals):
            a.set(i, v)
        return a

    def _str_slice(self, s: str, args):
        n = len(s)
        start = _clamp(args[0], n) if args else 0
        end = _clamp(args[1], n) if len(args) > 1 and args[1] is not UNDEFINED else n
        return s[start:end]

    def _to_fixed(self, x: float, args, pos):
        d = int(to_num(args[0])) if args else 0
        if not 0 <= d <= 100:
            raise JSRangeError("toFixed() digits argument must be between 0 and 100", pos)
        if x != x:
            return "NaN"
        if abs(x) >= 1e21:
            return num_to_str(x)
        from decimal import ROUND_HALF_UP, Decimal

        text = str(Decimal(abs(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))
        return ("-" + text) if x < 0 and Decimal(text) != 0 else text

    def console_log(self, args):
        self.out.write(format_args(args) + "\n")
        return UNDEFINED

    def make_globals(self) -> dict:
        r = self

        def math_fn(name, f):
            def wrapped(args):
                xs = [to_num(a) for a in args]
                try:
                    return f(*xs)
                except (ValueError, OverflowError, TypeError):
                    return NAN

            return Builtin(name, wrapped)

        def m1(f):
            return lambda x=NAN, *_: f(x)

        def js_round(x):
            if x != x or x in (math.inf, -math.inf):
                return x
            return math.copysign(math.floor(x + 0.5), x) if -0.5 <= x < 0 else float(math.floor(x + 0.5))

        def js_max(*xs):
            if any(x != x for x in xs):
                return NAN
            return max(xs) if xs else -math.inf

        def js_min(*xs):
            if any(x != x for x in xs):
                return NAN
            return min(xs) if xs else math.inf

        def safe(f):
            def g(x=NAN, *_):
                if x != x:
                    return NAN
                if x in (math.inf, -math.inf):
                    return x if f in (math.floor, math.ceil, math.trunc) else NAN
                return float(f(x))

            return g

        def js_pow(x=NAN, y=NAN, *_):
            from .values import js_pow as p

            return p(x, y)

        def js_sqrt(x=NAN, *_):
            return math.sqrt(x) if x >= 0 else (NAN if x == x else NAN)

        def js_sin(x=NAN, *_):
            return math.sin(x) if math.isfinite(x) else NAN

        def js_cos(x=NAN, *_):
            return math.cos(x) if math.isfinite(x) else NAN

        def js_log(x=NAN, *_):
            if x == 0:
                return -math.inf
            return math.log(x) if x > 0 else NAN

        math_obj = JSObject(
            {
                "PI": math.pi,
                "E": math.e,
                "floor": math_fn("floor", safe(math.floor)),
                "ceil": math_fn("ceil", safe(math.ceil)),
                "trunc": math_fn("trunc", safe(math.trunc)),
                "round": math_fn("round", m1(js_round)),
                "abs": math_fn("abs", m1(abs)),
                "sqrt": math_fn("sqrt", js_sqrt),
                "sin": math_fn("sin", js_sin),
                "cos": math_fn("cos", js_cos),
                "tan": math_fn("tan", m1(lambda x: math.tan(x) if math.isfinite(x) else NAN)),
                "atan2": math_fn("atan2", lambda y=NAN, x=NAN, *_: math.atan2(y, x)),
                "exp": math_fn("exp", m1(lambda x: math.exp(x) if x < 710 else math.inf)),
                "log": math_fn("log", js_log),
                "pow": math_fn("pow", js_pow),
                "min": math_fn("min", js_min),
                "max": math_fn("max", js_max),
                "sign": math_fn("sign", m1(lambda x: x if x != x or x == 0 else math.copysign(1.0, x))),
                "random": Builtin("random", lambda args: r.rng.random()),
            },
        )
        console = JSObject({"log": Builtin("log", r.console_log)})
        array = Builtin("Array", lambda args: r._new_array(args, None), {})
        array.props["isArray"] = Builtin("isArray", lambda args: bool(args) and type(args[0]) is JSArray)
        number = Builtin(
            "Number",
            lambda args: to_num(args[0]) if args else 0.0,
            {
                "MAX_SAFE_INTEGER": 2.0**53 - 1,
                "MIN_SAFE_INTEGER": -(2.0**53 - 1),
                "MAX_VALUE": sys.float_info.max,
                "MIN_VALUE": 5e-324,
                "EPSILON": 2.0**-52,
                "POSITIVE_INFINITY": math.inf,
                "NEGATIVE_INFINITY": -math.inf,
                "NaN": NAN,
            },
        )
        string = Builtin("String", lambda args: to_str(args[0]) if args else "")
        string.props["fromCharCode"] = Builtin(
            "fromCharCode", lambda args: "".join(chr(int(to_num(a)) & 0xFFFF) for a in args)
        )
        errors = {name: Builtin(name, lambda args, name=name: _new_error(name, args)) for name in ERROR_KINDS}
        errors["Map"] = Builtin("Map", lambda args: _needs_new("Map"))
        errors["Set"] = Builtin("Set", lambda args: _needs_new("Set"))
        array.props["from"] = Builtin("from", lambda args: r._array_from(args))
        obj = Builtin("Object", lambda args: JSObject())
        obj.props["keys"] = Builtin("keys", _object_keys)
        import time as _time

        t0 = _time.perf_counter()
        performance = JSObject({"now": Builtin("now", lambda args: (_time.perf_counter() - t0) * 1000.0)})
        return {
            "performance": performance,
            "Math": math_obj,
            "console": console,
            "Array": array,
            "Object": obj,
            "Number": number,
            "String": string,
            "isNaN": Builtin("isNaN", lambda args: to_num(args[0]) != to_num(args[0]) if args else True),
            "parseInt": Builtin("parseInt", lambda args: _parse_int(args)),
            "parseFloat": Builtin("parseFloat", lambda args: _parse_float(to_str(args[0]) if args else "")),
            "NaN": NAN,
            "Infinity": math.inf,
            "typeof": typeof,
            **errors,
        }


def _repeat(s: str, a: list) -> str:
    n = to_num(a[0]) if a else 0.0
    if n != n:
        n = 0.0
    if n < 0 or n == math.inf:
        raise JSRangeError(f"Invalid count value: {num_to_str(n)}")
    if len(s) * int(n) > MAX_STRING:
        raise JSRangeError("Invalid string length")
    return s * int(n)


def _needs_new(kind: str):
    raise JSTypeError(f"Constructor {kind} requires 'new'")


def _number_to_string(x: float, args: list) -> str:
    """Number.prototype.toString(radix): base 2..36, fractions too."""
    radix = 10 if not args or args[0] is UNDEFINED else int(to_num(args[0]))
    if not 2 <= radix <= 36:
        raise JSRangeError("toString() radix argument must be between 2 and 36")
    if radix == 10 or x != x or x in (math.inf, -math.inf):
        return num_to_str(x)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    neg, x = x < 0, abs(x)
    whole, frac = int(x), x - int(x)
    out = ""
    while True:
        whole, d = divmod(whole, radix)
        out = digits[d] + out
        if not whole:
            break
    if frac:
        out += "."
        for _ in range(52):  # enough digits to round-trip a double
            frac *= radix
            d = int(frac)
            out += digits[d]
            frac -= d
            if not frac:
                break
    return ("-" if neg else "") + out


def _iterator_next(it: JSIterator) -> JSObject:
    if it.i < len(it.items):
        it.i += 1
        return JSObject({"value": it.items[it.i - 1], "done": False})
    return JSObject({"value": UNDEFINED, "done": True})


def _map_get(m: JSMap, a: list):
    hit = m.data.get(same_value_zero(a[0] if a else UNDEFINED))
    return UNDEFINED if hit is None else hit[1]


def _map_set(m: JSMap, a: list):
    k = a[0] if a else UNDEFINED
    m.data[same_value_zero(k)] = (k, a[1] if len(a) > 1 else UNDEFINED)
    return m


def _delete(c, a: list) -> bool:
    return c.data.pop(same_value_zero(a[0] if a else UNDEFINED), None) is not None


MAP_METHODS = {
    "get": _map_get,
    "set": _map_set,
    "has": lambda m, a: same_value_zero(a[0] if a else UNDEFINED) in m.data,
    "delete": _delete,
    "clear": lambda m, a: m.data.clear() or UNDEFINED,
    "keys": lambda m, a: JSIterator([k for k, _ in m.data.values()], "Map Iterator"),
    "values": lambda m, a: JSIterator([v for _, v in m.data.values()], "Map Iterator"),
    "entries": lambda m, a: JSIterator([JSArray([k, v]) for k, v in m.data.values()], "Map Entries"),
}


def _set_add(c: JSSet, a: list):
    v = a[0] if a else UNDEFINED
    c.data.setdefault(same_value_zero(v), v)
    return c


SET_METHODS = {
    "add": _set_add,
    "has": lambda c, a: same_value_zero(a[0] if a else UNDEFINED) in c.data,
    "delete": _delete,
    "clear": lambda c, a: c.data.clear() or UNDEFINED,
    "keys": lambda c, a: JSIterator(list(c.data.values()), "Set Iterator"),
    "values": lambda c, a: JSIterator(list(c.data.values()), "Set Iterator"),
    "entries": lambda c, a: JSIterator([JSArray([v, v]) for v in c.data.values()], "Set Entries"),
}


ERROR_KINDS = ("Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError")


def _new_error(name: str, args: list) -> JSErrorObject:
    """``Error(message)`` and ``new Error(message)`` alike (and the other kinds)."""
    message = "" if not args or args[0] is UNDEFINED else to_str(args[0])
    return JSErrorObject(name, message)


def error_value(e: JSError) -> object:
    """What ``catch`` binds for an exception: the thrown value, or for an
    error the engine raised (TypeError, RangeError, ...) the Error object a
    JS engine would have made."""
    if isinstance(e, JSThrow):
        return e.value
    return JSErrorObject(e.kind, e.message)


def _substring(s: str, a: list) -> str:
    n = len(s)

    def c(v):
        x = to_num(v)
        return 0 if x != x else int(min(max(x, 0), n))

    start = c(a[0]) if a else 0
    end = c(a[1]) if len(a) > 1 and a[1] is not UNDEFINED else n
    return s[min(start, end) : max(start, end)]


def _char_at(s: str, a: list) -> str:
    i = to_num(a[0]) if a else 0.0
    i = int(i) if i == i else 0
    return s[i] if 0 <= i < len(s) else ""


def _object_keys(args) -> JSArray:
    return JSArray(list(args[0].keys())) if args and type(args[0]) is JSObject else JSArray([])


def _clamp(v, n: int) -> int:
    x = to_num(v)
    if x != x:
        return 0
    x = int(x)
    if x < 0:
        return max(n + x, 0)
    return min(x, n)


def _parse_int(args) -> float:
    s = to_str(args[0]).strip() if args else ""
    radix = int(to_num(args[1])) if len(args) > 1 and args[1] is not UNDEFINED else 0
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if radix in (0, 16) and s[:2].lower() == "0x":
        s, radix = s[2:], 16
    radix = radix or 10
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"[:radix]
    i = 0
    while i < len(s) and s[i].lower() in digits:
        i += 1
    return float(sign * int(s[:i], radix)) if i else NAN


def _parse_float(s: str) -> float:
    import re

    m = re.match(r"\s*[+-]?(Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)", s)
    if not m:
        return NAN
    return (
        str_to_num(m.group(0).strip())
        if "Infinity" not in m.group(0)
        else (-math.inf if m.group(0).strip().startswith("-") else math.inf)
    )


__all__ = ["Runtime", "to_int32"]
