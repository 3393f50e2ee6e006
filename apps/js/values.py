"""The JS value model and the abstract operations on it.

number -> Python float (always; never int), BigInt -> int (test with
``type(v) is int``: bool is an int subclass), string -> str, boolean -> bool,
null -> None, undefined -> UNDEFINED, arrays -> JSArray, objects -> JSObject,
functions -> JSFunction / Builtin.
"""

from __future__ import annotations

import math
import re
from array import array

from .errors import JSRangeError, JSTypeError, unpack_pos
from .fdlibm import pow as _fdlibm_pow


class Undefined:
    __slots__ = ()

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "UNDEFINED"  # (the one instance, as a pickled tree must hold it: apps.js.parsecache)


UNDEFINED = Undefined()
NAN = float("nan")
INF = float("inf")


class JSObject:
    """An ordinary object: own properties in insertion order, a prototype
    (``proto``; None for ``Object.create(null)``) and, where a program or
    the engine made some keys non-enumerable, their names in ``hidden``;
    ``native``: its view for compiled code, once it went there (apps.js.shapes)."""

    __slots__ = ("props", "proto", "hidden", "native", "__weakref__")  # (weakly: by its mirror, apps.js.shapes)

    def __init__(self, props: dict | None = None, proto=...) -> None:
        self.props = props if props is not None else {}
        self.proto = OBJECT_PROTO if proto is ... else proto
        self.hidden: set | None = None
        self.native = None

    def get(self, key: str):
        v = find(self, key)
        return UNDEFINED if v is MISSING else v

    def set(self, key: str, value) -> None:
        self.props[key] = value

    def hide(self, key: str, value) -> None:
        """Define a non-enumerable own property (what methods of a class are)."""
        self.props[key] = value
        if self.hidden is None:
            self.hidden = set()
        self.hidden.add(key)

    def keys(self) -> list[str]:
        """Own enumerable string keys in JS order: integer-like keys ascending, then insertion order."""
        hidden = self.hidden or ()
        return in_key_order([k for k in self.props if type(k) is str and k not in hidden])

    def symbol_keys(self) -> list:
        hidden = self.hidden or ()
        return [k for k in self.props if type(k) is JSSymbol and k not in hidden]


def in_key_order(names: list) -> list:
    """String keys in JS's own-key order: integer-like ones ascending, then the rest as inserted."""
    ints = sorted((k for k in names if _is_index(k)), key=int)
    return ints + [k for k in names if not _is_index(k)] if ints else names


class LockedProps(dict):
    """The properties of an object with some locked: read-only keys
    (``defineProperty`` with ``writable: false``), or the whole table after
    Object.preventExtensions (level 1), seal (2) or freeze (3).  Stores that
    would change a read-only value, add a key (1+), remove one (2+) or change
    any value (3) are ignored, as in sloppy-mode JS.  A setter still runs:
    freezing makes data properties read-only, not accessors."""

    __slots__ = ("level", "readonly", "fixed")

    def __init__(self, props: dict, level: int) -> None:
        super().__init__(props)
        self.level = level
        self.readonly: set = set()
        self.fixed: set = set()  # not configurable (what defineProperty leaves out defaults to this)

    def __setitem__(self, k, v) -> None:
        if self.can_store(k):
            dict.__setitem__(self, k, v)

    def can_store(self, k) -> bool:
        if k in self:
            return type(dict.__getitem__(self, k)) is Accessor or (self.level < 3 and k not in self.readonly)
        return self.level < 1

    def writable(self, k) -> bool:
        return self.level < 3 and k not in self.readonly

    def __delitem__(self, k) -> None:
        if self.level < 2 and k not in self.fixed:
            dict.__delitem__(self, k)

    def pop(self, k, *default):
        if self.level < 2 and k not in self.fixed:
            return dict.pop(self, k, *default)
        return dict.get(self, k, *default) if default else dict.__getitem__(self, k)

    def setdefault(self, k, v=None):
        if k not in self:
            self[k] = v
        return dict.get(self, k, v)

    def update(self, *a, **kw) -> None:
        for k, v in dict(*a, **kw).items():
            self[k] = v


def lock(o, level: int):
    """Object.preventExtensions/seal/freeze of ``o``.  A locked array keeps
    its elements in a list (no packed buffer that compiled code or the
    interpreter's fast path could write past the lock)."""
    if type(o) is JSArray:
        o._to_generic()
        o.locked = max(o.locked, level)
    elif isinstance(o, (JSObject, JSFunction, Builtin)):
        props = o.props
        if type(props) is LockedProps:
            props.level = max(props.level, level)
        elif type(props) is dict:
            o.props = LockedProps(props, level)
    return o


def locked_props(o: JSObject) -> LockedProps | None:
    """``o``'s table as a LockedProps (made one if it was a plain dict), or
    None where it is another kind (the global object's view)."""
    props = o.props
    if type(props) is dict:
        props = o.props = LockedProps(props, 0)
    return props if type(props) is LockedProps else None


def lock_level(o) -> int:
    """3 frozen, 2 sealed, 1 not extensible, 0 none (primitives count as frozen)."""
    if not isinstance(o, (JSObject, JSArray, JSFunction, Builtin)):
        return 3
    if type(o) is JSArray:
        return 3 if o.locked and not len(o) and not o.named else o.locked
    props = o.props
    if type(props) is not LockedProps:
        return 0
    if props.level and not props:  # an empty object that cannot grow is sealed and frozen too
        return 3
    return props.level


class JSWrapper(JSObject):
    """``new String(s)`` / ``new Number(n)`` / ``new Boolean(b)``: an object
    holding a primitive, converting back to it (typeof "object"; a String
    wrapper has its characters as properties and a length)."""

    __slots__ = ("value",)

    def __init__(self, value, proto) -> None:
        super().__init__(None, proto)
        self.value = value
        if type(value) is str:
            self.props.update((str(i), c) for i, c in enumerate(value))
            self.hide("length", float(len(value)))


class JSSymbol:
    """A Symbol: a property key no string equals (identity is the value)."""

    __slots__ = ("description",)

    def __init__(self, description) -> None:
        self.description = description

    def __repr__(self) -> str:
        return f"Symbol({'' if self.description is UNDEFINED else self.description})"


SYMBOL_ITERATOR = JSSymbol("Symbol.iterator")
WELL_KNOWN = {"iterator": SYMBOL_ITERATOR, "asyncIterator": JSSymbol("Symbol.asyncIterator"),
              "toStringTag": JSSymbol("Symbol.toStringTag"), "hasInstance": JSSymbol("Symbol.hasInstance"),
              "toPrimitive": JSSymbol("Symbol.toPrimitive")}  # fmt: skip


def prop_key(key):
    """A value used as a property key: a Symbol stays itself, anything else
    becomes its string."""
    t = type(key)
    if t is str or t is JSSymbol:
        return key
    if t is float and key.is_integer() and 0 < key < 2**53:  # the common a[i] on an object
        return str(int(key))
    return to_str(key)


class _Missing:
    __slots__ = ()


MISSING = _Missing()  # "no such property" (distinct from a property holding undefined)
OBJECT_PROTO = None
OBJECT_PROTO = JSObject(proto=None)  # Object.prototype; its methods are added by the runtime
# a function's ``arguments``: an array object (indexable, iterable, with a length) whose
# prototype is Object.prototype's, not Array's -- so Array.isArray(arguments) is false,
# arguments.map is undefined and it prints as [Arguments] [ ... ], as in node
ARGUMENTS_PROTO = JSObject(proto=OBJECT_PROTO)


class Accessor:
    """A getter/setter pair stored as a property's value."""

    __slots__ = ("get", "set")

    def __init__(self, get=None, set=None) -> None:
        self.get, self.set = get, set


def find_holder(o, key) -> tuple:
    """The object on ``o``'s prototype chain (``o`` first) that has ``key``,
    and its value unconverted; (None, MISSING) if none has it."""
    while o is not None:
        v = o.props.get(key, MISSING)
        if v is not MISSING:
            return o, v
        o = o.proto
    return None, MISSING


def find(o, key):
    """The property ``key`` on ``o`` or up its prototype chain, unconverted
    (an Accessor stays one); MISSING if there is none."""
    while o is not None:
        v = o.props.get(key, MISSING)
        if v is not MISSING:
            return v
        o = o.proto
    return MISSING


class JSErrorObject(JSObject):
    """An Error (or TypeError, RangeError, ...): ``message`` and ``stack`` are
    own properties but, as in JS, not enumerable ones -- they live beside
    ``props``; ``name`` is the prototype's unless the program sets one.  The
    stack's first line is made when first read, as V8 does, so a subclass
    that sets ``this.name`` after ``super()`` sees its own name there."""

    __slots__ = ("name", "message", "_stack", "where")

    HIDDEN = ("name", "message", "stack")

    def __init__(self, name: str, message: str, where: str = "<anonymous>", proto=...) -> None:
        super().__init__(None, ERROR_PROTOS.get(name, OBJECT_PROTO) if proto is ... else proto)
        self.name, self.message = name, message
        self._stack = None
        self.where = where

    @property
    def stack(self) -> str:
        if self._stack is None:
            name, message = to_str(self.name), to_str(self.message)
            head = f"{name}: {message}" if message else name
            self._stack = f"{head}\n    at {self.where}"
        return self._stack

    @stack.setter
    def stack(self, v) -> None:
        self._stack = v

    def get(self, key: str):
        if key in self.props:
            return self.props[key]
        if key in self.HIDDEN:
            return getattr(self, key)
        return JSObject.get(self, key)


ERROR_PROTOS: dict = {}  # error name -> its prototype object (filled by the runtime)


def same_value_zero(v):
    """The key Map and Set compare by: NaN is itself, -0 is +0, objects by
    identity, primitives by value (and type)."""
    t = type(v)
    if t is float:
        return ("n", "nan" if v != v else v + 0.0)
    if t is str or t is bool:
        return (t.__name__, v)
    if t is int:  # not ("n", 1.0): 1n and 1 are different keys
        return ("b", v)
    if v is None or v is UNDEFINED:
        return ("u", v is None)
    return ("o", id(v))


class JSMap:
    """A Map: insertion-ordered (key, value) pairs under their SameValueZero key.
    ``proto`` is None for Map.prototype, else a subclass's prototype object
    (``class M extends Map``); ``named`` holds properties a program sets."""

    __slots__ = ("data", "proto", "named")

    def __init__(self) -> None:
        self.data: dict = {}
        self.proto = None
        self.named: dict | None = None


class JSIterator:
    """What Map/Set keys(), values() and entries() return: a one-pass
    iterator (``next()``, for-of, Array.from) over a snapshot."""

    __slots__ = ("items", "i", "label")

    def __init__(self, items: list, label: str) -> None:
        self.items, self.i, self.label = items, 0, label


class JSSet:
    __slots__ = ("data", "proto", "named")  # (proto, named: as JSMap's)

    def __init__(self) -> None:
        self.data: dict = {}  # SameValueZero key -> value
        self.proto = None
        self.named: dict | None = None


def _is_index(k: str) -> bool:
    """Whether ``k`` is an array index as JS writes one: ASCII digits, no
    leading zero, below 2**32 - 1 ("01", "\u0661" and "\u00b2" are plain
    keys; str.isdigit alone takes all three)."""
    return k.isascii() and k.isdigit() and (k == "0" or not k.startswith("0")) and int(k) < 2**32 - 1


_ZEROS = array("d", bytes(32))


class HOLE_T:
    """An array element never set (``new Array(3)``, ``a[5] = x`` past the
    end): read as undefined, but not an own property."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<hole>"


HOLE = HOLE_T()


class JSArray:
    """An array.  Its elements are *packed* while they are all of one
    native-friendly kind -- doubles, or booleans (``bools``; stored 1.0/0.0)
    -- in an ``array('d')`` that compiled code reads through ``desc``, and
    a Python list once anything else is stored (kinds only ever move to the
    list, as V8's elements kinds only generalise).  ``buf`` has spare
    capacity; ``n`` elements are in use.  (No numpy: nothing to import at
    start-up, and cheaper to index from the interpreter.)  ``proto`` is None
    for Array.prototype, else a subclass's prototype object (an instance
    of ``class Stack extends Array``).  ``site``, set only on an array a
    ``[]`` made (apps.js.ast.ArrayLit) until it is given an element: the
    first one is noted on the site (``held``), as V8's allocation sites learn
    their arrays' elements kind, and the JIT types an empty array from its
    site (jittypes.value_type) -- an empty array's own kind says nothing."""

    __slots__ = (
        "buf", "n", "items", "desc", "addr", "named", "bools", "proto", "locked", "mixed", "site", "__weakref__"
    )  # fmt: skip

    def __init__(self, items: list | None = None) -> None:
        items = items if items is not None else []
        self.named: dict | None = None  # non-index properties a program sets (a.tag = 1)
        self.proto = None
        self.locked = 0  # Object.preventExtensions 1, seal 2, freeze 3 (see LockedProps)
        self.bools = False
        if all(type(v) is float for v in items):
            self._pack(array("d", items), len(items))
        elif all(type(v) is bool for v in items):
            self.bools = True
            self._pack(array("d", [1.0 if v else 0.0 for v in items]), len(items))
        else:
            self.items = list(items)
            self.buf = None
            self.desc = None
            self.addr = 0

    def _pack(self, buf: array, n: int) -> None:
        self.items = None
        self.n = n
        self.buf = buf
        if len(buf) < 4:
            buf.extend(_ZEROS[: 4 - len(buf)])
        self.desc = array("q", (0, 0, 0))  # data pointer, length, capacity (apps.js.codegen's push)
        self.addr = self.desc.buffer_info()[0]  # what compiled code is handed
        self._sync()

    @classmethod
    def of_doubles(cls, n: int, value: float, bools: bool) -> JSArray:
        """n copies of a double (of a boolean, as 1.0 / 0.0), packed: the
        array compiled code allocates, built without ``__init__``'s scan of
        items it already knows the kind of."""
        a = cls.__new__(cls)
        a.named = a.proto = a.items = None
        a.locked = 0
        a.bools = bools
        a.n = n
        a.buf = buf = array("d", (value,)) * max(n, 4)
        a.desc = desc = array("q", (buf.buffer_info()[0], n, len(buf)))
        a.addr = desc.buffer_info()[0]
        return a

    @classmethod
    def of_buffer(cls, buf: array, bools: bool) -> JSArray:
        """A packed array of the doubles in ``buf`` (1.0 / 0.0 for booleans),
        which it keeps: one compiled code built in its arena, copied out."""
        a = cls.__new__(cls)
        a.named = a.proto = None
        a.locked = 0
        a.bools = bools
        a._pack(buf, len(buf))
        return a

    def refill_packed(self, buf: array, n: int) -> None:
        """This packed array's elements are now the first ``n`` doubles in
        ``buf`` (its descriptor kept: whatever holds its address still finds it)."""
        if len(buf) < 4:
            buf.extend(_ZEROS[: 4 - len(buf)])
        self.items, self.buf, self.n = None, buf, n
        self._sync()

    @classmethod
    def filled(cls, n: int, value) -> JSArray:
        """n copies of value: packed for a number or a boolean, else a list
        made at once (``new Array(n)``'s holes: no packed buffer and
        descriptor built only to be dropped -- a fifth of a tree builder's
        time, AWFY's Storage)."""
        t = type(value)
        if t is float or t is bool:
            return cls.of_doubles(n, float(value), t is bool)
        a = cls.__new__(cls)
        a.named = a.proto = a.buf = a.desc = None
        a.locked = a.addr = 0
        a.bools = False
        a.items = [value] * n
        return a

    def refill(self, n: int, value) -> JSArray:
        """Make this array n copies of value (``fill`` over the whole array),
        packed when value's kind allows, whatever it held before."""
        t = type(value)
        if t is float or t is bool:
            buf = array("d", (float(value),)) * max(n, 4)
            if self.desc is None:
                self._pack(buf, n)
            else:  # (its descriptor, stale or not, describes the new buffer)
                self.refill_packed(buf, n)
            self.bools = t is bool
        else:
            self._to_generic()
            self.items = [value] * n
        return self

    def _sync(self) -> None:
        self.desc[0] = self.buf.buffer_info()[0]
        self.desc[1] = self.n
        self.desc[2] = len(self.buf)  # (compiled code pushes in place while there is room: apps.js.tier.pushed)

    def _to_generic(self) -> None:
        if self.items is None:
            items = self.buf[: self.n].tolist()
            self.items = [v != 0.0 for v in items] if self.bools else items
            self.buf = None
            self.bools = False
            if self.desc is not None:
                self.desc[1] = -1  # native code holding this array sees it is no longer packed

    def repack(self) -> bool:
        """Pack a list of elements that are all numbers (or all booleans)
        again -- ``new Array(n)`` filled by index is such a list, and compiled
        code reads only packed arrays.  Called where the JIT looks at an
        array (a unit's entry, call feedback), so the interpreter's own paths
        keep their cost; whether the array is packed now.  The element that
        kept it a list is remembered: while it is still there the answer is
        no without a scan (a compiled function called on a long mixed array
        would otherwise scan it at every call)."""
        items = self.items
        if items is None:
            return True
        if not items or self.locked:  # (a locked array stays a list: values.lock)
            return False
        t = type(items[0])
        if t is not float and t is not bool:
            return False
        k = getattr(self, "mixed", 0)  # (set only by a scan that failed: no constructor pays for it)
        if 0 < k < len(items) and type(items[k]) is not t:
            return False
        if not all(type(x) is t for x in items):
            self.mixed = next(j for j, x in enumerate(items) if type(x) is not t)
            return False
        buf = array("d", items) if t is float else array("d", [1.0 if x else 0.0 for x in items])
        if self.desc is None:
            self._pack(buf, len(items))
        else:  # (a descriptor compiled code saw go generic, length -1: it describes the new buffer)
            self.items, self.buf, self.n = None, buf, len(items)
            if len(buf) < 4:
                buf.extend(_ZEROS[: 4 - len(buf)])
            self._sync()
        self.bools = t is bool
        return True

    def _fits(self, value) -> bool:
        """Whether value can be stored packed (its kind is this array's)."""
        return type(value) is (bool if self.bools else float)

    @property
    def packed(self) -> bool:
        return self.items is None

    def __len__(self) -> int:
        return self.n if self.items is None else len(self.items)

    def get(self, i: int):
        if self.items is None:
            if 0 <= i < self.n:
                v = self.buf[i]
                return v != 0.0 if self.bools else v
            return UNDEFINED
        return self.items[i] if 0 <= i < len(self.items) else UNDEFINED

    def set(self, i: int, value) -> None:
        if self.items is None:
            if i == self.n:  # (an append: push's, which gives an empty array its first element's kind)
                self.push(value)
                return
            if self._fits(value) and 0 <= i < self.n:
                self.buf[i] = float(value)
                return
            self._to_generic()
        items = self.items
        if i < len(items):
            items[i] = value
        else:
            items.extend([UNDEFINED] * (i - len(items)))
            items.append(value)

    def _first(self, value) -> None:
        """An empty packed array given its first element takes its kind (a
        boolean's), and tells its ``[]`` site what it holds (``site``)."""
        site = getattr(self, "site", None)  # (unset but on a ``[]``'s: read as None)
        if site is not None:
            self.site = None
            if site.held is None:
                site.held = type(value)
        if type(value) is bool:
            self.bools = True

    def push(self, value) -> None:
        if self.items is None:
            if self.n == 0:
                self._first(value)
            if self._fits(value):
                if self.n == len(self.buf):
                    self.buf.extend(self.buf)  # double the capacity (the copy is spare room)
                self.buf[self.n] = float(value)
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
            v = self.buf[self.n]
            return v != 0.0 if self.bools else v
        if not self.items:
            return UNDEFINED
        v = self.items.pop()
        return UNDEFINED if v is HOLE else v  # (a hole reads as undefined, as get_elem's)

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
            self.items.extend([HOLE] * (n - len(self.items)))

    def values(self) -> list:
        if self.items is None:
            v = self.buf[: self.n].tolist()
            return [x != 0.0 for x in v] if self.bools else v
        return list(self.items)


class JSFunction:
    """A user function: its compiled body and captured environment.

    ``kind``: "function" (callable and constructible), "arrow" and "method"
    (callable only), "class" and "derived" (constructible only).  ``home`` is
    the object a method's ``super`` looks past; ``parent`` the class a
    derived class extends; ``fields`` runs a class's field initialisers on a
    new instance; ``proto`` is the function's own prototype (a parent class,
    for inherited statics) when not Function.prototype."""

    __slots__ = (
        "name", "nparams", "code", "env", "node", "calls", "feedback", "native", "loops", "props",
        "kind", "home", "parent", "fields", "proto", "prototype", "hidden", "body", "source",
    )  # fmt: skip

    def __init__(self, name: str, nparams: int, code, env, node, kind: str = "function") -> None:
        self.props: dict = {}  # properties a program sets on the function (f.x = 1)
        self.name = name
        self.nparams = nparams
        self.code = code  # code(args list, this) -> value
        self.env = env
        self.node = node
        self.calls = 0
        self.feedback = None
        self.native = None
        self.loops = 0
        self.kind = kind
        self.home = None
        self.parent = None
        self.fields = None
        self.proto = None
        self.prototype = None  # made on first use for plain functions
        self.hidden: set | None = None
        self.body = None  # a class's constructor body: body(args, this); its ``code`` refuses calls without new
        self.source = None  # a class's node (its text is the class's); a function's is its template's

    def get_prototype(self):
        """``F.prototype``: made on first use ({constructor: F}, non-enumerable)."""
        p = self.prototype
        if p is None and self.kind == "function":
            p = self.prototype = JSObject()
            p.hide("constructor", self)
        return UNDEFINED if p is None else p


class Builtin:
    """A function implemented in Python: ``fn(args)``, or, for methods that
    need their receiver, ``fn(this, args)`` (``method=True``)."""

    __slots__ = ("name", "fn", "props", "method", "prototype", "target", "construct")

    def __init__(self, name: str, fn, props: dict | None = None, method: bool = False) -> None:
        self.name = name
        self.fn = fn
        self.props = props or {}
        self.method = method
        self.prototype = None  # what instances inherit from (Error.prototype, ...)
        self.target = None  # a bound function's target
        self.construct = None  # construct(args, pos) for builtins that ``new`` makes


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


class JSProxy(JSObject):
    """``new Proxy(target, handler)``.  The runtime's property operations,
    calls and construction consult the handler's traps; everything else
    (printing, JSON, Object.keys without an ownKeys trap) sees the target,
    whose property table a proxy of a plain object shares."""

    __slots__ = ("target", "handler")

    def __init__(self, target, handler) -> None:
        super().__init__(target.props if isinstance(target, JSObject) else {}, getattr(target, "proto", None))
        self.target, self.handler = target, handler


def typeof(v) -> str:
    t = type(v)
    if t is JSProxy:
        return typeof(v.target) if typeof(v.target) == "function" else "object"
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
    if t is JSSymbol:
        return "symbol"
    if t is int:
        return "bigint"
    return "object"


_LINE_STARTS: dict = {}  # id(text) -> (text, offsets of its lines): one program's, built on first use


def function_text(fn: JSFunction) -> str | None:
    """A function's source text, as Function.prototype.toString gives it
    (None for one made without source)."""
    node = fn.source if fn.source is not None else getattr(fn.node, "node", None)
    src = getattr(node, "src", None)
    if src is None:
        return None
    pos = getattr(node, "start", None) or node.pos
    line, col = unpack_pos(pos) if type(pos) is int else pos
    entry = _LINE_STARTS.get(id(src))
    if entry is None or entry[0] is not src:
        _LINE_STARTS.clear()
        entry = _LINE_STARTS[id(src)] = (src, [0] + [m.end() for m in re.finditer("\n", src)])
    return src[entry[1][line - 1] + col - 1 : node.end]


def to_str(v) -> str:
    t = type(v)
    if t is str:
        return v
    if t is JSWrapper:
        return to_str(v.value)
    if t is float:
        return num_to_str(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return bigint_to_str(v)
    if v is None:
        return "null"
    if v is UNDEFINED:
        return "undefined"
    if t is JSArray:
        if v.proto is not None:  # a subclass's instance: its (maybe overridden) toString
            return to_str(to_primitive(v, "string"))
        return join_elements(v, ",")
    if t is JSObject or t is JSErrorObject or t.__name__ == "JSDate":
        return to_str(to_primitive(v, "string"))
    if (t is JSMap or t is JSSet) and v.proto is not None:
        return to_str(to_primitive(v, "string"))
    if t is JSMap:
        return "[object Map]"
    if t is JSSymbol:
        return repr(v)
    if type(v).__name__ == "JSRegExp":
        return str(v)
    if type(v).__name__ == "JSTypedArray":
        return ",".join(num_to_str(x) for x in v.values())
    if t is JSIterator:  # (inspect shows entries() as "[Map Entries]"; its tag is still the Iterator's)
        return f"[object {v.label.replace(' Entries', ' Iterator')}]"
    if t is JSSet:
        return "[object Set]"
    if t is JSFunction:
        text = function_text(v)
        if text is not None:
            return text
        if v.kind in ("class", "derived"):
            return f"class {v.name} {{ [code] }}"
        return f"function {v.name}() {{ [code] }}"
    if t is Builtin:  # (a bound function's text names no function)
        return f"function {'' if v.name.startswith('bound ') else v.name}() {{ [native code] }}"
    # the other objects (generators, array buffers): Object.prototype.toString's
    # text -- never Python's repr of the engine's class
    return "[object " + _OTHER_TAGS.get(t.__name__, "Object") + "]"


_OTHER_TAGS = {"JSGenerator": "Generator", "JSAsyncGenerator": "AsyncGenerator", "JSArrayBuffer": "ArrayBuffer"}


def bigint_to_str(v: int) -> str:
    """A BigInt's decimal digits, however many (Python's str() refuses
    past a few thousand digits: then halves are converted separately)."""
    if v < 0:
        return "-" + bigint_to_str(-v)
    try:
        return str(v)
    except ValueError:
        k = v.bit_length() * 3 // 20  # about half the digits (log10(2) ~ 0.3)
        hi, lo = divmod(v, 10**k)
        return bigint_to_str(hi) + bigint_to_str(lo).zfill(k)


def parse_decimal(s: str) -> int:
    """int(s) for a string of decimal digits of any length (see bigint_to_str)."""
    try:
        return int(s)
    except ValueError:
        if len(s) < 4000:
            raise
        k = len(s) // 2
        return parse_decimal(s[:-k]) * 10**k + parse_decimal(s[-k:])


def str_to_bigint(s: str) -> int | None:
    """StringToBigInt: decimal with an optional sign, or 0x/0o/0b digits;
    blank is 0n; None if the text is not one (no n suffix, no fraction)."""
    s = s.strip(JS_SPACE)
    if not s:
        return 0
    if s[:2].lower() in ("0x", "0o", "0b"):
        return prefixed_int(s)
    body = s[1:] if s[0] in "+-" else s
    if not body or not all("0" <= c <= "9" for c in body):
        return None
    return -parse_decimal(body) if s[0] == "-" else parse_decimal(body)


def bigint_to_num(v: int) -> float:
    """Number(big): the nearest double, or an infinity past the largest."""
    try:
        return float(v)
    except OverflowError:
        return INF if v > 0 else -INF


# JS's WhiteSpace and LineTerminator (what trim removes): Python's strip()
# misses U+FEFF and takes U+001C..U+001F and U+0085, which JS does not
JS_SPACE = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# The literals strings are read as, ASCII digits only (Python's float() and
# int() take any script's digits, underscores and their own white space):
# an unsigned decimal (parseFloat reads its longest prefix), 0x/0o/0b
DECIMAL = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_DECIMAL = re.compile(r"[+-]?" + DECIMAL)
_PREFIXED = re.compile(r"0(?:[xX]([0-9a-fA-F]+)|[oO]([0-7]+)|[bB]([01]+))")


def prefixed_int(s: str) -> int | None:
    """The value of ``s`` if it is a 0x, 0o or 0b literal, else None."""
    m = _PREFIXED.fullmatch(s)
    if m is None:
        return None
    hexa, octal, binary = m.groups()
    return int(hexa, 16) if hexa else int(octal, 8) if octal else int(binary, 2)


def str_to_num(s: str) -> float:
    s = s.strip(JS_SPACE)
    if not s:
        return 0.0
    if _DECIMAL.fullmatch(s):
        return float(s)
    if (k := prefixed_int(s)) is not None:
        return float(k)
    if s in ("Infinity", "+Infinity"):
        return INF
    return -INF if s == "-Infinity" else NAN


def to_num(v) -> float:
    t = type(v)
    if t is float:
        return v
    if t is int:  # ToNumber never converts a BigInt implicitly (Number(big) does, explicitly)
        raise JSTypeError("Cannot convert a BigInt value to a number")
    if t is JSWrapper:
        return to_num(v.value)
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
    if t is JSObject or t is JSErrorObject or t.__name__ == "JSDate":
        return to_num(to_primitive(v, "number"))
    if t is JSSymbol:
        raise JSTypeError("Cannot convert a Symbol value to a number")
    return NAN


def truthy(v) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is float:
        return not (v == 0 or v != v)
    if t is str:
        return v != ""
    if t is int:
        return v != 0
    return not (v is None or v is UNDEFINED)


def to_integer(v) -> int:
    """ToIntegerOrInfinity as a Python int: NaN is 0 and the infinities are
    clamped to +-2**53, past every index and length, so the code that clamps
    positions treats them as JS does and nothing converts an infinity."""
    x = to_num(v)
    if x != x:
        return 0
    return int(max(min(x, 9007199254740992.0), -9007199254740992.0))


def to_int32(x: float) -> int:
    if x != x or x in (INF, -INF):
        return 0
    n = int(x) & 0xFFFFFFFF
    return n - 0x100000000 if n & 0x80000000 else n


def to_uint32(x: float) -> int:
    if x != x or x in (INF, -INF):
        return 0
    return int(x) & 0xFFFFFFFF


CALL = None  # set by the runtime: CALL(fn, this, args) -> value (for valueOf/toString)


def to_primitive(v, hint: str = "default"):
    """ToPrimitive: an object's valueOf/toString (either order by ``hint``),
    arrays and functions by their text, primitives as they are."""
    t = type(v)
    if t is JSWrapper:
        return v.value
    if isinstance(v, JSObject):  # [Symbol.toPrimitive](hint) first, where an object has one
        exotic = find(v, WELL_KNOWN["toPrimitive"])
        if exotic is not MISSING and exotic is not UNDEFINED and exotic is not None:
            if type(exotic) is not JSFunction and type(exotic) is not Builtin:
                raise JSTypeError("Symbol.toPrimitive is not a function")
            r = CALL(exotic, v, [hint])
            if isinstance(r, (JSObject, JSArray, JSFunction, Builtin)):
                raise JSTypeError("Cannot convert object to primitive value")
            return r
    if t is JSObject or t is JSErrorObject or t.__name__ == "JSDate":
        if hint == "default" and t.__name__ == "JSDate":
            hint = "string"  # a Date's default is its text (date + 1 concatenates)
        for name in ("toString", "valueOf") if hint == "string" else ("valueOf", "toString"):
            fn = find(v, name)
            if type(fn) is JSFunction or type(fn) is Builtin:
                r = CALL(fn, v, [])
                if not isinstance(r, (JSObject, JSArray, JSFunction, Builtin)):
                    return r
        raise JSTypeError("Cannot convert object to primitive value")
    if (t is JSArray or t is JSMap or t is JSSet) and v.proto is not None:  # a subclass's instance
        for name in ("toString", "valueOf") if hint == "string" else ("valueOf", "toString"):
            fn = find(v.proto, name)
            if type(fn) is JSFunction or type(fn) is Builtin:
                r = CALL(fn, v, [])
                if not isinstance(r, (JSObject, JSArray, JSFunction, Builtin)):
                    return r
        raise JSTypeError("Cannot convert object to primitive value")
    if t is JSArray or t is JSFunction or t is Builtin:
        return to_str(v)
    return v


class StrBuf:
    """A string being built by repeated ``s += x`` (held in a variable's slot
    instead of a str): appends are amortised O(1), where str + str copies
    the whole string each time.  Reads of such a variable call value()."""

    __slots__ = ("parts", "n")

    def __init__(self, first: str) -> None:
        self.parts = [first]
        self.n = len(first)

    def append(self, s: str) -> None:
        n = self.n + len(s)
        if n > MAX_STRING:
            from .errors import JSRangeError

            raise JSRangeError("Invalid string length")
        self.parts.append(s)
        self.n = n

    def value(self) -> str:
        parts = self.parts
        if len(parts) > 1:
            s = "".join(parts)
            self.parts = [s]
            return s
        return parts[0]


STRBUF_MIN = 64  # below this length a plain str is cheaper


MAX_STRING = 2**29 - 24  # V8's longest string on 64-bit: past it, node throws


def implicit_str(v) -> str:
    """ToString where the program did not ask for one (a template, ``+``):
    a Symbol is a TypeError there, though String(symbol) is its text."""
    if type(v) is JSSymbol:
        from .errors import JSTypeError

        raise JSTypeError("Cannot convert a Symbol value to a string")
    return to_str(v)


def join_elements(a, sep: str) -> str:
    """Array.prototype.join's text: null, undefined and holes as empty
    strings, a Symbol a TypeError (an implicit ToString)."""
    return bounded(sep.join("" if (x is None or x is UNDEFINED or x is HOLE) else implicit_str(x) for x in a.values()))


def bounded(s):
    """A string a builtin made, if node could make it: past V8's longest, a RangeError."""
    if type(s) is str and len(s) > MAX_STRING:
        from .errors import JSRangeError

        raise JSRangeError("Invalid string length")
    return s


def js_add(a, b):
    ta, tb = type(a), type(b)
    if ta is float and tb is float:
        return a + b
    a, b = to_primitive(a), to_primitive(b)
    if type(a) is JSSymbol or type(b) is JSSymbol:
        from .errors import JSTypeError

        what = "string" if type(a) is str or type(b) is str else "number"
        raise JSTypeError(f"Cannot convert a Symbol value to a {what}")
    if type(a) is str or type(b) is str:
        sa, sb = to_str(a), to_str(b)
        if len(sa) + len(sb) > MAX_STRING:  # checked before the copy is made
            from .errors import JSRangeError

            raise JSRangeError("Invalid string length")
        return sa + sb
    return numeric_op(a, b, float.__add__, int.__add__)


MIX_ERROR = "Cannot mix BigInt and other types, use explicit conversions"
MAX_BIGINT_BITS = 2**30  # V8's limit: a result past it is a RangeError, not a hang


def to_numeric(v):
    """ToNumeric: a BigInt stays one, anything else becomes a Number."""
    t = type(v)
    if t is float or t is int:
        return v
    v = to_primitive(v, "number")
    return v if type(v) is int else to_num(v)


def numeric_op(a, b, num_op, big_op):
    """An arithmetic operator: num_op on two Numbers, big_op on two
    BigInts; one of each is a TypeError (JS never converts implicitly)."""
    x, y = to_numeric(a), to_numeric(b)
    tx, ty = type(x), type(y)
    if tx is float and ty is float:
        return num_op(x, y)
    if tx is int and ty is int:
        return big_op(x, y)
    raise JSTypeError(MIX_ERROR)


def big_div(a: int, b: int) -> int:
    """BigInt /: truncates toward zero (Python's // floors)."""
    if b == 0:
        raise JSRangeError("Division by zero")
    q = abs(a) // abs(b)
    return -q if (a < 0) != (b < 0) else q


def big_mod(a: int, b: int) -> int:
    """BigInt %: the remainder takes the dividend's sign."""
    if b == 0:
        raise JSRangeError("Division by zero")
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def big_pow(a: int, b: int) -> int:
    if b < 0:
        raise JSRangeError("undefined must be positive")  # (node 20's text for a negative exponent)
    if abs(a) > 1 and (a.bit_length() - 1) * b > MAX_BIGINT_BITS:
        raise JSRangeError("Maximum BigInt size exceeded")
    return a**b


def big_shl(a: int, b: int) -> int:
    if b < 0:
        return a >> -b
    if a and b > MAX_BIGINT_BITS:
        raise JSRangeError("Maximum BigInt size exceeded")
    return a << b


def big_shr(a: int, b: int) -> int:
    return big_shl(a, -b)  # (Python's >> floors, as BigInt >> does)


def big_ushr(a: int, b: int) -> int:
    raise JSTypeError("BigInts have no unsigned right shift, use >> instead")


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
    """``a ** b`` as V8 computes it (fdlibm's pow, not the C library's).
    Where fdlibm's result is exact -- a power of two, or an integer to a
    non-negative integer power that fits in 53 bits -- it is computed
    directly, as the common ``2 ** k`` and ``10 ** n`` are."""
    if b == 2.0:
        return a * a
    if b.is_integer() and abs(b) <= 1100.0 and a.is_integer():
        if a == 2.0:
            return math.ldexp(1.0, int(b)) if -1074 <= b <= 1023 else _fdlibm_pow(a, b)
        if 0 < b <= 64 and abs(a) <= 2.0**53:
            r = int(a) ** int(b)
            if -(2**53) <= r <= 2**53 and (r != 0 or a != 0):
                return float(r)
    return _fdlibm_pow(a, b)


def strict_equals(a, b) -> bool:
    ta, tb = type(a), type(b)
    if ta is float and tb is float:
        return a == b
    if ta is not tb:
        return False
    if ta is str or ta is bool or ta is int:
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
    if (ta is int and tb is float) or (ta is float and tb is int):
        return a == b  # Python compares int with float exactly; NaN and infinities equal no int
    if ta is int and tb is str:
        return a == str_to_bigint(b)
    if ta is str and tb is int:
        return str_to_bigint(a) == b
    if ta in (JSArray, JSObject, JSErrorObject, JSFunction, Builtin, JSWrapper) and tb in (float, str, int):
        return loose_equals(to_primitive(a), b)
    if tb in (JSArray, JSObject, JSErrorObject, JSFunction, Builtin, JSWrapper) and ta in (float, str, int):
        return loose_equals(a, to_primitive(b))
    return False


def less_than(a, b):
    """Abstract relational comparison a < b: True, False, or None (undefined)."""
    a, b = to_primitive(a), to_primitive(b)
    ta, tb = type(a), type(b)
    if ta is str and tb is str:
        return a < b
    if ta is int and tb is str:  # a BigInt against a string: the string as a BigInt
        b = str_to_bigint(b)
        return None if b is None else a < b
    if ta is str and tb is int:
        a = str_to_bigint(a)
        return None if a is None else a < b
    x, y = to_numeric(a), to_numeric(b)
    if x != x or y != y:
        return None
    return x < y  # (an int against a float: Python compares them exactly, as JS does)


def require_object_key(obj, key, pos):
    if obj is None or obj is UNDEFINED:
        raise JSTypeError(f"Cannot read properties of {to_str(obj)} (reading '{to_str(key)}')", pos)
