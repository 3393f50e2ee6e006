"""The JS value model and the abstract operations on it.

number -> Python float (always; never int), string -> str, boolean -> bool,
null -> None, undefined -> UNDEFINED, arrays -> JSArray, objects -> JSObject,
functions -> JSFunction / Builtin.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import JSTypeError


class Undefined:
    __slots__ = ()

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED = Undefined()
NAN = float("nan")
INF = float("inf")


class JSObject:
    __slots__ = ("props",)

    def __init__(self, props: dict | None = None) -> None:
        self.props = props if props is not None else {}

    def get(self, key: str):
        return self.props.get(key, UNDEFINED)

    def set(self, key: str, value) -> None:
        self.props[key] = value

    def keys(self) -> list[str]:
        """Own keys in JS order: integer-like keys ascending, then insertion order."""
        ints = sorted((k for k in self.props if _is_index(k)), key=int)
        return ints + [k for k in self.props if not _is_index(k)]


class JSErrorObject(JSObject):
    """An Error (or TypeError, RangeError, ...): ``name``, ``message`` and
    ``stack`` are its properties but, as in JS, not enumerable ones -- they
    live beside ``props`` (own enumerable properties set later do not)."""

    __slots__ = ("name", "message", "stack")

    HIDDEN = ("name", "message", "stack")

    def __init__(self, name: str, message: str, where: str = "<anonymous>") -> None:
        super().__init__()
        self.name, self.message = name, message
        self.stack = f"{name}: {message}\n    at {where}" if message else f"{name}\n    at {where}"

    def get(self, key: str):
        if key in self.props:
            return self.props[key]
        if key in self.HIDDEN:
            return getattr(self, key)
        return UNDEFINED


def same_value_zero(v):
    """The key Map and Set compare by: NaN is itself, -0 is +0, objects by
    identity, primitives by value (and type)."""
    t = type(v)
    if t is float:
        return ("n", "nan" if v != v else v + 0.0)
    if t is str or t is bool:
        return (t.__name__, v)
    if v is None or v is UNDEFINED:
        return ("u", v is None)
    return ("o", id(v))


class JSMap:
    """A Map: insertion-ordered (key, value) pairs under their SameValueZero key."""

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data: dict = {}


class JSIterator:
    """What Map/Set keys(), values() and entries() return: a one-pass
    iterator (``next()``, for-of, Array.from) over a snapshot."""

    __slots__ = ("items", "i", "label")

    def __init__(self, items: list, label: str) -> None:
        self.items, self.i, self.label = items, 0, label


class JSSet:
    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data: dict = {}  # SameValueZero key -> value


def _is_index(k: str) -> bool:
    return k.isdigit() and (k == "0" or not k.startswith("0")) and int(k) < 2**32 - 1


class JSArray:
    """An array: packed doubles (numpy, native-friendly) while it only ever
    holds numbers, a Python list once anything else is stored."""

    __slots__ = ("buf", "n", "items", "desc", "addr", "version", "named")

    def __init__(self, items: list | None = None) -> None:
        items = items if items is not None else []
        self.named: dict | None = None  # non-index properties a program sets (a.tag = 1)
        self.version = 0
        if all(type(v) is float for v in items):
            self.items = None
            self.n = len(items)
            self.buf = np.empty(max(self.n, 4), dtype=np.float64)
            self.buf[: self.n] = items
            self.desc = np.zeros(3, dtype=np.int64)  # data pointer, length, generation
            self.addr = self.desc.ctypes.data  # what compiled code is handed
            self._sync()
        else:
            self.items = list(items)
            self.buf = None
            self.desc = None
            self.addr = 0

    @classmethod
    def filled(cls, n: int, value) -> JSArray:
        a = cls([])
        if type(value) is float:
            a.buf = np.full(max(n, 4), value, dtype=np.float64)
            a.n = n
            a._sync()
        else:
            a._to_generic()
            a.items = [value] * n
        return a

    def _sync(self) -> None:
        self.desc[0] = self.buf.ctypes.data
        self.desc[1] = self.n

    def _to_generic(self) -> None:
        if self.items is None:
            self.items = [float(x) for x in self.buf[: self.n]]
            self.buf = None
            if self.desc is not None:
                self.desc[1] = -1  # native code holding this array sees it is no longer packed doubles
            self.version += 1

    @property
    def packed(self) -> bool:
        return self.items is None

    def __len__(self) -> int:
        return self.n if self.items is None else len(self.items)

    def get(self, i: int):
        if self.items is None:
            return float(self.buf[i]) if 0 <= i < self.n else UNDEFINED
        return self.items[i] if 0 <= i < len(self.items) else UNDEFINED

    def set(self, i: int, value) -> None:
        if self.items is None:
            if type(value) is float and 0 <= i <= self.n:
                if i == self.n:
                    self.push(value)
                else:
                    self.buf[i] = value
                return
            self._to_generic()
        items = self.items
        if i < len(items):
            items[i] = value
        else:
            items.extend([UNDEFINED] * (i - len(items)))
            items.append(value)

    def push(self, value) -> None:
        if self.items is None:
            if type(value) is float:
                if self.n == len(self.buf):
                    nb = np.empty(max(4, 2 * self.n), dtype=np.float64)
                    nb[: self.n] = self.buf[: self.n]
                    self.buf = nb
                self.buf[self.n] = value
                self.n += 1
                self._sync()
                return
            self._to_generic()
        self.items.append(value)

    def pop(self):
        if self.items is None:
            if not self.n:
                return UNDEFINED
            self.n -= 1
            self._sync()
            return float(self.buf[self.n])
        return self.items.pop() if self.items else UNDEFINED

    def set_length(self, n: int) -> None:
        if self.items is None:
            if n <= self.n:
                self.n = n
                self._sync()
                return
            self._to_generic()
        if n < len(self.items):
            del self.items[n:]
        else:
            from .interp import HOLE

            self.items.extend([HOLE] * (n - len(self.items)))

    def values(self) -> list:
        return [float(x) for x in self.buf[: self.n]] if self.items is None else list(self.items)


class JSFunction:
    """A user function: its compiled body and captured environment."""

    __slots__ = ("name", "nparams", "code", "env", "node", "calls", "feedback", "native", "loops", "props")

    def __init__(self, name: str, nparams: int, code, env, node) -> None:
        self.props: dict = {}  # properties a program sets on the function (f.x = 1)
        self.name = name
        self.nparams = nparams
        self.code = code  # code(args list, env) -> value
        self.env = env
        self.node = node
        self.calls = 0
        self.feedback = None
        self.native = None
        self.loops = 0


class Builtin:
    __slots__ = ("name", "fn", "props")

    def __init__(self, name: str, fn, props: dict | None = None) -> None:
        self.name = name
        self.fn = fn  # fn(args list) -> value
        self.props = props or {}


# --- conversions ------------------------------------------------------------------


def num_to_str(x: float) -> str:
    """Number::toString(10): the shortest round-trip digits in JS's layout."""
    if x != x:
        return "NaN"
    if x == 0:
        return "0"
    if x == INF:
        return "Infinity"
    if x == -INF:
        return "-Infinity"
    if x < 0:
        return "-" + num_to_str(-x)
    if x.is_integer() and x < 2**53:
        return str(int(x))
    mant, _, e = repr(x).partition("e")
    ip, _, fp = mant.partition(".")
    exp = int(e) if e else 0
    if ip.strip("0"):
        n = len(ip.lstrip("0")) + exp  # x = 0.digits * 10**n
    else:
        n = exp - (len(fp) - len(fp.lstrip("0")))
    s = (ip + fp).lstrip("0").rstrip("0")
    k = len(s)
    if k <= n <= 21:
        return s + "0" * (n - k)
    if 0 < n <= 21:
        return s[:n] + "." + s[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + s
    e = n - 1
    es = f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return (s + es) if k == 1 else (s[0] + "." + s[1:] + es)


def typeof(v) -> str:
    t = type(v)
    if t is float:
        return "number"
    if t is str:
        return "string"
    if t is bool:
        return "boolean"
    if v is UNDEFINED:
        return "undefined"
    if t is JSFunction or t is Builtin:
        return "function"
    return "object"


def to_str(v) -> str:
    t = type(v)
    if t is str:
        return v
    if t is float:
        return num_to_str(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "null"
    if v is UNDEFINED:
        return "undefined"
    if t is JSArray:
        return ",".join("" if (x is None or x is UNDEFINED) else to_str(x) for x in v.values())
    if t is JSObject:
        return "[object Object]"
    if t is JSMap:
        return "[object Map]"
    if t is JSIterator:
        return f"[object {v.label}]"
    if t is JSSet:
        return "[object Set]"
    if t is JSErrorObject:
        return f"{v.name}: {v.message}" if v.message else v.name
    if t is JSFunction:
        return f"function {v.name}() {{ [code] }}"
    if t is Builtin:
        return f"function {v.name}() {{ [native code] }}"
    return str(v)


def str_to_num(s: str) -> float:
    s = s.strip()
    if not s:
        return 0.0
    low = s.lower()
    try:
        if low.startswith(("0x", "0o", "0b")):
            return float(int(s[2:], {"x": 16, "o": 8, "b": 2}[low[1]]))
        if low in ("infinity", "+infinity"):
            return INF if s in ("Infinity", "+Infinity") else NAN
        if low == "-infinity":
            return -INF if s == "-Infinity" else NAN
        if "_" in s or low in ("nan", "inf", "+inf", "-inf") or "n" in low:
            return NAN
        return float(s)
    except ValueError:
        return NAN


def to_num(v) -> float:
    t = type(v)
    if t is float:
        return v
    if t is bool:
        return 1.0 if v else 0.0
    if t is str:
        return str_to_num(v)
    if v is None:
        return 0.0
    if v is UNDEFINED:
        return NAN
    if t is JSArray:
        return str_to_num(to_str(v))
    return NAN


def truthy(v) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is float:
        return not (v == 0 or v != v)
    if t is str:
        return v != ""
    return not (v is None or v is UNDEFINED)


def to_int32(x: float) -> int:
    if x != x or x in (INF, -INF):
        return 0
    n = int(x) & 0xFFFFFFFF
    return n - 0x100000000 if n & 0x80000000 else n


def to_uint32(x: float) -> int:
    if x != x or x in (INF, -INF):
        return 0
    return int(x) & 0xFFFFFFFF


def to_primitive(v):
    return to_str(v) if type(v) in (JSArray, JSObject, JSFunction, Builtin) else v


MAX_STRING = 2**29 - 24  # V8's longest string on 64-bit: past it, node throws


def js_add(a, b):
    ta, tb = type(a), type(b)
    if ta is float and tb is float:
        return a + b
    a, b = to_primitive(a), to_primitive(b)
    if type(a) is str or type(b) is str:
        sa, sb = to_str(a), to_str(b)
        if len(sa) + len(sb) > MAX_STRING:  # checked before the copy is made
            from .errors import JSRangeError

            raise JSRangeError("Invalid string length")
        return sa + sb
    return to_num(a) + to_num(b)


def js_mod(a: float, b: float) -> float:
    if b == 0 or a != a or b != b or a in (INF, -INF):
        return NAN
    if b in (INF, -INF):
        return a
    r = math.fmod(a, b)
    return r if r != 0 else math.copysign(0.0, a)


def js_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:
            return NAN
        return math.copysign(INF, a) * math.copysign(1.0, b)


def js_pow(a: float, b: float) -> float:
    if b != b:
        return NAN
    if b == 0:
        return 1.0
    if (a == 1.0 or a == -1.0) and b in (INF, -INF):
        return NAN
    try:
        return math.pow(a, b)
    except ValueError:
        return NAN
    except OverflowError:
        if a < 0 and b.is_integer() and int(b) % 2:
            return -INF
        return INF


def strict_equals(a, b) -> bool:
    ta, tb = type(a), type(b)
    if ta is float and tb is float:
        return a == b
    if ta is not tb:
        return False
    if ta is str or ta is bool:
        return a == b
    return a is b


def loose_equals(a, b) -> bool:
    ta, tb = type(a), type(b)
    if ta is tb or (ta is float and tb is float):
        return strict_equals(a, b)
    nullish_a = a is None or a is UNDEFINED
    nullish_b = b is None or b is UNDEFINED
    if nullish_a or nullish_b:
        return nullish_a and nullish_b
    if ta is bool:
        return loose_equals(to_num(a), b)
    if tb is bool:
        return loose_equals(a, to_num(b))
    if ta is float and tb is str:
        return a == str_to_num(b)
    if ta is str and tb is float:
        return str_to_num(a) == b
    if ta in (JSArray, JSObject, JSFunction, Builtin) and tb in (float, str):
        return loose_equals(to_primitive(a), b)
    if tb in (JSArray, JSObject, JSFunction, Builtin) and ta in (float, str):
        return loose_equals(a, to_primitive(b))
    return False


def less_than(a, b):
    """Abstract relational comparison a < b: True, False, or None (undefined)."""
    a, b = to_primitive(a), to_primitive(b)
    if type(a) is str and type(b) is str:
        return a < b
    x, y = to_num(a), to_num(b)
    if x != x or y != y:
        return None
    return x < y


def require_object_key(obj, key, pos):
    if obj is None or obj is UNDEFINED:
        raise JSTypeError(f"Cannot read properties of {to_str(obj)} (reading '{to_str(key)}')", pos)
