"""Property access, method calls, construction and the global builtins."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from array import array

from . import asyncgen as AGEN
from . import fdlibm as FDLIBM
from . import generators as GEN
from . import numbers as NUM
from . import promises, utf16
from . import reflect as REFLECT
from . import regex as RX
from . import typed as TA
from . import uri as URI
from . import values as V
from . import weak as WEAK
from .bigint import make_bigint
from .errors import JSError, JSRangeError, JSThrow, JSTypeError, ProgramExit
from .inspect import format_args
from .jsonlib import make_json
from .sortkeys import key_order
from .values import (
    ERROR_PROTOS,
    HOLE,
    JS_SPACE,
    MAX_STRING,
    MISSING,
    NAN,
    OBJECT_PROTO,
    SYMBOL_ITERATOR,
    UNDEFINED,
    WELL_KNOWN,
    Accessor,
    Builtin,
    JSArray,
    JSErrorObject,
    JSFunction,
    JSIterator,
    JSMap,
    JSObject,
    JSSet,
    JSSymbol,
    num_to_str,
    prop_key,
    same_value_zero,
    strict_equals,
    to_int32,
    to_integer,
    to_num,
    to_str,
    to_uint32,
    truthy,
    typeof,
)


def _index(k) -> int:
    """Array index of a key, or -1."""
    if type(k) is float:
        i = int(k) if k == k and abs(k) < 2**53 else -1
        return i if i == k and i >= 0 else -1
    if type(k) is str and V._is_index(k):
        return int(k)
    return -1


class XorShift:
    """Math.random: deterministic for a given seed (xorshift128+).  Its two
    words live in a buffer at ``address`` that compiled code steps too
    (apps.js.codegen's Math.random, its stores logged): one sequence
    whichever tier draws, rolled back with the rest of a failed run."""

    def __init__(self, seed: int) -> None:
        s0 = (seed * 0x9E3779B97F4A7C15 + 1) & 0xFFFFFFFFFFFFFFFF or 1
        s1 = (s0 ^ 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF or 2
        self.state = array("Q", (s0, s1))
        self.address = self.state.buffer_info()[0]

    def random(self) -> float:
        st = self.state
        s1, s0 = st[0], st[1]
        s1 ^= (s1 << 23) & 0xFFFFFFFFFFFFFFFF
        s1 ^= s1 >> 17
        s1 ^= s0
        s1 ^= s0 >> 26
        st[0], st[1] = s0, s1
        return ((s0 + s1) & 0xFFFFFFFFFFFFF) / float(1 << 52)


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
            "toLocaleString": self._array_to_locale_string,
            "indexOf": self._index_of,
            "includes": self._includes,
            "slice": self._slice,
            "reverse": self._reverse,
            "toReversed": lambda a, args: JSArray(_dense(a)[::-1]),
            "toSorted": lambda a, args: self._sort(JSArray(_dense(a)), args),
            "toSpliced": lambda a, args: (lambda c: (self._splice(c, args), c)[1])(JSArray(_dense(a))),
            "with": self._with,
            "copyWithin": self._copy_within,
            "map": self._map,
            "forEach": self._for_each,
            "filter": lambda a, args: JSArray([x for i, x in _present(a) if truthy(self._cb(args, x, i, a))]),
            "some": lambda a, args: any(truthy(self._cb(args, x, i, a)) for i, x in _present(a)),
            "every": lambda a, args: all(truthy(self._cb(args, x, i, a)) for i, x in _present(a)),
            "find": self._find,
            "findIndex": self._find_index,
            "reduce": self._reduce,
            "concat": self._concat,
            "sort": self._sort,
            "shift": self._shift,
            "unshift": self._unshift,
            "entries": lambda a, args: JSIterator(
                [JSArray([float(i), x]) for i, x in enumerate(self._elements(a))], "Array Iterator"
            ),
            "keys": lambda a, args: JSIterator([float(i) for i in range(len(a))], "Array Iterator"),
            "values": lambda a, args: JSIterator(self._elements(a), "Array Iterator"),
            "lastIndexOf": self._last_index_of,
            "at": lambda a, args: _at(self._elements(a), args),
            "flat": lambda a, args: JSArray(
                _flat(a.values(), 1 if not args or args[0] is UNDEFINED else to_num(args[0]))
            ),
            "flatMap": lambda a, args: JSArray(_flat([self._cb(args, x, i, a) for i, x in _present(a)], 1)),
            "findLast": lambda a, args: next(
                (x for i, x in _visited(a, reverse=True) if truthy(self._cb(args, x, i, a))), UNDEFINED
            ),
            "findLastIndex": lambda a, args: next(
                (float(i) for i, x in _visited(a, reverse=True) if truthy(self._cb(args, x, i, a))), -1.0
            ),
            "reduceRight": lambda a, args: self._reduce(a, args, from_right=True),
            "toString": lambda a, args: self._join(a, []),
            "splice": self._splice,
        }
        self.string_methods = {
            "charAt": lambda s, a: _char_at(s, a),
            "charCodeAt": lambda s, a: float(ord(_char_at(s, a))) if _char_at(s, a) else NAN,
            "indexOf": lambda s, a: float(s.find(to_str(a[0]) if a else "undefined", _pos_arg(a, 1, len(s), 0))),
            "slice": self._str_slice,
            "toUpperCase": lambda s, a: utf16.via_code_points(s, str.upper),
            "toLowerCase": lambda s, a: utf16.via_code_points(s, str.lower),
            "toLocaleUpperCase": lambda s, a: _locale_case(s, a, str.upper, "toLocaleUpperCase"),
            "toLocaleLowerCase": lambda s, a: _locale_case(s, a, str.lower, "toLocaleLowerCase"),
            "split": lambda s, a: RX.split(s, a[0] if a else UNDEFINED, a[1] if len(a) > 1 else UNDEFINED),
            "replace": lambda s, a: self._replace(s, a, False),
            "replaceAll": lambda s, a: self._replace(s, a, True),
            "match": lambda s, a: RX.match(self._as_regex(a, ""), s),
            "matchAll": lambda s, a: JSIterator(RX.match_all(self._as_regex(a, "g"), s), "RegExp String Iterator"),
            "search": lambda s, a: RX.search(self._as_regex(a, ""), s),
            "trim": lambda s, a: s.strip(JS_SPACE),
            "repeat": _repeat,
            "substring": lambda s, a: _substring(s, a),
            "substr": _substr,
            "startsWith": lambda s, a: s.startswith(to_str(a[0]) if a else "undefined", _pos_arg(a, 1, len(s), 0)),
            "endsWith": lambda s, a: s[: _pos_arg(a, 1, len(s), len(s))].endswith(to_str(a[0]) if a else "undefined"),
            "includes": lambda s, a: (to_str(a[0]) if a else "undefined") in s[_pos_arg(a, 1, len(s), 0) :],
            "padStart": lambda s, a: _pad(s, a, True),
            "padEnd": lambda s, a: _pad(s, a, False),
            "trimStart": lambda s, a: s.lstrip(JS_SPACE),
            "trimEnd": lambda s, a: s.rstrip(JS_SPACE),
            "lastIndexOf": lambda s, a: _str_last_index_of(s, a),
            "at": lambda s, a: _at(s, a),
            "codePointAt": lambda s, a: float(utf16.code_point_at(s, _index_arg(a))) if _char_at(s, a) else UNDEFINED,
            "isWellFormed": lambda s, a: utf16.is_well_formed(s),
            "toWellFormed": lambda s, a: utf16.to_well_formed(s),
            "concat": lambda s, a: V.bounded(s + "".join(to_str(x) for x in a)),
            "localeCompare": lambda s, a: _locale_compare(s, to_str(a[0]) if a else "undefined", a, self.get_prop),
            "toString": lambda s, a: s,
            "valueOf": lambda s, a: s,
            "normalize": _normalize,
        }

    # --- regular expressions ----------------------------------------------------------------

    def _as_regex(self, a: list, flags: str):
        p = a[0] if a else UNDEFINED
        if type(p) is RX.JSRegExp:
            return p
        return RX.JSRegExp("(?:)" if p is UNDEFINED else to_str(p), flags, self.engine.current_pos)

    def _replace(self, s: str, a: list, all_: bool) -> str:
        pattern = a[0] if a else UNDEFINED
        replacement = a[1] if len(a) > 1 else UNDEFINED
        pos = self.engine.current_pos
        return V.bounded(
            RX.replace(s, pattern, replacement, lambda fn, args: self.call(fn, args, pos, "replacer"), all_)
        )

    def _regexp_prop(self, o, key):
        flags = {"global": "g", "ignoreCase": "i", "multiline": "m", "sticky": "y", "unicode": "u",
                 "dotAll": "s", "hasIndices": "d"}  # fmt: skip
        if key == "lastIndex":
            return o.last_index
        if key == "source":
            return o.source
        if key == "flags":
            return o.flags
        if key in flags:
            return flags[key] in o.flags
        if key in ("test", "exec", "toString"):
            return Builtin(key, lambda args, o=o, key=key: self.call_method(o, key, args, None, key))
        return self._proto_prop(key)

    def _regexp_builtin(self) -> Builtin:
        def make(args, pos=None):
            p = args[0] if args else UNDEFINED
            flags = args[1] if len(args) > 1 else UNDEFINED
            if type(p) is RX.JSRegExp:
                return RX.JSRegExp(p.source, p.flags if flags is UNDEFINED else to_str(flags), pos)
            src = "(?:)" if p is UNDEFINED else to_str(p)
            return RX.JSRegExp(src, "" if flags is UNDEFINED else to_str(flags), pos)

        b = Builtin("RegExp", lambda args: make(args, self.engine.current_pos))
        b.construct = make
        return b

    # --- properties ----------------------------------------------------------------------

    def get_elem(self, a: JSArray, k: float):
        i = _index(k)
        if i >= 0:
            v = a.get(i)
            return UNDEFINED if v is HOLE else v
        if a.named is not None:  # a[-1], a[1.5]: ordinary properties, by their key's text
            return a.named.get(prop_key(k), UNDEFINED)
        return UNDEFINED

    def get_prop(self, o, key, pos):
        t = type(o)
        if t is JSObject or t is NUM.JSDate or t is V.JSWrapper:
            k = prop_key(key)
            v = o.props.get(k, MISSING)
            if v is MISSING:
                v = V.find(o.proto, k)
                if v is MISSING:
                    return UNDEFINED
            if type(v) is Accessor:
                return UNDEFINED if v.get is None else self.call(v.get, [], pos, k, o)
            return v
        if t is JSErrorObject:
            v = o.get(prop_key(key))
            if type(v) is Accessor:
                return UNDEFINED if v.get is None else self.call(v.get, [], pos, to_str(key), o)
            return v
        if t is V.JSProxy:
            trap = self._trap(o, "get", pos)
            if trap is None:
                return self.get_prop(o.target, key, pos)
            return self.call(trap, [o.target, _trap_key(key), o], pos, "get", o.handler)
        if t is JSIterator:
            if key == "next":
                return Builtin("next", lambda args, o=o: _iterator_next(o))
            if key is SYMBOL_ITERATOR:  # (an iterator is iterable: itself)
                return Builtin("[Symbol.iterator]", lambda args, o=o: o)
            return self._proto_prop(key)
        if t is TA.JSTypedArray:
            i = _index(key)
            if i >= 0:
                return o.get(i)
            if key == "length":
                return float(len(o))
            if key in ("byteLength", "byteOffset", "buffer", "BYTES_PER_ELEMENT"):
                return {
                    "byteLength": float(o.a.nbytes),
                    "byteOffset": float(o.offset),
                    "buffer": o.buffer,
                    "BYTES_PER_ELEMENT": float(o.a.itemsize),
                }[key]
            if key in TYPED_METHODS:
                return Builtin(key, lambda args, o=o, key=key: self.call_method(o, key, args, pos, key))
            if key in self.typed_iterators or key is SYMBOL_ITERATOR:
                return self.typed_iterators["values" if key is SYMBOL_ITERATOR else key]
            return self._proto_prop(key)
        if t is RX.JSRegExp:
            return self._regexp_prop(o, key)
        if t is JSSymbol:
            if key == "description":
                return o.description
            if key == "toString":
                return Builtin(key, lambda args, o=o: repr(o))
            return UNDEFINED
        if t is AGEN.JSAsyncGenerator:
            if key == WELL_KNOWN["asyncIterator"]:
                return Builtin("[Symbol.asyncIterator]", lambda args, o=o: o)
            if key in ("next", "return", "throw"):
                return Builtin(key, lambda args, o=o, key=key: o.request(key, args[0] if args else UNDEFINED))
            if key == WELL_KNOWN["toStringTag"]:
                return "AsyncGenerator"
            return self._proto_prop(key)
        if t is GEN.JSGenerator:
            if key == "constructor":  # (what a generator object's constructor chain names)
                gp = JSObject()
                gp.hide("constructor", Builtin("GeneratorFunction", lambda a: _unsupported("GeneratorFunction")))
                return gp
            if key == SYMBOL_ITERATOR:
                return Builtin("[Symbol.iterator]", lambda args, o=o: o)
            if key in ("next", "return", "throw"):
                return Builtin(key, lambda args, o=o, key=key: GEN.method(o, key, args))
            return self._proto_prop(key)
        if t is TA.JSArrayBuffer:
            if key == "byteLength":
                return float(len(o.data))
            if key == "slice":
                return Builtin(key, lambda args, o=o: _buffer_slice(o, args))
            return self._proto_prop(key)
        if t is JSMap or t is JSSet:
            if o.named is not None and prop_key(key) in o.named:
                return o.named[prop_key(key)]
            if o.proto is not None:  # an instance of a subclass: its prototype chain (ends at Map.prototype)
                return self._inherited(o.proto, o, key, pos)
            if key is SYMBOL_ITERATOR or not self._coll_untouched(t, key):  # (a program's own, or one it replaced)
                return self._inherited(self.map_proto if t is JSMap else self.set_proto, o, key, pos)
            if key == "size":
                return float(len(o.data))
            # (a method read as a value is the prototype's: the same function
            # each time, and a TypeError called on something else)
            return self._inherited(self.map_proto if t is JSMap else self.set_proto, o, key, pos)
        if t is JSArray:
            if key == "length":
                return float(len(o))
            if type(key) is float or (type(key) is str and V._is_index(key)):
                return self.get_elem(o, float(key) if type(key) is str else key)
            if o.named is not None and (k := prop_key(key)) in o.named:  # (a[true] is a["true"])
                return o.named[k]
            if key is SYMBOL_ITERATOR and o.proto is V.ARGUMENTS_PROTO:  # (its own: Array.prototype.values)
                return self.array_builtins[SYMBOL_ITERATOR]
            # (a method read as a value is Array.prototype's: it works on
            # whatever `this` it is called with, as [].slice.call(arguments))
            return self._inherited(self.array_proto if o.proto is None else o.proto, o, key, pos)
        if t is str:
            if key == "length":
                return float(len(o))
            i = _index(key)
            if i >= 0:
                return o[i] if i < len(o) else UNDEFINED
            return self._inherited(self.string_proto, o, key, pos)
        if o is None or o is UNDEFINED:
            raise JSTypeError(f"Cannot read properties of {to_str(o)} (reading '{to_str(key)}')", pos)
        if t is JSFunction or t is Builtin:
            return self._function_prop(o, prop_key(key), pos)
        if t is float:
            return self._inherited(self.number_proto, o, key, pos)
        if t is bool:
            return self._inherited(self.boolean_proto, o, key, pos)
        if t is int:  # a BigInt
            return self._inherited(self.bigint_proto, o, key, pos)
        return self._proto_prop(key)

    def _inherited(self, proto: JSObject, o, key, pos):
        """A property an array or string inherits: what a program added to
        Array.prototype / String.prototype, or Object.prototype's."""
        v = V.find(proto, prop_key(key))
        if v is MISSING:
            return UNDEFINED
        if type(v) is Accessor:
            return UNDEFINED if v.get is None else self.call(v.get, [], pos, to_str(key), o)
        return v

    def _proto_prop(self, key):
        """What every object inherits (hasOwnProperty, ...), for values that
        are not JSObjects."""
        v = OBJECT_PROTO.props.get(prop_key(key), UNDEFINED)
        return UNDEFINED if type(v) is Accessor else v

    def _function_prop(self, fn, k: str, pos):
        """A function's property: its own, ``prototype``/``name``/``length``,
        a parent class's static (``fn.proto``), then Function.prototype's."""
        f = fn
        while f is not None:
            v = f.props.get(k, MISSING)
            if v is not MISSING:
                if type(v) is Accessor:
                    return UNDEFINED if v.get is None else self.call(v.get, [], pos, k, fn)
                return v
            if k == "prototype":
                return f.get_prototype() if type(f) is JSFunction else (f.prototype or UNDEFINED)
            if k == "name":
                return f.name
            if k == "length":
                return float(f.nparams) if type(f) is JSFunction else 1.0
            f = f.proto if type(f) is JSFunction else None
        if k in ("call", "apply", "bind"):
            return Builtin(k, lambda args, fn=fn, k=k: self.call_method(fn, k, args, pos, k))
        if k == "constructor":
            return self.engine.globals_builtin["Function"]
        if k == "toString":
            return Builtin(k, lambda args, fn=fn: to_str(fn))
        return self._proto_prop(k)

    def set_prop(self, o, key, value, pos, strict: bool = False) -> None:
        """``o[key] = value``.  A store the object refuses (read-only,
        not extensible, a getter without a setter) is ignored in sloppy code
        and a TypeError in strict code, as in JS."""
        t = type(o)
        if t is JSObject or t is JSErrorObject or t is NUM.JSDate or t is V.JSWrapper:
            k = prop_key(key)
            if t is JSErrorObject and k in JSErrorObject.HIDDEN:
                setattr(o, k, value)
                return
            props = o.props
            cur = props.get(k, MISSING)
            if cur is MISSING:  # a setter up the prototype chain takes the store; a read-only property refuses it
                holder, cur = V.find_holder(o.proto, k)
                hp = holder.props if holder is not None else None
                if type(hp) is V.LockedProps and type(cur) is not Accessor and not hp.writable(k):
                    if strict:
                        raise JSTypeError(_refused_store(o, k, True), pos)
                    return
            if type(cur) is Accessor:
                if cur.set is not None:
                    self.call(cur.set, [value], pos, k, o)
                elif strict:
                    raise JSTypeError(f"Cannot set property {to_str(k)} of {_receiver(o)} which has only a getter", pos)
                return
            if type(props) is V.LockedProps and not props.can_store(k):
                if strict:
                    raise JSTypeError(_refused_store(o, k, k in props), pos)
                return
            props[k] = value
            return
        if t is V.JSProxy:
            trap = self._trap(o, "set", pos)
            if trap is None:
                self.set_prop(o.target, key, value, pos, strict)
            elif not truthy(self.call(trap, [o.target, _trap_key(key), value, o], pos, "set", o.handler)) and strict:
                raise JSTypeError(f"'set' on proxy: trap returned falsish for property '{to_str(key)}'", pos)
            return
        if t is JSArray:
            if o.locked and not _locked_array_store(o, key, value, strict, pos):
                return
            if key == "length":
                n = to_num(value)
                if not 0 <= n < 2**32 or n != int(n):
                    raise JSRangeError("Invalid array length", pos)
                o.set_length(int(n))
                return
            i = _index(key)
            if i >= 0:
                if i > len(o) + 10_000_000:
                    raise JSRangeError("Invalid array length", pos)
                if i > len(o):
                    o._to_generic()
                    o.items.extend([HOLE] * (i - len(o)))
                o.set(i, value)
                return
            self._set_named(o, key, value, pos)
            return
        if t is JSMap or t is JSSet:
            self._set_named(o, key, value, pos)
            return
        if t is TA.JSTypedArray:
            i = _index(key)
            if i >= 0:
                o.set(i, value)
            return
        if t is RX.JSRegExp:
            if key == "lastIndex":
                o.last_index = value
            return
        if t is JSFunction or t is Builtin:
            k = prop_key(key)
            if k == "prototype":
                o.prototype = value
                return
            if t is JSFunction and k in ("name", "length") and k not in o.props:
                if strict:  # read-only, as in JS (a silent no-op outside strict mode)
                    raise JSTypeError(f"Cannot assign to read only property '{k}' of function '{_receiver(o)}'", pos)
                return
            cur = o.props.get(k, MISSING)
            if type(cur) is Accessor:
                if cur.set is not None:
                    self.call(cur.set, [value], pos, k, o)
                elif strict:
                    raise JSTypeError(f"Cannot set property {to_str(k)} of {_receiver(o)} which has only a getter", pos)
                return
            if type(o.props) is V.LockedProps and not o.props.can_store(k):
                if strict:
                    raise JSTypeError(_refused_store(o, k, k in o.props), pos)
                return
            o.props[k] = value
            return
        if o is None or o is UNDEFINED:
            raise JSTypeError(f"Cannot set properties of {to_str(o)} (setting '{to_str(key)}')", pos)
        if strict and t is str and (key == "length" or 0 <= _index(prop_key(key)) < len(o)):
            raise JSTypeError(f"Cannot assign to read only property '{to_str(key)}' of string '{o}'", pos)
        if strict and (t is str or t is float or t is bool or t is int):  # a primitive keeps no properties
            raise JSTypeError(f"Cannot create property '{to_str(prop_key(key))}' on {typeof(o)} '{to_str(o)}'", pos)

    def _set_named(self, o, key, value, pos) -> None:
        """A non-index property stored on an array, Map or Set (a setter up a
        subclass's prototype chain takes the store)."""
        k = prop_key(key)
        if o.proto is not None and (o.named is None or k not in o.named):
            cur = V.find(o.proto, k)
            if type(cur) is Accessor:
                if cur.set is not None:
                    self.call(cur.set, [value], pos, k, o)
                return
        if o.named is None:
            o.named = {}
        o.named[k] = value
        if k is SYMBOL_ITERATOR and type(o) is JSArray:
            self.array_iteration.v = False  # (for good: compiled for-of over arrays is guarded by it)

    def proto_of(self, o):
        """The prototype an object inherits from (arrays, Maps and Sets
        included: their class's prototype, or the built-in one)."""
        if isinstance(o, JSObject):
            return o.proto
        t = type(o)
        if t is JSArray or t is JSMap or t is JSSet:
            if o.proto is not None:
                return o.proto
            return self.array_proto if t is JSArray else (self.map_proto if t is JSMap else self.set_proto)
        return None

    def define_private(self, o, key: str, value) -> None:
        """A class's ``#field``: an own property no enumeration shows."""
        if isinstance(o, JSObject) or type(o) is JSFunction:
            if o.hidden is None:
                o.hidden = set()
            o.hidden.add(key)
            o.props[key] = value

    # --- calls ----------------------------------------------------------------------------

    def call(self, fn, args: list, pos, text: str, this=UNDEFINED):
        t = type(fn)
        if t is JSFunction:
            native = fn.native
            if native is not None:
                r = native(args)
                if r is not native:
                    return r
            return fn.code(args, this)
        if t is Builtin:
            return fn.fn(this, args) if fn.method else fn.fn(args)
        if t is V.JSProxy and typeof(fn) == "function":
            trap = self._trap(fn, "apply", pos)
            if trap is None:
                return self.call(fn.target, args, pos, text, this)
            return self.call(trap, [fn.target, this, JSArray(list(args))], pos, "apply", fn.handler)
        if text in _VALUE_NAMED:  # a built-in's callback: V8 names the value, not an expression
            text = _value_text(fn)
        raise JSTypeError(f"{text} is not a function", pos)

    def _string_raw(self, args) -> str:
        """String.raw(strings, ...values): the raw strings with the values between."""
        site = args[0] if args else UNDEFINED
        if site is None or site is UNDEFINED:
            raise JSTypeError("Cannot convert undefined or null to object")
        raw = self.get_prop(site, "raw", None)
        if raw is None or raw is UNDEFINED:
            raise JSTypeError("Cannot convert undefined or null to object")
        n = _array_like_length(self.get_prop(raw, "length", None))
        out = []
        for i in range(n):
            out.append(to_str(self.get_prop(raw, str(i), None)))
            if i + 1 < n and i + 1 < len(args):
                out.append(to_str(args[i + 1]))
        return "".join(out)

    def _array_to_locale_string(self, a, args) -> str:
        """Each element's own toLocaleString (with the same locales and
        options), joined with commas; null and undefined as ""."""

        out = []
        for x in a.values():
            if x is None or x is UNDEFINED or x is HOLE:
                out.append("")
            else:
                out.append(to_str(self.call_method(x, "toLocaleString", args, None, "toLocaleString")))
        return ",".join(out)

    def _coll_untouched(self, t, key) -> bool:
        proto, builtins = (self.map_proto, self.map_builtins) if t is JSMap else (self.set_proto, self.set_builtins)
        return proto.props.get(key, MISSING) is builtins.get(key)

    def call_method(self, o, key, args: list, pos, text: str):
        t = type(o)
        # (each fast path below only while the prototype still holds the
        # built-in: a program may replace Array.prototype.forEach & co.)
        if t is JSArray:
            m = self.array_methods.get(key)
            if (
                m is not None
                and o.proto is None
                and (o.named is None or key not in o.named)
                and self.array_proto.props.get(key) is self.array_builtins[key]
            ):
                if o.locked and key in ARRAY_MUTATORS:
                    _locked_array_method(o, key, args)
                return m(o, args)
        elif t is str:
            m = self.string_methods.get(key)
            if m is not None and self.string_proto.props.get(key) is self.string_builtins[key]:
                return m(o, args)
        elif t is float and self.number_proto.props.get(key, MISSING) is not self.number_builtins.get(key):
            pass  # (not a built-in number method, or one the program replaced)
        elif t is float and key == "toFixed":
            return self._to_fixed(o, args, pos)
        elif t is float and key == "toString":
            return _number_to_string(o, args)
        elif t is float and key == "valueOf":
            return o
        elif t is float and key == "toPrecision":
            return NUM.to_precision(o, args)
        elif t is float and key == "toExponential":
            return NUM.to_exponential(o, args)
        elif t is float and key == "toLocaleString":
            return NUM.to_locale_string(o, args, self.get_prop)
        elif t is GEN.JSGenerator and key in ("next", "return", "throw"):
            return GEN.method(o, key, args)
        elif t is RX.JSRegExp and key in ("test", "exec", "toString"):
            s = to_str(args[0] if args else UNDEFINED)
            if key == "test":
                return RX.test(o, s)
            if key == "exec":
                r = RX.exec_(o, s)
                return None if r is None else r
            return str(o)
        elif t is TA.JSTypedArray and key in TYPED_METHODS:
            r = TA.method(o, key, args, self, pos)
            if r is not None:
                return r
            if key in ("map", "filter"):
                arr = self.array_methods[key](o, args)
                return TA.construct(o.kind, [arr], lambda src: self.iterate(src, pos, "source"))
            return self.array_methods[key](o, args)
        elif (t is JSMap or t is JSSet) and o.proto is None and o.named is None and self._coll_untouched(t, key):
            if key == "forEach":
                return self._coll_for_each(o, args)
            m = (MAP_METHODS if t is JSMap else SET_METHODS).get(key)
            if m is not None:
                return m(o, args)
        elif (t is JSFunction or t is Builtin) and key in ("call", "apply", "bind") and key not in o.props:
            this = args[0] if args else UNDEFINED
            if key == "call":
                return self.call(o, args[1:], pos, text, this)
            if key == "apply":
                arr = args[1] if len(args) > 1 else UNDEFINED
                if arr is None or arr is UNDEFINED:
                    rest = []
                elif type(arr) is JSArray:
                    rest = self.iterate(arr, pos, text)
                elif isinstance(arr, JSObject):
                    n = _array_like_length(self.get_prop(arr, "length", pos))
                    rest = [self.get_prop(arr, str(i), pos) for i in range(n)]
                else:
                    raise JSTypeError("CreateListFromArrayLike called on non-object", pos)
                return self.call(o, rest, pos, text, this)
            bound = list(args[1:])
            b = Builtin("bound " + to_str(o.name), lambda a: self.call(o, bound + a, pos, text, this))
            b.target = o
            return b
        fn = self.get_prop(o, key, pos)
        return self.call(fn, args, pos, text, o)

    def _builtin_prototypes(self) -> None:
        """Array.prototype and String.prototype: the built-in methods as
        functions of ``this`` (for ``Array.prototype.slice.call(arguments)``),
        and where a program's own additions live."""
        self.array_proto = JSObject()
        self.string_proto = JSObject()
        self.number_proto = JSObject()
        self.boolean_proto = JSObject()
        self.bigint_proto = JSObject()
        for name in NUMBER_METHODS:
            self.number_proto.hide(
                name,
                Builtin(
                    name,
                    lambda this, args, name=name: self.call_method(to_num(this), name, args, None, name),
                    method=True,
                ),
            )

        def array_method(name, m):
            species = name in SPECIES_METHODS

            def fn(this, args):
                if type(this) is not JSArray:
                    this = self._array_like(this)
                elif this.locked and name in ARRAY_MUTATORS:
                    _locked_array_method(this, name, args)
                if species and this.proto is not None:
                    return self._species(this, name, m(this, args))
                return m(this, args)

            return Builtin(name, fn, method=True)

        for name, m in self.array_methods.items():
            self.array_proto.hide(name, array_method(name, m))
        self.array_proto.hide(SYMBOL_ITERATOR, self.array_proto.props["values"])  # (the same function, as in JS)
        self.array_builtins = dict(self.array_proto.props)  # (the JIT checks one it compiles in place is still there)
        for name, m in self.string_methods.items():
            self.string_proto.hide(name, Builtin(name, lambda this, args, m=m: m(to_str(this), args), method=True))
        self.string_builtins = dict(self.string_proto.props)
        self.number_builtins = dict(self.number_proto.props)
        self.string_proto.hide(
            SYMBOL_ITERATOR,
            Builtin(
                "[Symbol.iterator]",
                lambda this, args: JSIterator(utf16.code_points(to_str(this)), "String Iterator"),
                method=True,
            ),
        )
        self.string_iterator = self.string_proto.props[SYMBOL_ITERATOR]
        self.array_iteration = Protector("no array has its own [Symbol.iterator]")
        self.typed_iterators = {name: self._typed_iterator(name) for name in ("values", "keys", "entries")}

    def _typed_iterator(self, name: str) -> Builtin:
        """A typed array's values/keys/entries (values is its [Symbol.iterator] too)."""

        def iterator(this, args):
            if type(this) is not TA.JSTypedArray:
                raise JSTypeError("this is not a typed array.", self.engine.current_pos)
            vals = list(this.values())
            if name == "keys":
                vals = [float(i) for i in range(len(vals))]
            elif name == "entries":
                vals = [JSArray([float(i), v]) for i, v in enumerate(vals)]
            return JSIterator(vals, "Array Iterator")

        return Builtin(name, iterator, method=True)

    def _species(self, o: JSArray, name: str, r):
        """ArraySpeciesCreate: what map/filter/slice/... return for an
        instance of an Array subclass is an instance of that subclass
        (``new C(n)``, then the elements written into it)."""
        pos = self.engine.current_pos
        if o.proto is V.ARGUMENTS_PROTO:  # (not an array: no species, a plain one)
            return r
        c = self.get_prop(o, "constructor", pos)
        if c is UNDEFINED or type(c) is not JSFunction or type(r) is not JSArray:
            if c is UNDEFINED or c is self.engine.globals_builtin.get("Array") or type(r) is not JSArray:
                return r
            raise JSTypeError("object.constructor[Symbol.species] is not a constructor", pos)
        vals = r.values()
        n = len(o) if name == "map" else (len(vals) if name in ("slice", "splice") else 0)
        out = self.construct(c, [float(n)], pos, "species")
        self._write_all(out, vals, name in ("slice", "splice", "concat"), pos)
        return out

    def _write_all(self, out, vals: list, set_length: bool, pos) -> None:
        """Elements 0.. of ``out`` become ``vals`` (and, if asked, its length theirs)."""
        if type(out) is JSArray:
            if len(out) == 0:
                _adopt(out, JSArray(vals))
            else:
                for i, v in enumerate(vals):
                    out.set(i, v)
            if set_length:
                out.set_length(len(vals))
            return
        for i, v in enumerate(vals):
            self.set_prop(out, str(i), v, pos)
        if set_length:
            self.set_prop(out, "length", float(len(vals)), pos)

    def _not_nullish(self, o):
        """``o``, which a built-in is about to treat as an object (ToObject's TypeError first)."""
        if o is None or o is UNDEFINED:
            raise JSTypeError("Cannot convert undefined or null to object", self.engine.current_pos)
        return o

    def _array_like(self, o) -> JSArray:
        if o is None or o is UNDEFINED:
            raise JSTypeError("Cannot convert undefined or null to object", self.engine.current_pos)
        if type(o) is str or type(o) is TA.JSTypedArray:
            return JSArray(list(o) if type(o) is str else o.values())
        n = _array_like_length(self.get_prop(o, "length", None))
        return JSArray([self.get_prop(o, str(i), None) for i in range(n)])

    def construct(self, fn, args: list, pos, text: str):
        t = type(fn)
        if t is V.JSProxy and typeof(fn) == "function":
            trap = self._trap(fn, "construct", pos)
            if trap is None:
                return self.construct(fn.target, args, pos, text)
            r = self.call(trap, [fn.target, JSArray(list(args)), fn], pos, "construct", fn.handler)
            if not _is_object(r):
                raise JSTypeError("proxy [[Construct]] must return an object", pos)
            return r
        if t is JSFunction:
            if fn.kind == "function":
                proto = fn.get_prototype()
                obj = JSObject(proto=proto if isinstance(proto, JSObject) else OBJECT_PROTO)
                r = fn.code(args, obj)
                return r if _is_object(r) else obj
            if fn.kind in ("class", "derived"):
                obj = self._allocate(fn, pos)
                r = self.run_constructor(fn, obj, args, pos)
                return r if _is_object(r) else obj
            raise JSTypeError(f"{text} is not a constructor", pos)
        if t is Builtin and getattr(fn, "target", None) is not None:  # a bound function
            return self.construct(fn.target, args, pos, text)
        if fn is self.engine.globals_builtin.get("Map") or fn is self.engine.globals_builtin.get("Set"):
            return self._collection(fn.name, args, pos)
        if type(fn) is Builtin and fn.name in ERROR_KINDS and fn is self.engine.globals_builtin.get(fn.name):
            return fn.fn(args)
        if fn is self.engine.globals_builtin.get("Array"):
            return self._new_array(args, pos)
        if fn is self.engine.globals_builtin.get("Object"):
            return self._to_object(args[0] if args else UNDEFINED)
        ctor = getattr(fn, "construct", None) if t is Builtin else None
        if ctor is not None:
            return ctor(args, pos)
        raise JSTypeError(f"{text} is not a constructor", pos)

    def _allocate(self, cls: JSFunction, pos):
        """A new instance of a class: an Error when the class derives from
        one (so it prints and throws as one), else an ordinary object."""
        proto = cls.prototype if isinstance(cls.prototype, JSObject) else OBJECT_PROTO
        base = cls
        while type(base) is JSFunction and base.kind == "derived":
            base = base.parent
        if type(base) is Builtin and base.name in ERROR_KINDS:
            return JSErrorObject(base.name, "", proto=proto)
        g = self.engine.globals_builtin
        if base is g.get("Array") or base is g.get("Map") or base is g.get("Set"):
            o = JSArray([]) if base.name == "Array" else (JSMap() if base.name == "Map" else JSSet())
            o.proto = proto  # the built-in's exotic object, with the subclass's prototype
            return o
        if base is g.get("Promise"):
            o = promises.new_promise(self.engine)
            o.proto = proto
            return o
        if base is g.get("Date"):
            return NUM.JSDate(math.nan, proto)  # (its time comes with super(...))
        if type(base) is Builtin and base.name in ("Symbol", "BigInt"):
            raise JSTypeError(f"{base.name} is not a constructor", pos)
        if type(base) is Builtin and base.name != "Object":
            raise JSTypeError(f"classes extending {base.name} are not supported by this engine", pos)
        return JSObject(proto=proto)

    def run_constructor(self, cls, this, args: list, pos):
        """Run ``cls``'s constructor on an allocated ``this`` (``new`` and
        ``super(...)`` both come here); what it returns."""
        t = type(cls)
        if t is JSFunction:
            if cls.kind == "class":
                if cls.fields is not None:
                    cls.fields.code([], this)
                return cls.body(args, this) if cls.body is not None else UNDEFINED
            if cls.kind == "derived":
                if cls.body is None:  # the default: constructor(...args) { super(...args) }
                    self.super_call(cls, this, args, pos)
                    return UNDEFINED
                return cls.body(args, this)
            if cls.kind == "function":
                return cls.code(args, this)
        if t is Builtin:
            g = self.engine.globals_builtin
            if cls.name in ERROR_KINDS and type(this) is JSErrorObject:
                if args and args[0] is not UNDEFINED:
                    this.message = to_str(args[0])
                error_cause(this, args)
            elif cls is g.get("Promise") and promises.is_promise(this):
                self.promise_init(args, pos, this)  # super(executor) in a Promise subclass
            elif cls is g.get("Date") and type(this) is NUM.JSDate:
                this.t = cls.construct(args, pos).t  # super(...args) in a Date subclass
            elif cls.name == "Array" and type(this) is JSArray:  # super(...args) in an Array subclass
                _adopt(this, self._new_array(args, pos))
            elif (cls.name == "Map" and type(this) is JSMap) or (cls.name == "Set" and type(this) is JSSet):
                src = args[0] if args else UNDEFINED
                if src is not None and src is not UNDEFINED:  # each entry through this.set / this.add
                    adder = self.get_prop(this, "set" if cls.name == "Map" else "add", pos)
                    for x in self.iterate(src, pos, None):
                        if cls.name == "Set":
                            self.call(adder, [x], pos, "add", this)
                            continue
                        if type(x) is not JSArray:
                            raise JSTypeError(f"Iterator value {to_str(x)} is not an entry object", pos)
                        k, v = (x.get(0) if len(x) > 0 else UNDEFINED), (x.get(1) if len(x) > 1 else UNDEFINED)
                        self.call(adder, [k, v], pos, "set", this)
            return UNDEFINED
        raise JSTypeError(f"Class extends value {to_str(cls)} is not a constructor or null", pos)

    def super_call(self, cls: JSFunction, this, args: list, pos):
        """``super(args)`` in ``cls``'s constructor: the parent's constructor
        on the same object, then ``cls``'s own field initialisers."""
        self.run_constructor(cls.parent, this, args, pos)
        if cls.fields is not None:
            cls.fields.code([], this)
        return UNDEFINED

    def super_get(self, fn: JSFunction, key, this, pos):
        """``super.key`` in method ``fn``: the property found past its home
        object, with ``this`` as receiver (for getters)."""
        home = fn.home
        start = home.proto if isinstance(home, JSObject) else (home.proto if type(home) is JSFunction else None)
        k = prop_key(key)
        if type(start) is JSFunction or type(start) is Builtin:
            return self._function_prop(start, k, pos)
        v = V.find(start, k)
        if v is MISSING:
            return UNDEFINED
        if type(v) is Accessor:
            return UNDEFINED if v.get is None else self.call(v.get, [], pos, k, this)
        return v

    def super_set(self, fn: JSFunction, key, value, this, pos) -> None:
        """``super.key = value`` in method ``fn`` (class code: strict).  The
        lookup starts past its home object: a setter found there runs with
        ``this``; a getter alone or a read-only property refuses the store;
        otherwise ``this`` gets the value as its own data property -- not
        through a setter of its own class (``set x(v) { super.x = v; }``
        over a parent without one would otherwise call itself forever)."""
        home = fn.home
        start = home.proto if isinstance(home, JSObject) or type(home) is JSFunction else None
        k = prop_key(key)
        if isinstance(start, JSObject):
            holder, cur = V.find_holder(start, k)
        else:  # (a static method: the parent class and its statics' chain)
            holder, cur = None, MISSING
            f = start if type(start) is JSFunction else None
            while f is not None and cur is MISSING:
                cur = f.props.get(k, MISSING)
                f = f.proto if type(f.proto) is JSFunction else None
        if type(cur) is Accessor:
            if cur.set is None:
                raise JSTypeError(f"Cannot set property {to_str(k)} of {_receiver(this)} which has only a getter", pos)
            self.call(cur.set, [value], pos, k, this)
            return
        hp = holder.props if holder is not None else None
        if type(hp) is V.LockedProps and not hp.writable(k):
            raise JSTypeError(_refused_store(this, k, True), pos)
        if type(this) is JSObject:
            props = this.props
            if type(props.get(k)) is Accessor:  # (the receiver's own accessor: not redefined by a store)
                raise JSTypeError(_refused_store(this, k, True), pos)
            if type(props) is V.LockedProps and not props.can_store(k):
                raise JSTypeError(_refused_store(this, k, k in props), pos)
            props[k] = value
            return
        self.set_prop(this, k, value, pos, True)  # (an array, a function, a wrapper: their ordinary store)

    def instance_of(self, o, c, pos) -> bool:
        t = type(c)
        if t is Builtin and getattr(c, "target", None) is not None:
            c = c.target
            t = type(c)
        if t is not JSFunction and t is not Builtin:
            raise JSTypeError("Right-hand side of 'instanceof' is not callable", pos)
        if t is Builtin:
            name = c.name
            if name == "Array":
                return type(o) is JSArray
            if name == "Map":
                return type(o) is JSMap
            if name == "Set":
                return type(o) is JSSet
            if name == "Function":
                return type(o) in (JSFunction, Builtin)
            if name in TA.KINDS:
                return type(o) is TA.JSTypedArray and o.kind == name
            if name == "ArrayBuffer":
                return type(o) is TA.JSArrayBuffer
            if name == "RegExp":
                return type(o) is RX.JSRegExp
            if name == "Date":
                return type(o) is NUM.JSDate
            if name in ("String", "Number", "Boolean"):
                return type(o) is V.JSWrapper and o.proto is c.prototype
            if name == "Object":
                if isinstance(o, JSObject):
                    p = o.proto
                    while p is not None and p is not OBJECT_PROTO:
                        p = p.proto
                    return p is OBJECT_PROTO
                return _is_object(o)
            proto = c.prototype
        else:
            proto = c.get_prototype()
        if not isinstance(proto, JSObject):
            return False
        if type(o) is JSArray or type(o) is JSMap or type(o) is JSSet:
            p = self.proto_of(o)
        elif not isinstance(o, JSObject):
            return False
        else:
            p = o.proto
        while p is not None:
            if p is proto:
                return True
            p = p.proto
        return False

    def has_property(self, o, key, pos) -> bool:
        """``key in o``."""

        t = type(o)
        k = prop_key(key)
        if t is V.JSProxy:
            trap = self._trap(o, "has", pos)
            if trap is None:
                return self.has_property(o.target, key, pos)
            return truthy(self.call(trap, [o.target, _trap_key(key)], pos, "has", o.handler))
        if isinstance(o, JSObject):
            if t is JSErrorObject and k in JSErrorObject.HIDDEN:
                return True
            return V.find(o, k) is not MISSING
        if t is JSArray:
            i = _index(k)
            if i >= 0:
                return i < len(o) and o.get(i) is not HOLE
            if o.proto is not None and V.find(o.proto, k) is not MISSING:
                return True
            if k == "length" or k is SYMBOL_ITERATOR:
                return True
            return (o.named is not None and k in o.named) or k in self.array_methods
        if t is JSFunction or t is Builtin:
            return k in o.props or k in ("prototype", "name", "length", "call", "apply", "bind")
        if t is JSMap or t is JSSet:
            if (o.named is not None and k in o.named) or V.find(self.proto_of(o), k) is not MISSING:
                return True
            return k == "size" or k in (MAP_METHODS if t is JSMap else SET_METHODS) or k is SYMBOL_ITERATOR
        raise JSTypeError(f"Cannot use 'in' operator to search for '{k}' in {to_str(o)}", pos)

    def _trap(self, proxy, name: str, pos):
        """A proxy handler's trap, or None where it has none (the operation
        then goes to the target)."""
        trap = self.get_prop(proxy.handler, name, pos)
        if trap is UNDEFINED or trap is None:
            return None
        if type(trap) is not JSFunction and type(trap) is not Builtin:
            raise JSTypeError(f"{_value_text(trap)} is not a function", pos)
        return trap

    def proxy_keys(self, proxy) -> list | None:
        """An ownKeys trap's string keys (None: the proxy has no such trap)."""
        trap = self._trap(proxy, "ownKeys", self.engine.current_pos)
        if trap is None:
            return None
        keys = self.call(trap, [proxy.target], self.engine.current_pos, "ownKeys", proxy.handler)
        own = set(self.for_in_keys(proxy.target)) if not isinstance(proxy.target, JSObject) else None
        return [  # (the ones the target has, enumerable: what Object.keys and for-in keep)
            k
            for k in self.iterate(keys, None, "ownKeys")
            if type(k) is str
            and (
                k in own
                if own is not None
                else k in proxy.target.props and not (proxy.target.hidden and k in proxy.target.hidden)
            )
        ]

    def for_in_keys(self, o) -> list[str]:
        """The keys ``for...in`` visits: own enumerable ones, then inherited
        enumerable ones not shadowed, each once."""

        t = type(o)
        if t is V.JSProxy:
            own = self.proxy_keys(o)
            return own if own is not None else self.for_in_keys(o.target)
        if t is JSArray:
            keys = [str(i) for i, v in enumerate(o.values()) if v is not HOLE]
            return keys + list(o.named or ())
        if t is str or t is TA.JSTypedArray:
            return [str(i) for i in range(len(o))]
        if t is JSFunction or t is Builtin:
            return [k for k in o.props if not (getattr(o, "hidden", None) and k in o.hidden)]
        if not isinstance(o, JSObject):
            return []
        out: list[str] = []
        seen: set = set()
        p = o
        while p is not None:
            ks = [k for k in p.props if type(k) is str]
            for k in sorted((k for k in ks if V._is_index(k)), key=int) + [k for k in ks if not V._is_index(k)]:
                if k not in seen:
                    seen.add(k)
                    if not (p.hidden and k in p.hidden):
                        out.append(k)
            p = p.proto
        return out

    def delete(self, o, key, pos, strict: bool = False) -> bool:
        """``delete o[key]``: false for a property that cannot be deleted
        (not configurable), or in strict code a TypeError."""

        t = type(o)
        if o is None or o is UNDEFINED:
            raise JSTypeError("Cannot convert undefined or null to object", pos)
        k = prop_key(key)
        if t is V.JSProxy:
            trap = self._trap(o, "deleteProperty", pos)
            if trap is None:
                return self.delete(o.target, key, pos, strict)
            return truthy(self.call(trap, [o.target, _trap_key(key)], pos, "deleteProperty", o.handler))
        if isinstance(o, JSObject) or t is JSFunction or t is Builtin:
            props = o.props
            fixed = type(props) is V.LockedProps and k in props and (props.level >= 2 or k in props.fixed)
            if fixed or (k == "prototype" and t is not JSObject and k not in props):
                if strict:
                    raise JSTypeError(f"Cannot delete property '{to_str(k)}' of {_receiver(o)}", pos)
                return False
            props.pop(k, None)
        elif t is JSArray:
            i = _index(k)
            exists = 0 <= i < len(o) or (o.named is not None and k in o.named)
            if (o.locked >= 2 and exists) or k == "length":
                if strict:
                    raise JSTypeError(f"Cannot delete property '{to_str(k)}' of {_receiver(o)}", pos)
                return False
            if 0 <= i < len(o):
                o.set(i, HOLE)
            elif o.named is not None:
                o.named.pop(k, None)
        return True

    def _it(self, src) -> list:
        return self.iterate(src, self.engine.current_pos, None)

    def _coll_for_each(self, c, args: list):
        """Map/Set forEach: callback(value, key, collection), in insertion order."""
        fn = args[0] if args else UNDEFINED
        for entry in list(c.data.values()):
            k, v = entry if type(c) is JSMap else (entry, entry)
            self.call(fn, [v, k, c], self.engine.current_pos, "callback")
        return UNDEFINED

    def _array_of(self, args: list, this=UNDEFINED):
        """Array.of(...items); on a subclass (``Sub.of``), an instance of it."""
        if type(this) is JSFunction and this.kind in ("class", "derived", "function"):
            pos = self.engine.current_pos
            out = self.construct(this, [float(len(args))], pos, "Array.of")
            self._write_all(out, list(args), True, pos)
            return out
        return JSArray(list(args))

    def _array_from(self, args: list, this=UNDEFINED):
        """Array.from(iterable or array-like, mapFn); on a subclass
        (``Sub.from``), an instance of it."""
        if type(this) is JSFunction and this.kind in ("class", "derived", "function"):
            pos = self.engine.current_pos
            vals = self._array_from(args).values()
            out = self.construct(this, [], pos, "Array.from")
            self._write_all(out, vals, True, pos)
            return out
        src = args[0] if args else UNDEFINED
        fn = args[1] if len(args) > 1 else UNDEFINED
        if type(src) is JSObject and V.find(src, SYMBOL_ITERATOR) is not MISSING:
            items = self.iterate(src, self.engine.current_pos, None)
        elif type(src) is JSObject:  # array-like: {length: n}
            n = _array_like_length(src.props.get("length", 0.0))
            items = [src.props.get(str(i), UNDEFINED) for i in range(n)]
        elif src is None or src is UNDEFINED:
            raise JSTypeError(not_iterable(src, None), self.engine.current_pos)
        elif type(src) in (JSArray, str, JSMap, JSSet, JSIterator, TA.JSTypedArray, GEN.JSGenerator):
            items = self.iterate(src, self.engine.current_pos, None)
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
        items = self.iterate(src, pos, None)
        for x in items:
            if kind == "Set":
                x = _zero_key(x)
                c.data.setdefault(same_value_zero(x), x)
            else:
                if type(x) is not JSArray:
                    raise JSTypeError(f"Iterator value {to_str(x)} is not an entry object", pos)
                k, v = _zero_key(x.get(0) if len(x) > 0 else UNDEFINED), (x.get(1) if len(x) > 1 else UNDEFINED)
                c.data[same_value_zero(k)] = (k, v)
        return c

    def _elements(self, a) -> list:
        """An array's elements (holes as undefined), for its own methods: not
        through [Symbol.iterator], which a program may have replaced."""
        return _dense(a) if type(a) is JSArray else self.iterate(a, None, "")

    def plain_iteration(self, it) -> bool:
        """Whether iterating ``it`` may skip calling its [Symbol.iterator]()
        and read it directly: true unless it is an array, string, Map or Set
        whose iterator a program replaced -- on the prototype or the object
        itself (an arguments object keeps its own, the built-in)."""
        t = type(it)
        if t is JSArray:
            if it.proto is V.ARGUMENTS_PROTO:
                return True
            if it.named is not None and SYMBOL_ITERATOR in it.named:
                return False
            return V.find(it.proto or self.array_proto, SYMBOL_ITERATOR) is self.array_builtins[SYMBOL_ITERATOR]
        if t is str:
            return self.string_proto.props.get(SYMBOL_ITERATOR) is self.string_iterator
        if t is JSMap or t is JSSet:
            if it.named is not None and SYMBOL_ITERATOR in it.named:
                return False
            proto, builtins = (self.map_proto, self.map_builtins) if t is JSMap else (self.set_proto, self.set_builtins)
            return V.find(it.proto or proto, SYMBOL_ITERATOR) is builtins[SYMBOL_ITERATOR]
        return True

    def iterate(self, it, pos, text: str) -> list:
        """The values for-of would visit (a snapshot)."""
        t = type(it)
        if t in _ITERATED_DIRECTLY and not self.plain_iteration(it):
            return list(self.custom_values(it, pos, text))
        if t is JSArray:
            return _dense(it)
        if t is str:
            return utf16.code_points(it)
        if t is JSSet:
            return list(it.data.values())
        if t is JSMap:
            return [JSArray([k, v]) for k, v in it.data.values()]
        if t is JSIterator:  # consumes it, as in JS
            rest, it.i = it.items[it.i :], len(it.items)
            return rest
        if t is TA.JSTypedArray:
            return it.values()
        if t is GEN.JSGenerator:
            return list(GEN.values(it))
        return list(self.custom_values(it, pos, text))

    def take(self, it, n: int, pos, text: str) -> list:
        """The first ``n`` values for-of would visit (all if ``n`` < 0), as
        array destructuring takes them: a lazy iterator is asked for no more
        (an endless generator ends the pattern's reads) and is then closed
        -- its return() called, a generator finished -- if it has more."""
        t = type(it)
        if n < 0 or (t in (JSArray, str, JSSet, JSMap, TA.JSTypedArray) and self.plain_iteration(it)):
            return self.iterate(it, pos, text)  # (a snapshot: the pattern reads what it needs)
        if t is JSIterator:
            got = it.items[it.i : it.i + n]
            it.i += len(got)
            return got
        lazy = GEN.values(it) if t is GEN.JSGenerator else self.custom_values(it, pos, text)
        out: list = []
        for v in lazy:
            out.append(v)
            if len(out) == n:
                break
        else:
            return out
        lazy.close()  # (custom_values: the iterator's return())
        if t is GEN.JSGenerator and not it.done:
            GEN.close(it)
        return out

    def custom_values(self, it, pos, text: str):
        """The values of an object with a [Symbol.iterator]() method, one at a
        time (its iterator may be endless)."""
        fn = self.get_prop(it, SYMBOL_ITERATOR, pos) if _is_object(it) or type(it) is str else UNDEFINED
        if type(fn) is not JSFunction and type(fn) is not Builtin:
            raise JSTypeError(not_iterable(it, text), pos)
        iterator = self.call(fn, [], pos, text, it)
        if type(iterator) is GEN.JSGenerator:
            try:
                yield from GEN.values(iterator)
            except GeneratorExit:  # left early: the generator finishes (its finally blocks run)
                if not iterator.done:
                    GEN.close(iterator)
                raise
            return
        while True:
            r = self.call_method(iterator, "next", [], pos, "iterator.next")
            if not _is_object(r):
                raise JSTypeError(f"Iterator result {to_str(r)} is not an object", pos)
            if truthy(self.get_prop(r, "done", pos)):
                return
            try:
                yield self.get_prop(r, "value", pos)
            except GeneratorExit:  # left early (break, return, a throw): IteratorClose
                self._iterator_close(iterator, pos)
                raise

    def _iterator_close(self, iterator, pos) -> None:
        """Call the iterator's return(), if it has one; its result must be an object."""
        ret = self.get_prop(iterator, "return", pos)
        if ret is None or ret is UNDEFINED:
            return
        r = self.call(ret, [], pos, "iterator.return", iterator)
        if not _is_object(r):
            raise JSTypeError(f"Iterator result {to_str(r)} is not an object", pos)

    # --- builtins ----------------------------------------------------------------------------

    def _new_array(self, args, pos):
        if len(args) == 1 and type(args[0]) is float:
            n = args[0]
            if not 0 <= n < 2**32 or n != int(n):
                raise JSRangeError("Invalid array length", pos)

            return JSArray.filled(int(n), HOLE) if n else JSArray([])
        return JSArray(list(args))

    def _cb(self, args, x, i, a):
        fn = args[0] if args else UNDEFINED
        return self.call(fn, [x, float(i), a], self.engine.current_pos, "callback")

    def _last_index_of(self, a, args):
        v = args[0] if args else UNDEFINED
        vals = a.values()
        start = len(vals) - 1
        if len(args) > 1:
            k = to_num(args[1])
            k = 0 if k != k else int(k) if abs(k) != math.inf else (len(vals) if k > 0 else -len(vals) - 1)
            start = min(k, len(vals) - 1) if k >= 0 else len(vals) + k
        for i in range(start, -1, -1):
            if strict_equals(vals[i], v):
                return float(i)
        return -1.0

    def _splice(self, a: JSArray, args):
        vals = a.values()
        n = len(vals)
        start = _clamp(args[0], n) if args else n
        count = n - start if len(args) < 2 else max(0, min(to_integer(args[1]), n - start))
        removed = vals[start : start + count]
        vals[start : start + count] = list(args[2:])
        a.set_length(0)
        for v in vals:
            a.push(v)
        return JSArray(removed)

    def _for_each(self, a: JSArray, args):
        for i, x in _present(a):
            self._cb(args, x, i, a)
        return UNDEFINED

    def _map(self, a: JSArray, args):
        out = [HOLE] * len(a)  # (a hole maps to a hole)
        for i, x in _present(a):
            out[i] = self._cb(args, x, i, a)
        return JSArray(out)

    def _find(self, a: JSArray, args):
        for i, x in _visited(a):
            if truthy(self._cb(args, x, i, a)):
                return x
        return UNDEFINED

    def _find_index(self, a: JSArray, args):
        for i, x in _visited(a):
            if truthy(self._cb(args, x, i, a)):
                return float(i)
        return -1.0

    def _reduce(self, a: JSArray, args, from_right: bool = False):
        """reduce / reduceRight: the callback sees each element's own index."""
        fn = args[0] if args else UNDEFINED
        pos = self.engine.current_pos
        each = _present(a, reverse=from_right)
        if len(args) > 1:
            acc = args[1]
        else:
            first = next(each, None)
            if first is None:
                raise JSTypeError("Reduce of empty array with no initial value", pos)
            acc = first[1]
        for i, x in each:
            acc = self.call(fn, [acc, x, float(i), a], pos, "callback")
        return acc

    def _concat(self, a: JSArray, args):
        out = a.values()
        for x in args:
            out.extend(x.values() if type(x) is JSArray else [x])
        return JSArray(out)

    def _sort(self, a: JSArray, args):
        import functools

        vals = a.values()
        holes = [x for x in vals if x is HOLE]  # (holes go last, after the undefineds: SortIndexedProperties)
        undef = [x for x in vals if x is UNDEFINED]
        vals = [x for x in vals if x is not UNDEFINED and x is not HOLE]
        if args and args[0] is not UNDEFINED:
            fn = args[0]
            pos = self.engine.current_pos
            if type(fn) is not JSFunction and type(fn) is not Builtin:
                raise JSTypeError("The comparison function must be either a function or undefined", pos)

            def cmp(x, y):
                r = to_num(self.call(fn, [x, y], pos, "comparator"))
                return -1 if r < 0 else (1 if r > 0 else 0)

            order = key_order(fn, vals)  # (a - b over finite numbers: their order, fn never called)
            if order is not None:
                vals.sort(key=order[0], reverse=order[1])
            else:
                vals.sort(key=functools.cmp_to_key(cmp))
        else:
            vals.sort(key=to_str)
        for i, v in enumerate(vals + undef + holes):
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
        return UNDEFINED if first is HOLE else first

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
        end = _clamp(args[2], n) if len(args) > 2 and args[2] is not UNDEFINED else n
        if type(value) in (float, bool) and start == 0 and end == n:
            return a.refill(n, value)  # packed, of value's kind, whatever a held before
        for i in range(start, end):
            a.set(i, value)
        return a

    def _join(self, a: JSArray, args):

        sep = to_str(args[0]) if args and args[0] is not UNDEFINED else ","
        return V.join_elements(a, sep)

    def _index_of(self, a: JSArray, args):
        target = args[0] if args else UNDEFINED
        vals = a.values()
        return float(_strict_index(vals, target, _clamp(args[1], len(vals)) if len(args) > 1 else 0))

    def _to_object(self, v):
        """Object(v): an object as it is, a primitive in its wrapper, else a new {}."""
        if _is_object(v):
            return v
        t = type(v)
        if t is str:
            return V.JSWrapper(v, self.string_proto)
        if t is float:
            return V.JSWrapper(v, self.number_proto)
        if t is bool:
            return V.JSWrapper(v, self.boolean_proto)
        if t is int:
            return V.JSWrapper(v, self.bigint_proto)
        return JSObject()

    def _copy_within(self, a: JSArray, args) -> JSArray:
        vals = a.values()
        n = len(vals)
        target = _clamp(args[0], n) if args else 0
        start = _clamp(args[1], n) if len(args) > 1 else 0
        end = _clamp(args[2], n) if len(args) > 2 and args[2] is not UNDEFINED else n
        chunk = vals[start:end][: max(n - target, 0)]
        for i, v in enumerate(chunk):
            a.set(target + i, v)
        return a

    def _with(self, a: JSArray, args) -> JSArray:
        """arr.with(i, v): a copy with element i (negative: from the end) replaced."""
        vals = _dense(a)
        k = to_num(args[0]) if args else 0.0
        k = 0 if k != k else int(k) if abs(k) != math.inf else k
        i = k + len(vals) if k < 0 else k
        if not 0 <= i < len(vals):
            raise JSRangeError(f"Invalid index : {_value_text(args[0] if args else UNDEFINED)}")
        vals[int(i)] = args[1] if len(args) > 1 else UNDEFINED
        return JSArray(vals)

    def _includes(self, a: JSArray, args) -> bool:
        """SameValueZero, so NaN is found; a hole reads as undefined."""

        sought = args[0] if args else UNDEFINED
        vals = a.values()
        start = _clamp(args[1], len(vals)) if len(args) > 1 else 0
        if sought is not UNDEFINED and not (type(sought) is float and sought != sought):
            return _strict_index(vals, sought, start) >= 0  # (SameValueZero is === but for NaN and holes)
        target = same_value_zero(sought)
        for i in range(start, len(vals)):
            x = vals[i]
            if same_value_zero(UNDEFINED if x is HOLE else x) == target:
                return True
        return False

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
        d = to_integer(args[0]) if args else 0
        if not 0 <= d <= 100:
            raise JSRangeError("toFixed() digits argument must be between 0 and 100", pos)
        if x != x:
            return "NaN"
        if abs(x) >= 1e21:
            return num_to_str(x)
        from decimal import ROUND_HALF_UP, Context, Decimal

        # (exact: the double's own decimal expansion, rounded once; 21 + 100 digits fit)
        q = Decimal(abs(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP, context=Context(prec=160))
        text = format(q, "f")
        return ("-" + text) if x < 0 else text  # (-1e-10 gives "-0.00", as in JS; -0 is not < 0)

    def _install_prototypes(self, errors: dict) -> None:
        """Object.prototype's and the Error prototypes' methods.  They are
        module-wide objects (every JSObject() starts from them), so each
        engine refills them: what one program added does not leak into the
        next engine in this process."""
        V.CALL = lambda fn, this, args: self.call(fn, args, self.engine.current_pos, "function", this)
        OBJECT_PROTO.props = {}  # (a new table: one a program froze or defineProperty'd stays locked if cleared)
        OBJECT_PROTO.hidden = None
        for name, fn in {
            "hasOwnProperty": _has_own,
            "toString": _object_to_string,
            "toLocaleString": lambda this, a: self.call_method(this, "toString", [], None, "toString"),
            "valueOf": lambda this, a: this,
            "isPrototypeOf": _is_prototype_of,
            "propertyIsEnumerable": lambda this, a: (
                _has_own(this, a)
                and not (isinstance(this, JSObject) and this.hidden and to_str(a[0] if a else UNDEFINED) in this.hidden)
            ),
        }.items():
            OBJECT_PROTO.hide(name, Builtin(name, fn, method=True))

        def object_fn(name: str, args: list):
            return self.call(self.engine.globals_builtin["Object"].props[name], args, None, name)

        def proto_set(this, a):
            if this is None or this is UNDEFINED:
                raise JSTypeError("Object.prototype.__proto__ called on null or undefined", self.engine.current_pos)
            p = a[0] if a else UNDEFINED
            if p is None or _is_object(p):  # (anything else is ignored, as in JS)
                object_fn("setPrototypeOf", [this, p])
            return UNDEFINED

        # o.__proto__: the prototype, read and set (what `{__proto__: p}` in a literal also sets)
        OBJECT_PROTO.hide(
            "__proto__",
            Accessor(
                Builtin("get __proto__", lambda this, a: object_fn("getPrototypeOf", [this]), method=True),
                Builtin("set __proto__", proto_set, method=True),
            ),
        )
        ERROR_PROTOS.clear()
        for name in ERROR_KINDS:
            parent = ERROR_PROTOS.get("Error", OBJECT_PROTO)
            p = JSObject(proto=parent)
            p.hide("name", name)
            p.hide("message", "")
            p.hide("constructor", errors[name])
            if name == "Error":
                p.hide("toString", Builtin("toString", _error_to_string, method=True))
            ERROR_PROTOS[name] = p
            errors[name].prototype = p

    def _object_builtin(self) -> Builtin:
        """``Object`` and its static functions."""
        obj = Builtin("Object", lambda args: self._to_object(args[0] if args else UNDEFINED))
        obj.prototype = OBJECT_PROTO
        pos = None

        def create(args):
            proto = args[0] if args else UNDEFINED
            if proto is not None and not isinstance(proto, JSObject):
                raise JSTypeError(f"Object prototype may only be an Object or null: {to_str(proto)}", pos)
            o = JSObject(proto=proto)
            if len(args) > 1 and isinstance(args[1], JSObject):
                define_all([o, args[1]])
            return o

        def get_proto(args):
            o = args[0] if args else UNDEFINED
            if isinstance(o, JSObject) or type(o) in (JSArray, JSMap, JSSet):
                return self.proto_of(o)
            if type(o) is JSFunction:
                return o.proto if o.proto is not None else self.engine.globals_builtin["Function"].prototype
            if o is None or o is UNDEFINED:
                raise JSTypeError("Cannot convert undefined or null to object", self.engine.current_pos)
            t = type(o)  # a primitive: its wrapper's prototype
            if t is str:
                return self.string_proto
            if t is float:
                return self.number_proto
            if t is bool:
                return self.boolean_proto
            if t is int:
                return self.bigint_proto
            return OBJECT_PROTO

        def set_proto(args):
            o = args[0] if args else UNDEFINED
            p = args[1] if len(args) > 1 else UNDEFINED
            if isinstance(o, JSObject) and (p is None or isinstance(p, JSObject)):
                o.proto = p
            elif type(o) is JSFunction and type(p) in (JSFunction, Builtin):
                o.proto = p
            return o

        def freeze(args):
            if not args:
                return UNDEFINED
            if type(args[0]) is TA.JSTypedArray and len(args[0]):  # (its elements stay writable: node refuses)
                raise JSTypeError("Cannot freeze array buffer views with elements", self.engine.current_pos)
            return V.lock(args[0], 3)

        def define(args):
            o, key, desc = (list(args) + [UNDEFINED] * 3)[:3]
            if not _is_object(o):
                raise JSTypeError("Object.defineProperty called on non-object", self.engine.current_pos)
            if not isinstance(desc, JSObject):
                raise JSTypeError(f"Property description must be an object: {to_str(desc)}", self.engine.current_pos)
            k = to_str(key)
            getter, setter = desc.get("get"), desc.get("set")
            has = {f: V.find(desc, f) is not MISSING for f in ("value", "writable", "enumerable", "configurable")}
            if getter is not UNDEFINED or setter is not UNDEFINED:
                value = Accessor(None if getter is UNDEFINED else getter, None if setter is UNDEFINED else setter)
            else:
                value = desc.get("value")
            if type(o) is JSArray:
                self.set_prop(o, k, value, None)
                return o
            if not isinstance(o, JSObject):  # (functions: their own table, attributes not kept)
                o.props[k] = value
                return o
            existed = k in o.props
            if type(value) is not Accessor and not has["value"] and existed:
                value = o.props.get(k)  # (only attributes change)
            table = V.locked_props(o)
            if table is None:
                o.props[k] = value
                return o
            if existed or table.level < 1:
                dict.__setitem__(table, k, value)
            # attributes a descriptor leaves out: kept on an existing property, false on a new one
            writable = truthy(desc.get("writable")) if has["writable"] else (existed and table.writable(k))
            enumerable = (
                truthy(desc.get("enumerable")) if has["enumerable"] else (existed and k not in (o.hidden or ()))
            )
            if type(value) is not Accessor and not writable:
                table.readonly.add(k)
            else:
                table.readonly.discard(k)
            configurable = (
                truthy(desc.get("configurable")) if has["configurable"] else (existed and k not in table.fixed)
            )
            (table.fixed.discard if configurable else table.fixed.add)(k)
            if not enumerable:
                if o.hidden is None:
                    o.hidden = set()
                o.hidden.add(k)
            elif o.hidden:
                o.hidden.discard(k)
            return o

        def descriptor(args):
            o, key = (list(args) + [UNDEFINED] * 2)[:2]
            if o is None or o is UNDEFINED:
                raise JSTypeError("Cannot convert undefined or null to object", self.engine.current_pos)
            k = to_str(key) if type(key) is not JSSymbol else key

            def data(value, writable: bool, enumerable: bool, configurable: bool) -> JSObject:
                return JSObject(
                    {"value": value, "writable": writable, "enumerable": enumerable, "configurable": configurable}
                )

            if type(o) is JSArray:
                if k == "length":
                    return data(float(len(o)), True, False, False)
                return data(self.get_prop(o, k, None), True, True, True) if _has_own(o, [k]) else UNDEFINED
            if type(o) is str:
                if k == "length":
                    return data(float(len(o)), False, False, False)
                i = _index(k) if type(k) is str else -1
                return data(o[i], False, True, False) if 0 <= i < len(o) else UNDEFINED
            if isinstance(o, (JSFunction, Builtin)) and k in o.props:
                t = o.props if type(o.props) is V.LockedProps else None  # (Number's constants)
                return data(o.props[k], t is None or t.writable(k), True, t is None or k not in t.fixed)
            if not isinstance(o, JSObject) or k not in o.props:
                return UNDEFINED
            v = o.props.get(k)
            table = o.props if type(o.props) is V.LockedProps else None
            level = table.level if table is not None else 0
            out = {}
            if type(v) is Accessor:
                out["get"] = v.get if v.get is not None else UNDEFINED
                out["set"] = v.set if v.set is not None else UNDEFINED
            else:
                out["value"] = v
                out["writable"] = table.writable(k) if table is not None else True
            out["enumerable"] = not (o.hidden and k in o.hidden)
            out["configurable"] = level < 2 and not (table is not None and k in table.fixed)
            return JSObject(out)

        def descriptors(args):
            o = args[0] if args else UNDEFINED
            out = JSObject()
            names = own_names([o]) if isinstance(o, (JSObject, JSArray)) else JSArray([])
            for k in names.values():
                d = descriptor([o, k])
                if d is not UNDEFINED:
                    out.props[k] = d
            return out

        def define_all(args):
            o, descs = args[0], args[1] if len(args) > 1 else UNDEFINED
            if isinstance(descs, JSObject):
                for k in descs.keys():
                    define([o, k, descs.props[k]])
            return o

        def keys(o) -> list[str]:
            if type(o) is V.JSProxy:
                own = self.proxy_keys(o)
                return own if own is not None else keys(o.target)
            if isinstance(o, JSObject):
                return o.keys()
            if type(o) is JSArray or type(o) is str or type(o) in (JSFunction, Builtin):
                return self.for_in_keys(o)
            if o is None or o is UNDEFINED:
                raise JSTypeError("Cannot convert undefined or null to object", self.engine.current_pos)
            return []

        def assign(args):
            target = args[0] if args else UNDEFINED
            for src in args[1:]:
                if src is None or src is UNDEFINED:
                    continue
                for k in keys(src):
                    self.set_prop(target, k, self.get_prop(src, k, None), None)
            return target

        def from_entries(args):
            o = JSObject()
            pos = self.engine.current_pos
            for e in self.iterate(args[0] if args else UNDEFINED, pos, None):
                if type(e) is JSArray:
                    k, v = (e.get(0) if len(e) else UNDEFINED), (e.get(1) if len(e) > 1 else UNDEFINED)
                elif _is_object(e):  # any object is an entry: its "0" and "1"
                    k, v = self.get_prop(e, "0", pos), self.get_prop(e, "1", pos)
                else:
                    raise JSTypeError(f"Iterator value {to_str(e)} is not an entry object", pos)
                o.props[prop_key(k) if type(k) is V.JSSymbol else to_str(k)] = v
            return o

        def own_names(args):
            o = args[0] if args else UNDEFINED
            if isinstance(o, JSObject):  # (integer-like keys first, ascending, as every own-key list)
                return JSArray(V.in_key_order([k for k in o.props if type(k) is str and not k.startswith("#")]))
            if type(o) is JSArray or type(o) is str:  # (length is an own property, not enumerable)
                return JSArray(keys(o) + ["length"])
            return JSArray(keys(o))

        get = self.get_prop
        statics = {
            "keys": lambda a: JSArray(keys(a[0] if a else UNDEFINED)),
            "values": lambda a: JSArray([get(a[0], k, None) for k in keys(a[0] if a else UNDEFINED)]),
            "entries": lambda a: JSArray([JSArray([k, get(a[0], k, None)]) for k in keys(a[0] if a else UNDEFINED)]),
            "create": create,
            "getPrototypeOf": get_proto,
            "setPrototypeOf": set_proto,
            "defineProperty": define,
            "defineProperties": define_all,
            "getOwnPropertyDescriptor": descriptor,
            "getOwnPropertyDescriptors": descriptors,
            "getOwnPropertyNames": own_names,
            "assign": assign,
            "fromEntries": from_entries,
            "freeze": freeze,
            "seal": lambda a: V.lock(a[0], 2) if a else UNDEFINED,
            "preventExtensions": lambda a: V.lock(a[0], 1) if a else UNDEFINED,
            "isFrozen": lambda a: V.lock_level(a[0] if a else UNDEFINED) >= 3,
            "isSealed": lambda a: V.lock_level(a[0] if a else UNDEFINED) >= 2,
            "isExtensible": lambda a: V.lock_level(a[0] if a else UNDEFINED) == 0,
            "is": lambda a: _same_value(*(list(a) + [UNDEFINED, UNDEFINED])[:2]),
            "hasOwn": lambda a: _has_own(self._not_nullish(a[0] if a else UNDEFINED), a[1:]),
            "getOwnPropertySymbols": lambda a: JSArray(
                [k for k in o.props if type(k) is V.JSSymbol]
                if isinstance(o := self._not_nullish(a[0] if a else UNDEFINED), JSObject)
                else []
            ),
        }
        for name, fn in statics.items():
            obj.props[name] = Builtin(name, fn)
        return obj

    def console_error(self, args):
        """console.error/warn: node writes them to stderr."""
        if hasattr(self.out, "flush"):
            self.out.flush()
        sys.stderr.write(utf16.to_text(format_args(args)) + "\n")
        return UNDEFINED

    def console_log(self, args):
        self.write_out(format_args(args) + "\n")
        return UNDEFINED

    def write_out(self, units: str) -> bool:
        """The program's output, as the UTF-8 text node writes."""
        self.out.write(utf16.to_text(units))
        return True

    def exit_code(self) -> int:
        """The status a program that ran to its end exits with: its
        ``process.exitCode`` (node's; 0 unless the program set it)."""
        cell = self.engine.globals.get("process")
        proc = cell.v if cell is not None else None
        if not isinstance(proc, JSObject):
            return 0
        return exit_status(self.get_prop(proc, "exitCode", None))

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
            if x != x or x in (math.inf, -math.inf) or x == 0:
                return x
            if -0.5 <= x < 0:
                return -0.0
            r = math.floor(x)  # (not floor(x + 0.5): 0.49999999999999994 + 0.5 rounds up to 1.0)
            return float(r + 1 if x - r >= 0.5 else r)

        def js_max(*xs):  # (+0 is larger than -0 here)
            if any(x != x for x in xs):
                return NAN
            r = max(xs) if xs else -math.inf
            return 0.0 if r == 0 and any(x == 0 and math.copysign(1, x) > 0 for x in xs) else r

        def js_min(*xs):  # (-0 is smaller than +0 here)
            if any(x != x for x in xs):
                return NAN
            r = min(xs) if xs else math.inf
            return -0.0 if r == 0 and any(x == 0 and math.copysign(1, x) < 0 for x in xs) else r

        def safe(f):
            def g(x=NAN, *_):
                if x != x:
                    return NAN
                if x in (math.inf, -math.inf):
                    return x if f in (math.floor, math.ceil, math.trunc) else NAN
                r = float(f(x))
                return math.copysign(0.0, x) if r == 0 else r  # (ceil(-0.5) and trunc(-0.5) are -0)

            return g

        def js_pow(x=NAN, y=NAN, *_):
            from .values import js_pow as p

            return p(x, y)

        def js_sqrt(x=NAN, *_):
            return math.sqrt(x) if x >= 0 else (NAN if x == x else NAN)

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
                "sin": math_fn("sin", m1(FDLIBM.sin)),  # (V8's fdlibm results, not the C library's)
                "cos": math_fn("cos", m1(FDLIBM.cos)),
                "tan": math_fn("tan", m1(FDLIBM.tan)),
                "atan2": math_fn("atan2", lambda y=NAN, x=NAN, *_: FDLIBM.atan2(y, x)),
                "exp": math_fn("exp", m1(FDLIBM.exp)),
                "log": math_fn("log", m1(FDLIBM.log)),
                "pow": math_fn("pow", js_pow),
                "min": math_fn("min", js_min),
                "max": math_fn("max", js_max),
                "sign": math_fn("sign", m1(lambda x: x if x != x or x == 0 else math.copysign(1.0, x))),
                "random": Builtin("random", lambda args: r.rng.random()),
            },
        )
        NUM.add_math(math_obj)
        consts = V.locked_props(math_obj)  # (Math's constants are read-only and permanent: a store is ignored)
        for k in ("PI", "E", *NUM.MATH_CONSTANTS):
            consts.readonly.add(k)
            consts.fixed.add(k)
        console = JSObject(
            {
                "log": Builtin("log", r.console_log),
                "info": Builtin("info", r.console_log),
                "debug": Builtin("debug", r.console_log),
                "error": Builtin("error", r.console_error),
                "warn": Builtin("warn", r.console_error),
            }
        )
        # what the JIT compiles Math.f(x) and console.log(...) into, as they
        # were made: it guards each one it compiles to be these still
        self.jit_builtins = {"Math": dict(math_obj.props), "console": dict(console.props)}
        array = Builtin("Array", lambda args: r._new_array(args, None), {})
        self._builtin_prototypes()
        array.prototype = self.array_proto
        self.array_proto.hide("constructor", array)
        array.props["isArray"] = Builtin(
            "isArray", lambda args: bool(args) and type(args[0]) is JSArray and args[0].proto is not V.ARGUMENTS_PROTO
        )
        number = Builtin(
            "Number",
            lambda args: _explicit_number(args[0]) if args else 0.0,
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
        number.prototype = self.number_proto
        self.number_proto.hide("constructor", number)
        for name, fn in NUM.NUMBER_EXTRA.items():
            number.props[name] = Builtin(name, fn)
        number.props["parseFloat"] = Builtin("parseFloat", _parse_float_of)
        number.props["parseInt"] = Builtin("parseInt", lambda args: _parse_int(args))
        consts = V.locked_props(number)  # (Number's constants are read-only and permanent, as Math's)
        for k in ("MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "MAX_VALUE", "MIN_VALUE", "EPSILON", "POSITIVE_INFINITY",
                  "NEGATIVE_INFINITY", "NaN"):  # fmt: skip
            consts.readonly.add(k)
            consts.fixed.add(k)
        self.jit_builtins["Number"] = dict(number.props)  # (its constants and isInteger etc.: apps.js.codegen)
        string = Builtin("String", lambda args: to_str(args[0]) if args else "")
        string.construct = lambda args, pos: V.JSWrapper(to_str(args[0]) if args else "", self.string_proto)
        number.construct = lambda args, pos: V.JSWrapper(_explicit_number(args[0]) if args else 0.0, self.number_proto)
        string.prototype = self.string_proto
        self.string_proto.hide("constructor", string)
        string.props["fromCharCode"] = Builtin(
            "fromCharCode", lambda args: "".join(chr(to_uint32(to_num(a)) & 0xFFFF) for a in args)
        )
        string.props["fromCodePoint"] = Builtin("fromCodePoint", _from_code_point)
        string.props["raw"] = Builtin("raw", r._string_raw)
        self.jit_builtins["String"] = dict(string.props)  # (String.fromCharCode: apps.js.codegen)
        errors = {name: Builtin(name, lambda args, name=name: _new_error(name, args)) for name in ERROR_KINDS}
        errors["Map"] = Builtin("Map", lambda args: _needs_new("Map"))
        errors["Set"] = Builtin("Set", lambda args: _needs_new("Set"))
        array.props["from"] = Builtin("from", lambda this, args: r._array_from(args, this), method=True)
        array.props["of"] = Builtin("of", lambda this, args: r._array_of(args, this), method=True)
        for kind, methods in (("Map", MAP_METHODS), ("Set", SET_METHODS)):
            proto = JSObject()  # Map.prototype / Set.prototype: what a subclass's instances inherit
            for name, m in list(methods.items()) + [("forEach", lambda c, a: r._coll_for_each(c, a))]:
                proto.hide(
                    name, Builtin(name, lambda this, args, m=m, kind=kind: m(_coll(this, kind), args), method=True)
                )
            size = Builtin("size", lambda this, args, kind=kind: float(len(_coll(this, kind).data)), method=True)
            proto.hide("size", Accessor(size))
            proto.hide("constructor", errors[kind])
            if kind == "Set":
                proto.hide("keys", proto.props["values"])  # (one function, as in JS)
            proto.hide(SYMBOL_ITERATOR, proto.props["entries" if kind == "Map" else "values"])
            errors[kind].prototype = proto
            if kind == "Map":
                self.map_proto, self.map_builtins = proto, dict(proto.props)
            else:
                self.set_proto, self.set_builtins = proto, dict(proto.props)
        obj = self._object_builtin()
        function = Builtin("Function", lambda args: r.engine.new_function([to_str(a) for a in args]))
        function.construct = lambda args, pos: r.engine.new_function([to_str(a) for a in args])
        boolean = Builtin("Boolean", lambda args: truthy(args[0]) if args else False)
        boolean.prototype = self.boolean_proto
        boolean.construct = lambda args, pos: V.JSWrapper(truthy(args[0]) if args else False, self.boolean_proto)
        self.boolean_proto.hide("constructor", boolean)
        for name, conv in (("valueOf", lambda v: v), ("toString", to_str)):  # a Boolean wrapper's, unwrapped
            self.boolean_proto.hide(
                name,
                Builtin(
                    name, lambda this, args, c=conv: c(this.value if type(this) is V.JSWrapper else this), method=True
                ),
            )
        self._install_prototypes(errors)
        OBJECT_PROTO.hide("constructor", obj)
        import time as _time

        t0 = _time.perf_counter()
        performance = JSObject({"now": Builtin("now", lambda args: (_time.perf_counter() - t0) * 1000.0)})
        typed = {}
        for kind in TA.KINDS:
            b = Builtin(kind, lambda args, kind=kind: _needs_new(kind))
            b.construct = lambda args, pos, kind=kind: TA.construct(kind, args, r._it)
            b.props["BYTES_PER_ELEMENT"] = float(TA.SIZES[kind])
            b.props["from"] = Builtin("from", lambda args, kind=kind: TA.construct(kind, [r._array_from(args)], r._it))
            b.props["of"] = Builtin("of", lambda args, kind=kind: TA.construct(kind, [JSArray(list(args))], r._it))
            typed[kind] = b
        buffer = Builtin("ArrayBuffer", lambda args: _needs_new("ArrayBuffer"))
        buffer.construct = lambda args, pos: TA.JSArrayBuffer(_array_buffer_length(args, pos))
        typed["ArrayBuffer"] = buffer
        typed["RegExp"] = self._regexp_builtin()
        registry: dict = {}
        symbol = Builtin("Symbol", lambda a: JSSymbol(UNDEFINED if not a or a[0] is UNDEFINED else to_str(a[0])))
        symbol.props.update(WELL_KNOWN)
        symbol.props["for"] = Builtin(
            "for",
            lambda a: registry.setdefault(to_str(a[0] if a else UNDEFINED), JSSymbol(to_str(a[0] if a else UNDEFINED))),
        )

        def key_for(a):
            sym = a[0] if a else UNDEFINED
            if type(sym) is not JSSymbol:
                from .inspect import inspect

                raise JSTypeError(f"{inspect(sym)} is not a symbol")
            return sym.description if registry.get(sym.description) is sym else UNDEFINED

        symbol.props["keyFor"] = Builtin("keyFor", key_for)
        typed["Symbol"] = symbol
        typed["BigInt"] = make_bigint(self.bigint_proto)

        def hrtime(a):
            """[seconds, nanoseconds] of a monotonic clock, or since ``a[0]``'s time."""
            ns = _time.perf_counter_ns()
            prev = a[0] if a else UNDEFINED
            if type(prev) is JSArray:
                s0, n0 = (to_num(prev.get(k)) if k < len(prev) else 0.0 for k in (0, 1))
                ns -= int(s0) * 1_000_000_000 + int(n0)
            return JSArray([float(ns // 1_000_000_000), float(ns % 1_000_000_000)])

        hrtime_fn = Builtin("hrtime", hrtime)
        hrtime_fn.props["bigint"] = Builtin("bigint", lambda a: _time.perf_counter_ns())  # (a BigInt is an int)
        process = JSObject(
            {
                "hrtime": hrtime_fn,
                "argv": JSArray([utf16.to_units(a) for a in self.engine.argv]),
                "stdout": JSObject({"write": Builtin("write", lambda a: r.write_out(to_str(a[0]) if a else ""))}),
                "nextTick": Builtin("nextTick", lambda a: promises.next_tick(r.engine, a)),
                "exitCode": UNDEFINED,
            }
        )

        def process_exit(a):
            code = a[0] if a and a[0] is not UNDEFINED else process.props.get("exitCode", UNDEFINED)
            raise ProgramExit(exit_status(code))

        process.props["exit"] = Builtin("exit", process_exit)
        json_obj = make_json(r)
        promise_globals = promises.make_globals(r)  # (sets self.promise_proto)
        for o in (math_obj, json_obj):  # (their members are not enumerable: Object.keys(Math) is [])
            o.hidden = set(o.props)
        for o, tag in ((math_obj, "Math"), (json_obj, "JSON"), (self.promise_proto, "Promise")):
            o.hide(TO_STRING_TAG, tag)
        return {
            "process": process,
            "JSON": json_obj,
            **typed,
            "performance": performance,
            "Math": math_obj,
            "console": console,
            "Array": array,
            "Object": obj,
            "Function": function,
            "Boolean": boolean,
            "Number": number,
            "String": string,
            "isNaN": Builtin("isNaN", lambda args: to_num(args[0]) != to_num(args[0]) if args else True),
            "isFinite": Builtin("isFinite", lambda args: bool(args) and math.isfinite(to_num(args[0]))),
            "Date": NUM.make_date(r),
            "parseInt": number.props["parseInt"],  # (the same functions as Number's, as in JS)
            "parseFloat": number.props["parseFloat"],
            "NaN": NAN,
            "Infinity": math.inf,
            "typeof": typeof,
            **errors,
            **promise_globals,
            **WEAK.make(r, _is_object),
            **URI.make(),
            "Proxy": _proxy_constructor(),
            "structuredClone": Builtin("structuredClone", lambda a: REFLECT.structured_clone(r, a)),
            "eval": Builtin("eval", lambda a: r.engine.eval(a[0] if a else UNDEFINED)),
        }


NUMBER_METHODS = ("toString", "toFixed", "valueOf", "toPrecision", "toExponential", "toLocaleString")
TYPED_METHODS = {
    "fill", "set", "subarray", "slice", "sort", "forEach", "map", "filter", "reduce", "join", "indexOf",
    "includes", "find", "findIndex", "some", "every", "reverse",
}  # fmt: skip


ARRAY_MUTATORS = frozenset(("push", "pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin"))
SPECIES_METHODS = ("map", "filter", "slice", "splice", "concat", "flat", "flatMap")


def _adopt(dst: JSArray, src: JSArray) -> None:
    """Make ``dst`` hold ``src``'s elements (``dst`` keeps its identity,
    prototype and named properties)."""
    if dst.desc is not None and dst.desc is not src.desc:
        dst.desc[1] = -1  # native code holding dst's old descriptor sees it is stale
    for k in ("buf", "n", "items", "desc", "addr", "bools"):
        if hasattr(src, k):
            setattr(dst, k, getattr(src, k))


def _coll(this, kind: str):
    """``this`` for a Map.prototype / Set.prototype method, checked."""
    if type(this) is not (JSMap if kind == "Map" else JSSet):
        raise JSTypeError(f"Method {kind}.prototype method called on incompatible receiver {to_str(this)}")
    return this


def _array_buffer_length(args: list, pos) -> int:
    n = to_num(args[0]) if args else 0.0
    if n != n:
        n = 0.0
    if n < 0 or n > TA.MAX_BYTES or n != int(n):
        raise JSRangeError("Array buffer allocation failed", pos)
    return int(n)


def _buffer_slice(b, args: list):
    n = len(b.data)
    start = TA._rel(args[0], n, 0) if args else 0
    end = TA._rel(args[1], n, n) if len(args) > 1 else n
    out = TA.JSArrayBuffer(max(end - start, 0))
    if end > start:
        out.data[:] = b.data[start:end]
    return out


def _at(seq, a):
    n = len(seq)
    i = to_integer(a[0]) if a else 0
    i = i + n if i < 0 else i
    return seq[i] if 0 <= i < n else UNDEFINED


def _flat(vals: list, depth) -> list:

    out = []
    for v in vals:
        if type(v) is JSArray and depth >= 1:
            out.extend(_flat(v.values(), depth - 1))
        elif v is not HOLE:
            out.append(v)
    return out


def _pos_arg(a: list, i: int, n: int, default: int) -> int:
    if len(a) <= i or a[i] is UNDEFINED:
        return default
    x = to_num(a[i])
    return 0 if x != x else int(min(max(x, 0), n))


def not_iterable(v, text: str | None) -> str:
    """The TypeError's text for a value that is not iterable: the program's
    expression where it wrote one (``x is not iterable``), else -- a built-in
    iterating its argument -- V8's form, ``number 5 is not iterable (cannot
    read property Symbol(Symbol.iterator))``."""
    if text is not None:
        return f"{text} is not iterable"
    if v is UNDEFINED:
        what = "undefined"
    elif v is None:
        what = "object null"
    elif type(v) in (float, bool, int, str, JSSymbol):
        what = f"{V.typeof(v)} {repr(v) if type(v) is JSSymbol else to_str(v)}"
    else:
        what = V.typeof(v)
    return f"{what} is not iterable (cannot read property Symbol(Symbol.iterator))"


_ITERATED_DIRECTLY = (JSArray, str, JSMap, JSSet)


class Protector:
    """A fact about the whole program that fast paths rely on, true until
    the program breaks it, then false for good (V8's protector cells): read
    as ``v``, as the JIT's entry guards read a global cell."""

    __slots__ = ("v", "name")

    def __init__(self, name: str) -> None:
        self.v = True
        self.name = name


def _dense(a: JSArray) -> list:
    """The elements as a new list, holes read as undefined (the ES2023 copies)."""

    return [UNDEFINED if x is HOLE else x for x in a.values()]


def _str_last_index_of(s: str, a: list) -> float:
    sub = to_str(a[0]) if a else "undefined"
    pos = to_num(a[1]) if len(a) > 1 else math.nan
    end = len(s) if pos != pos else int(min(max(pos, 0), len(s)))
    return float(s.rfind(sub, 0, end + len(sub)))


def _pad(s: str, a: list, start: bool) -> str:
    n = to_integer(a[0]) if a else 0
    fill = " " if len(a) < 2 or a[1] is UNDEFINED else to_str(a[1])
    if n <= len(s) or not fill:
        return s
    if n > MAX_STRING:
        raise JSRangeError("Invalid string length")
    pad = (fill * ((n - len(s)) // len(fill) + 1))[: n - len(s)]
    return pad + s if start else s + pad


def _substr(s: str, a: list) -> str:
    n = len(s)
    start = _clamp(a[0], n) if a else 0
    length = n - start if len(a) < 2 or a[1] is UNDEFINED else to_integer(a[1])
    return s[start : start + max(0, length)]


_DIGITS = re.compile(r"(\d+)")
# ICU's root collation puts spaces, punctuation and symbols before digits, and digits before
# letters; the order of the common ones among themselves (node 20's, measured)
_SYMBOL_RANK = {
    c: i
    for i, c in enumerate(
        " \xa0_-\u2013\u2014,;:!\xa1?\xbf.\u2026\xb7'\u2019\"\u201c\xab\xbb()[]{}"
        "\xa7\xb6@*/\\&#%`^\xb0\xa9\xae+\xb1\xf7\xd7<=>|~"
    )
}
_SYMBOL_RANK.update({c: 100 + 3 * 0x110000 + i for i, c in enumerate("$\xa3\u20ac")})  # currency: after every symbol


def _primary_weight(c: str) -> tuple[int, int]:
    rank = _SYMBOL_RANK.get(c)
    if rank is not None:
        return (0, rank)
    cat = unicodedata.category(c)
    if cat[0] in "ZPS" or cat == "Cc":  # the rest: punctuation, then symbols, then currency
        return (0, 100 + ("PSc".find(cat[0]) if cat != "Sc" else 2) * 0x110000 + ord(c))
    if cat == "Nd":
        return (1, unicodedata.digit(c))
    return (2, ord(c))


def _locale_compare(a: str, b: str, args: list = (), get=None) -> float:
    """Case-insensitive first, case as the tie-break (ICU's root order for
    the ASCII programs compare); options numeric (digit runs as numbers) and
    sensitivity base/accent/case/variant.  Another locale, or another
    option, is refused by name rather than ordered differently."""
    NUM.check_locale(args[1] if len(args) > 1 else UNDEFINED, "localeCompare")
    numeric, sensitivity = False, "variant"
    opts = args[2] if len(args) > 2 else UNDEFINED
    if opts is not UNDEFINED and opts is not None and get is not None:
        for name in ("caseFirst", "ignorePunctuation", "collation", "usage"):
            if get(opts, name, None) is not UNDEFINED:
                raise JSRangeError(f"localeCompare's {name} option is not supported by this engine")
        numeric = truthy(get(opts, "numeric", None))
        s = get(opts, "sensitivity", None)
        if s is not UNDEFINED:
            sensitivity = to_str(s)
            if sensitivity not in ("base", "accent", "case", "variant"):
                raise JSRangeError(f"Value {sensitivity} out of range for Intl.Collator options property sensitivity")

    def key(s: str):  # ICU's levels: letters without accents, then accents, then case (lower first)
        folded = s.casefold()
        compat = unicodedata.normalize("NFKD", s).casefold()  # (compatibility forms weigh as their letters: ™ as tm)
        base = "".join(c for c in compat if not unicodedata.combining(c))
        if numeric:  # a run of digits weighs as its number
            parts = _DIGITS.split(base)
            primary = tuple(
                w for i, p in enumerate(parts) if p for w in (((1, int(p)),) if i % 2 else map(_primary_weight, p))
            )
        else:
            primary = tuple(map(_primary_weight, base))
        accents = folded if sensitivity in ("accent", "variant") else ""
        case = tuple(c.isupper() for c in s) if sensitivity in ("case", "variant") else ()
        return primary, accents, case

    ka, kb = key(utf16.to_code_points(a)), key(utf16.to_code_points(b))
    return 0.0 if ka == kb else (-1.0 if ka < kb else 1.0)


def _unsupported(what: str):
    from .errors import JSSyntaxError

    raise JSSyntaxError(f"{what} is not supported by this engine")


def _has_own(this, a) -> bool:
    k = to_str(a[0] if a else UNDEFINED)
    if isinstance(this, JSObject):
        return k in this.props or (type(this) is JSErrorObject and k in ("message", "stack"))
    if type(this) is JSArray:
        i = _index(k)
        if 0 <= i < len(this):
            return this.items is None or this.items[i] is not V.HOLE  # (a hole is no property)
        return k == "length" or (this.named is not None and k in this.named)
    if type(this) is JSFunction or type(this) is Builtin:
        return k in this.props or k in ("name", "length", "prototype")
    if type(this) is str:
        i = _index(k)
        return 0 <= i < len(this) or k == "length"
    return False


_TAGS = {JSArray: "Array", JSFunction: "Function", Builtin: "Function", str: "String", float: "Number",
         bool: "Boolean", JSErrorObject: "Error", JSMap: "Map", JSSet: "Set", int: "BigInt", NUM.JSDate: "Date",
         RX.JSRegExp: "RegExp", TA.JSArrayBuffer: "ArrayBuffer", GEN.JSGenerator: "Generator",
         V.JSSymbol: "Symbol", AGEN.JSAsyncGenerator: "AsyncGenerator"}  # fmt: skip
TO_STRING_TAG = V.WELL_KNOWN["toStringTag"]


def _from_code_point(args) -> str:
    out = []
    for a in args:
        n = to_num(a)
        if n != int(n) if n == n and n not in (math.inf, -math.inf) else True:
            raise JSRangeError(f"Invalid code point {to_str(a)}")
        if not 0 <= n <= 0x10FFFF:
            raise JSRangeError(f"Invalid code point {to_str(a)}")
        out.append(utf16.from_code_point(int(n)))
    return "".join(out)


def _locale_case(s: str, a: list, case, name: str) -> str:
    NUM.check_locale(a[0] if a else UNDEFINED, name)  # (Turkish dotted i and the like: refused by name)
    return utf16.via_code_points(s, case)


def _normalize(s: str, a: list) -> str:
    form = to_str(a[0]) if a and a[0] is not UNDEFINED else "NFC"
    if form not in ("NFC", "NFD", "NFKC", "NFKD"):
        raise JSRangeError("The normalization form should be one of NFC, NFD, NFKC, NFKD.")
    return utf16.via_code_points(s, lambda t: unicodedata.normalize(form, t))


def _object_to_string(this, a) -> str:
    """Object.prototype.toString: the built-in tag of the value's kind, or
    the string its [Symbol.toStringTag] holds (Math, JSON, Promise, a
    class's getter) -- what libraries test types with."""
    t = type(this)
    if this is UNDEFINED:
        return "[object Undefined]"
    if this is None:
        return "[object Null]"
    if t is V.JSWrapper:
        return "[object " + {str: "String", float: "Number", bool: "Boolean"}.get(type(this.value), "Object") + "]"
    if t is TA.JSTypedArray:
        return f"[object {this.kind}]"
    if t is JSArray and this.proto is V.ARGUMENTS_PROTO:
        return "[object Arguments]"
    if t is JSIterator:
        return V.to_str(this)
    tag = _TAGS.get(t, "Object")
    if t is JSFunction and getattr(this.node, "is_async", False):
        tag = "AsyncGeneratorFunction" if getattr(this.node, "generator", False) else "AsyncFunction"
    if isinstance(this, JSObject):
        own = V.find(this, TO_STRING_TAG)
        if type(own) is Accessor:
            own = V.CALL(own.get, this, []) if own.get is not None else UNDEFINED
        if type(own) is str:
            tag = own
    return f"[object {tag}]"


def _error_to_string(this, a) -> str:
    if not isinstance(this, JSObject):
        raise JSTypeError("Error.prototype.toString requires that 'this' be an Object")
    name = this.get("name")
    msg = this.get("message")
    name = "Error" if name is UNDEFINED else to_str(name)
    msg = "" if msg is UNDEFINED else to_str(msg)
    return f"{name}: {msg}" if name and msg else (name or msg)


def _is_prototype_of(this, a) -> bool:
    o = a[0] if a else UNDEFINED
    if not isinstance(o, JSObject):
        return False
    p = o.proto
    while p is not None:
        if p is this:
            return True
        p = p.proto
    return False


def _same_value(a, b) -> bool:
    if type(a) is float and type(b) is float:
        if a != a and b != b:
            return True
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return strict_equals(a, b)


def _registered(registry: dict, key: str):
    if key not in registry:
        registry[key] = JSSymbol(key)
    return registry[key]


def _is_object(v) -> bool:
    return isinstance(v, (JSObject, JSArray, JSFunction, Builtin, JSMap, JSSet, JSIterator, TA.JSTypedArray,
                          TA.JSArrayBuffer, RX.JSRegExp, GEN.JSGenerator, AGEN.JSAsyncGenerator))  # fmt: skip


def _repeat(s: str, a: list) -> str:
    n = to_num(a[0]) if a else 0.0
    if n != n:
        n = 0.0
    if n < 0 or n == math.inf:
        raise JSRangeError(f"Invalid count value: {num_to_str(n)}")
    if len(s) * int(n) > MAX_STRING:
        raise JSRangeError("Invalid string length")
    return s * int(n)


def exit_status(code) -> int:
    """The process status of ``process.exit(code)`` / ``process.exitCode``
    (undefined or null: 0; else the integer, as the OS keeps it: its low byte)."""
    if code is UNDEFINED or code is None:
        return 0
    return to_int32(to_num(code)) & 0xFF


def _needs_new(kind: str):
    raise JSTypeError(f"Constructor {kind} requires 'new'")


def _number_to_string(x: float, args: list) -> str:
    """Number.prototype.toString(radix): base 2..36, fractions too."""
    radix = 10 if not args or args[0] is UNDEFINED else to_integer(args[0])
    if not 2 <= radix <= 36:
        raise JSRangeError("toString() radix argument must be between 2 and 36")
    if radix == 10 or x != x or x in (math.inf, -math.inf):
        return num_to_str(x)
    return NUM.to_radix_string(x, radix)


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
    k = _zero_key(k)
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


def _zero_key(k):
    """A Map key or Set value as stored: -0 becomes +0 (so it prints as 0)."""
    return 0.0 if type(k) is float and k == 0 else k


def _set_add(c: JSSet, a: list):
    v = _zero_key(a[0] if a else UNDEFINED)
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


ERROR_KINDS = ("Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError")


def _new_error(name: str, args: list) -> JSErrorObject:
    """``Error(message)`` and ``new Error(message)`` alike (and the other kinds)."""
    message = "" if not args or args[0] is UNDEFINED else to_str(args[0])
    e = JSErrorObject(name, message)
    error_cause(e, args)
    return e


def error_cause(e: JSErrorObject, args: list) -> None:
    """The ``cause`` of ``new Error(message, { cause })``: an own, non-enumerable property."""
    opts = args[1] if len(args) > 1 else UNDEFINED
    if isinstance(opts, JSObject) and V.find(opts, "cause") is not MISSING:
        v = V.find(opts, "cause")
        e.hide("cause", V.CALL(v.get, opts, []) if type(v) is Accessor and v.get is not None else v)


def error_value(e: JSError) -> object:
    """What ``catch`` binds for an exception: the thrown value, or for an
    error the engine raised (TypeError, RangeError, ...) the Error object a
    JS engine would have made."""
    if isinstance(e, JSThrow):
        return e.value
    return JSErrorObject(e.kind, e.message)


def _substring(s: str, a: list) -> str:
    n = len(s)
    if len(a) == 2:  # (the common call: two in-range integral doubles -- a tokenizer's s.substring(i, i + 1))
        x, y = a
        if type(x) is float and type(y) is float and 0.0 <= x <= y <= n and x == int(x) and y == int(y):
            return s[int(x) : int(y)]

    def c(v):
        x = to_num(v)
        return 0 if x != x else int(min(max(x, 0), n))

    start = c(a[0]) if a else 0
    end = c(a[1]) if len(a) > 1 and a[1] is not UNDEFINED else n
    return s[min(start, end) : max(start, end)]


_VALUE_NAMED = frozenset(("callback", "comparator", "replacer", "fn"))


def _proxy_constructor() -> Builtin:
    def construct(args, pos=None):
        target, handler = (list(args) + [UNDEFINED, UNDEFINED])[:2]
        if not _is_object(target) or not _is_object(handler):
            raise JSTypeError("Cannot create proxy with a non-object as target or handler", pos)
        return V.JSProxy(target, handler)

    proxy = Builtin("Proxy", lambda a: _needs_new("Proxy"))
    proxy.construct = construct
    return proxy


def _trap_key(key):
    """A property key as a trap receives it: a string (or a symbol)."""
    return key if type(key) is V.JSSymbol else to_str(prop_key(key))


def _value_text(v) -> str:
    """A value as V8 names it in an error (NoSideEffectsToString)."""
    t = type(v)
    if t is str:
        return v
    if t is JSArray:
        return "[object Array]"
    if t is RX.JSRegExp or t is NUM.JSDate:
        return "[object RegExp]" if t is RX.JSRegExp else "[object Date]"
    if t is TA.JSTypedArray:
        return f"[object {v.kind}]"
    if t is JSMap or t is JSSet:
        return "#<Map>" if t is JSMap else "#<Set>"
    if t is JSErrorObject:
        return to_str(v)
    if isinstance(v, JSObject):
        return _receiver(v)
    if t is int:
        return str(v)
    return repr(v) if t is V.JSSymbol else to_str(v)


def _receiver(o) -> str:
    """An object as V8's store and delete errors name it: ``#<Point>``,
    ``[object Array]``."""
    if type(o) is JSArray:
        return "[object Array]"
    if type(o) is JSFunction or type(o) is Builtin:
        return to_str(o)
    proto = getattr(o, "proto", None)
    if proto is None:
        return "[object Object]"
    ctor = V.find(proto, "constructor")
    name = getattr(ctor, "name", "") if type(ctor) in (JSFunction, Builtin) else ""
    return f"#<{name or 'Object'}>"


def _refused_store(o, k, exists: bool) -> str:
    if exists:
        return f"Cannot assign to read only property '{to_str(k)}' of object '{_receiver(o)}'"
    return f"Cannot add property {to_str(k)}, object is not extensible"


def _locked_array_store(a: JSArray, key, value, strict: bool, pos) -> bool:
    """Whether a store to a frozen, sealed or non-extensible array goes
    ahead; a refused one is ignored, or in strict code a TypeError."""
    n = len(a)
    if key == "length":
        if a.locked == 3:
            refused = _refused_store(a, "length", True)
        elif a.locked == 2 and 0 <= to_num(value) < n:  # (shrinking deletes elements)
            refused = f"Cannot delete property '{n - 1}' of [object Array]"
        else:
            return True
    else:
        k = prop_key(key)
        i = _index(k)
        if i >= 0:
            exists = 0 <= i < n and a.get(i) is not HOLE  # (filling a hole adds a property)
        else:
            exists = a.named is not None and k in a.named
        if exists and a.locked < 3:
            return True
        refused = _refused_store(a, k, exists)
    if strict:
        raise JSTypeError(refused, pos)
    return False


# what a mutating method of a locked array reports, as V8 does: (level it fails at, message)
def _locked_array_method(a: JSArray, name: str, args: list) -> None:
    n, level = len(a), a.locked
    add = "Cannot add property {}, object is not extensible"
    readonly = "Cannot assign to read only property '{}' of object '[object Array]'"
    remove = "Cannot delete property '{}' of [object Array]"
    msg = None
    if name in ("push", "unshift") and not args:
        msg = readonly.format("length") if level == 3 else None
    elif name == "push":
        msg = add.format(n)
    elif name == "unshift":
        msg = add.format(n + len(args) - 1)
    elif name == "pop" and n and level >= 2:
        msg = remove.format(n - 1)
    elif name == "shift" and n and level >= 2:
        msg = readonly.format(0) if level == 3 and n > 1 else remove.format(n - 1)
    elif name == "splice" and n:
        start = _clamp(args[0], n) if args else n
        count = n - start if len(args) < 2 else max(0, min(to_integer(args[1]), n - start))
        items = max(len(args) - 2, 0)
        if items > count:
            msg = add.format(n + items - count - 1)
        elif level == 3 and (items or count) and (start + count < n or items):
            msg = readonly.format(start)
        elif level >= 2 and count > items:
            msg = remove.format(n - 1)
    elif name in ("sort", "reverse", "fill", "copyWithin") and level == 3 and n:
        first = 0
        if name == "fill" and len(args) > 1:
            first = _clamp(args[1], n)
        elif name == "copyWithin" and args:
            first = _clamp(args[0], n)
        if first < n and (name != "reverse" or n > 1):
            msg = readonly.format(first)
    if msg is not None:
        raise JSTypeError(msg)


def _index_arg(a: list) -> int:
    """A position argument as an int (NaN 0, infinities out of any range)."""
    i = to_num(a[0]) if a else 0.0
    if i != i:
        return 0
    return int(max(min(i, 2.0**53), -1.0))  # (truncates: -0.5 is position 0)


def _char_at(s: str, a: list) -> str:
    i = _index_arg(a)
    return s[i] if 0 <= i < len(s) else ""


def _array_like_length(v) -> int:
    """An array-like's length to materialize: ToLength, and past an array's
    largest length the RangeError an array of it would raise."""
    n = max(to_integer(v), 0)
    if n >= 2**32:
        raise JSRangeError("Invalid array length")
    return n


def _strict_index(vals: list, target, start: int) -> int:
    """The first index from ``start`` whose value is === ``target``, or -1:
    list.index finds candidates at C speed (by identity, then ==), each then
    checked by strict_equals -- == also takes 1.0 for True, and NaN (never
    ===) for the very same NaN."""
    if type(target) is float and target != target:
        return -1
    i = start
    while True:
        try:
            i = vals.index(target, i)
        except ValueError:
            return -1
        if strict_equals(vals[i], target):
            return i
        i += 1


def _clamp(v, n: int) -> int:
    x = to_integer(v)
    if x < 0:
        return max(n + x, 0)
    return min(x, n)


def _parse_float_of(args) -> float:
    return _parse_float(V.implicit_str(args[0]) if args else "")


def _parse_int(args) -> float:
    s = V.implicit_str(args[0]).lstrip(JS_SPACE) if args else ""
    radix = to_int32(to_num(args[1])) if len(args) > 1 and args[1] is not UNDEFINED else 0
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
    return math.copysign(float(int(s[:i], radix)), sign) if i else NAN  # (parseInt("-0") is -0)


def _explicit_number(v) -> float:
    """Number(v): as ToNumber, except that a BigInt converts (explicitly)."""
    v = V.to_numeric(v)
    return V.bigint_to_num(v) if type(v) is int else v


_FLOAT_PREFIX = re.compile(rf"[+-]?(?:Infinity|{V.DECIMAL})")  # (ASCII digits: values.DECIMAL)


def _parse_float(s: str) -> float:
    m = _FLOAT_PREFIX.match(s.lstrip(JS_SPACE))
    if not m:
        return NAN
    t = m.group(0)
    if "Infinity" in t:
        return -math.inf if t[0] == "-" else math.inf
    return float(t)


__all__ = ["Runtime", "to_int32"]


def _present(a: JSArray, reverse: bool = False):
    """(index, element) for forEach, map, filter, reduce and the like: each
    index below the length they began with, read when reached (a callback's
    store to a later element is seen), skipping holes and indices past a
    length that shrank since (HasProperty false: node calls nothing there)."""
    n = len(a)
    for i in range(n - 1, -1, -1) if reverse else range(n):
        if i < len(a):
            x = a.get(i)
            if x is not HOLE:
                yield i, x


def _visited(a: JSArray, reverse: bool = False):
    """(index, element) for find and findIndex (and their Last forms): every
    index below the length they began with, read when reached, a hole or an
    index past the end as undefined."""
    n = len(a)
    for i in range(n - 1, -1, -1) if reverse else range(n):
        x = a.get(i)
        yield i, UNDEFINED if x is HOLE else x
