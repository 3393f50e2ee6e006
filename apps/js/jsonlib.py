"""The JSON global: stringify (replacer, indent, toJSON) and parse (reviver),
with node's texts for its errors."""

from __future__ import annotations

import json
import math
import re

from . import inspect, utf16
from .errors import JSError, JSTypeError
from .values import UNDEFINED, Builtin, JSArray, JSFunction, JSObject, JSWrapper, bounded, num_to_str, to_str


class JSONSyntaxError(JSError):
    kind = "SyntaxError"


def make_json(rt) -> JSObject:
    def stringify(args):
        value = args[0] if args else UNDEFINED
        replacer = args[1] if len(args) > 1 else UNDEFINED
        space = args[2] if len(args) > 2 else UNDEFINED
        return bounded(Stringifier(rt, replacer, space).top(value))

    def parse(args):
        text = to_str(args[0] if args else UNDEFINED)
        reviver = args[1] if len(args) > 1 else UNDEFINED
        value = _parse(text, rt)
        if type(reviver) in (JSFunction, Builtin):
            holder = JSObject({"": value})
            return _revive(rt, holder, "", reviver)
        return value

    def text(value):
        out = Stringifier(rt, UNDEFINED, UNDEFINED).top(value)
        return None if out is UNDEFINED else out

    inspect.JSON_TEXT = text  # console.log's %j is JSON.stringify
    return JSObject({"stringify": Builtin("stringify", stringify), "parse": Builtin("parse", parse)})


class Stringifier:
    def __init__(self, rt, replacer, space) -> None:
        self.rt = rt
        self.fn = replacer if type(replacer) in (JSFunction, Builtin) else None
        self.allow = None
        if type(replacer) is JSArray:
            self.allow = [to_str(k) for k in replacer.values() if type(k) in (str, float)]
        if type(space) is float:
            self.gap = " " * max(0, min(10, int(space))) if space == space else ""
        elif type(space) is str:
            self.gap = space[:10]
        else:
            self.gap = ""
        self.stack: list = []

    def top(self, value):
        holder = JSObject({"": value})
        out = self.str_("", holder, value, "")
        return UNDEFINED if out is None else out

    def str_(self, key: str, holder, value, indent: str) -> str | None:
        rt = self.rt
        if isinstance(value, JSObject) or type(value) is JSArray or type(value) is int:  # (int: a BigInt)
            to_json = rt.get_prop(value, "toJSON", None)
            if type(to_json) in (JSFunction, Builtin):
                value = rt.call(to_json, [key], None, "toJSON", value)
        if self.fn is not None:
            value = rt.call(self.fn, [key, value], None, "replacer", holder)
        if type(value) is JSWrapper:
            value = value.value  # new String("a") is "a" in JSON
        t = type(value)
        if value is None:
            return "null"
        if t is bool:
            return "true" if value else "false"
        if t is str:
            return _quote(value)
        if t is float:
            return num_to_str(value) if math.isfinite(value) else "null"
        if t is int:
            raise JSTypeError("Do not know how to serialize a BigInt")
        if t is JSArray or isinstance(value, JSObject):
            if any(value is s for s in self.stack):
                raise JSTypeError("Converting circular structure to JSON")
            self.stack.append(value)
            try:
                return self.array(value, indent) if t is JSArray else self.object(value, indent)
            finally:
                self.stack.pop()
        if type(value).__name__ == "JSTypedArray":
            return self.object(JSObject({str(i): x for i, x in enumerate(value.values())}), indent)
        if t in (JSFunction, Builtin) or value is UNDEFINED or t.__name__ == "JSSymbol":
            return None  # (not JSON: left out of objects, null in arrays, undefined alone)
        return "{}"  # Map, Set, iterators: no enumerable properties

    def _wrap(self, parts: list[str], open_: str, close: str, indent: str, inner: str) -> str:
        if not parts:
            return open_ + close
        if not self.gap:
            return open_ + ",".join(parts) + close
        return f"{open_}\n{inner}" + f",\n{inner}".join(parts) + f"\n{indent}{close}"

    def array(self, a: JSArray, indent: str) -> str:
        from .values import HOLE

        inner = indent + self.gap
        parts = []
        for i, v in enumerate(a.values()):
            s = self.str_(str(i), a, UNDEFINED if v is HOLE else v, inner)
            parts.append("null" if s is None else s)
        return self._wrap(parts, "[", "]", indent, inner)

    def object(self, o, indent: str) -> str:
        inner = indent + self.gap
        parts = []
        keys = self.allow if self.allow is not None else o.keys()
        colon = ": " if self.gap else ":"
        for k in keys:
            s = self.str_(k, o, self.rt.get_prop(o, k, None), inner)
            if s is not None:
                parts.append(_quote(k) + colon + s)
        return self._wrap(parts, "{", "}", indent, inner)


_LONE = re.compile(utf16.LONE_SURROGATE)


def _quote(s: str) -> str:
    """A JSON string literal; a lone surrogate is written as its escape
    (well-formed JSON.stringify), a pair as the character it makes."""
    out = json.dumps(s, ensure_ascii=False)
    if utf16.has_surrogates(s):
        out = _LONE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


def parse_text(text: str, rt):
    """JSON.parse's value of ``text`` (no reviver)."""
    return _parse(text, rt)


def _parse(text: str, rt):
    def obj(pairs):
        return JSObject({k: v for k, v in pairs})

    def refuse(_constant):  # NaN / Infinity: Python's json takes them, JSON does not
        raise ValueError

    try:
        value = json.loads(text, object_pairs_hook=obj, parse_float=float, parse_int=float, parse_constant=refuse)
    except (json.JSONDecodeError, ValueError):
        raise JSONSyntaxError(v8_error(text), rt.engine.current_pos) from None
    value = _arrays(value)
    if _ESCAPED_SURROGATE.search(text):  # json joined an escaped pair into one character
        value = _as_units(value)
    return value


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _as_units(v):
    if type(v) is str:
        return utf16.to_units(v)
    if type(v) is JSArray:
        return JSArray([_as_units(x) for x in v.values()])
    if type(v) is JSObject:
        return JSObject({utf16.to_units(k): _as_units(x) for k, x in v.props.items()})
    return v


class _Refused(Exception):
    pass


_CONTEXT = 10  # V8 quotes this many characters each side of a bad token in a long text


def v8_error(text: str) -> str:
    """The message V8 (node 20) gives for JSON.parse(text) failing: found by
    walking the grammar as V8's parser does, since programs print it
    (Python's json module finds the same errors, named differently)."""
    n = len(text)

    def unexpected(pos: int, message: str | None = None):
        if message is not None:
            raise _Refused(f"{message} in JSON at position {pos}")
        if pos >= n:
            raise _Refused("Unexpected end of JSON input")
        c = text[pos]
        if c == '"':
            raise _Refused(f"Unexpected string in JSON at position {pos}")
        if c in "-0123456789":
            raise _Refused(f"Unexpected number in JSON at position {pos}")
        if text in ("NaN", "Infinity", "undefined", "[object Object]"):
            raise _Refused(f'"{text}" is not valid JSON')
        if n < 2 * _CONTEXT + 1:
            raise _Refused(f"Unexpected token '{c}', \"{text}\" is not valid JSON")
        if pos < _CONTEXT:
            raise _Refused(f"Unexpected token '{c}', \"{text[: pos + _CONTEXT]}\"... is not valid JSON")
        if pos < n - _CONTEXT:
            shown = text[pos - _CONTEXT : pos + _CONTEXT]
            raise _Refused(f"Unexpected token '{c}', ...\"{shown}\"... is not valid JSON")
        raise _Refused(f"Unexpected token '{c}', ...\"{text[pos - _CONTEXT :]}\" is not valid JSON")

    def ws(i: int) -> int:
        while i < n and text[i] in " \t\n\r":
            i += 1
        return i

    def string(i: int) -> int:
        j = i + 1
        while True:
            if j >= n:
                unexpected(n, "Unterminated string")
            c = text[j]
            if c == '"':
                return j + 1
            if c == "\\":
                k = j + 1
                if k >= n:
                    unexpected(n)  # (V8: the end of the input, not an unterminated string)
                if text[k] == "u":
                    for p in range(k + 1, k + 5):
                        if p >= n or text[p] not in "0123456789abcdefABCDEF":
                            unexpected(p, "Bad Unicode escape")
                    j = k + 5
                elif text[k] in '"\\/bfnrt':
                    j = k + 1
                else:
                    unexpected(k, "Bad escaped character")
            elif c < " ":
                unexpected(j, "Bad control character in string literal")
            else:
                j += 1

    def digits(j: int) -> int:
        while j < n and text[j].isdigit() and text[j].isascii():
            j += 1
        return j

    def number(i: int) -> int:
        j = i + 1 if text[i] == "-" else i
        if j >= n or not ("0" <= text[j] <= "9"):
            unexpected(j, "No number after minus sign")
        if text[j] == "0":
            j += 1
            if j < n and "0" <= text[j] <= "9":
                unexpected(j)
        else:
            j = digits(j)
        if j < n and text[j] == ".":
            j += 1
            if j >= n or not ("0" <= text[j] <= "9"):
                unexpected(j, "Unterminated fractional number")
            j = digits(j)
        if j < n and text[j] in "eE":
            j += 1
            if j < n and text[j] in "+-":
                j += 1
            if j >= n or not ("0" <= text[j] <= "9"):
                unexpected(j, "Exponent part is missing a number")
            j = digits(j)
        return j

    def value(i: int) -> int:
        i = ws(i)
        if i >= n:
            unexpected(i)
        c = text[i]
        if c == '"':
            return string(i)
        if c == "-" or "0" <= c <= "9":
            return number(i)
        if c == "{":
            i = ws(i + 1)
            if i < n and text[i] == "}":
                return i + 1
            if i >= n or text[i] != '"':
                unexpected(i, "Expected property name or '}'")
            while True:
                i = ws(string(i))
                if i >= n or text[i] != ":":
                    unexpected(i, "Expected ':' after property name")
                i = ws(value(i + 1))
                if i < n and text[i] == ",":
                    i = ws(i + 1)
                    if i >= n or text[i] != '"':
                        unexpected(i, "Expected double-quoted property name")
                    continue
                if i < n and text[i] == "}":
                    return i + 1
                unexpected(i, "Expected ',' or '}' after property value")
        if c == "[":
            i = ws(i + 1)
            if i < n and text[i] == "]":
                return i + 1
            while True:
                i = ws(value(i))
                if i < n and text[i] == ",":
                    i += 1
                    continue
                if i < n and text[i] == "]":
                    return i + 1
                unexpected(i, "Expected ',' or ']' after array element")
        for word in ("true", "false", "null"):
            if c == word[0]:
                for k, expected in enumerate(word):
                    if i + k >= n or text[i + k] != expected:
                        unexpected(i + k)
                return i + len(word)
        unexpected(i)
        return i

    try:
        end = ws(value(0))
        if end < n:
            raise _Refused(f"Unexpected non-whitespace character after JSON at position {end}")
    except _Refused as e:
        return str(e)
    return f"Unexpected token in JSON at position {n}"  # (not reached: Python's json refused it)


def _arrays(v):
    """json.loads gives lists: make them JSArrays (objects already are JSObjects)."""
    if type(v) is list:
        return JSArray([_arrays(x) for x in v])
    if type(v) is JSObject:
        for k, x in v.props.items():
            if type(x) in (list, JSObject):
                v.props[k] = _arrays(x)
    elif type(v) is int:
        return float(v)
    return v


def _revive(rt, holder, key: str, reviver):
    value = rt.get_prop(holder, key, None)
    if type(value) is JSArray:
        for i in range(len(value)):
            nv = _revive(rt, value, str(i), reviver)
            value.set(i, nv)
    elif isinstance(value, JSObject):
        for k in list(value.keys()):
            nv = _revive(rt, value, k, reviver)
            if nv is UNDEFINED:
                value.props.pop(k, None)
            else:
                value.props[k] = nv
    return rt.call(reviver, [key, value], None, "reviver", holder)
