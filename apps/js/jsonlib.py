"""The JSON global: stringify (replacer, indent, toJSON) and parse (reviver),
with node's texts for its errors."""

from __future__ import annotations

import json
import math

from . import inspect
from .errors import JSError, JSTypeError
from .values import UNDEFINED, Builtin, JSArray, JSFunction, JSObject, JSWrapper, num_to_str, to_str


class JSONSyntaxError(JSError):
    kind = "SyntaxError"


def make_json(rt) -> JSObject:
    def stringify(args):
        value = args[0] if args else UNDEFINED
        replacer = args[1] if len(args) > 1 else UNDEFINED
        space = args[2] if len(args) > 2 else UNDEFINED
        return Stringifier(rt, replacer, space).top(value)

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
            return json.dumps(value, ensure_ascii=False)
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
        if t in (JSFunction, Builtin) or value is UNDEFINED:
            return None
        return "{}"  # Map, Set, iterators: no enumerable properties

    def _wrap(self, parts: list[str], open_: str, close: str, indent: str, inner: str) -> str:
        if not parts:
            return open_ + close
        if not self.gap:
            return open_ + ",".join(parts) + close
        return f"{open_}\n{inner}" + f",\n{inner}".join(parts) + f"\n{indent}{close}"

    def array(self, a: JSArray, indent: str) -> str:
        from .interp import HOLE

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
                parts.append(json.dumps(k, ensure_ascii=False) + colon + s)
        return self._wrap(parts, "{", "}", indent, inner)


def _parse(text: str, rt):
    def obj(pairs):
        return JSObject({k: v for k, v in pairs})

    if not text.strip():
        raise JSONSyntaxError("Unexpected end of JSON input", rt.engine.current_pos)
    try:
        value = json.loads(
            text,
            object_pairs_hook=obj,
            parse_float=float,
            parse_int=float,
            parse_constant=lambda c: _bad(text, text.find(c), rt),
        )
    except json.JSONDecodeError as e:
        if e.pos >= len(text):
            raise JSONSyntaxError("Unexpected end of JSON input", rt.engine.current_pos) from None
        _bad(text, e.pos, rt)
    return _arrays(value)


def _bad(text: str, at: int, rt):
    shown = text if len(text) <= 30 else text[:30] + "..."
    raise JSONSyntaxError(f"Unexpected token '{text[at]}', \"{shown}\" is not valid JSON", rt.engine.current_pos)


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
