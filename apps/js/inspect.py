"""console.log formatting: node's util.inspect rules for the supported types
(single-line when short, 80-column break, numeric arrays grouped in columns,
depth 2, 100 array items, single-quoted strings inside containers)."""

from __future__ import annotations

import math
import re
import unicodedata

from . import utf16
from . import values as V
from . import weak as WEAK
from .asyncgen import JSAsyncGenerator
from .errors import JSTypeError
from .generators import JSGenerator
from .numbers import JSDate, iso
from .promises import STATE
from .regex import JSRegExp
from .typed import JSArrayBuffer, JSTypedArray
from .values import (
    UNDEFINED,
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
    JSWrapper,
    num_to_str,
    to_str,
)

BREAK_LENGTH = 80
MAX_ARRAY = 100
DEPTH = 2
_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z_$0-9]*$")


_NAMED_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", "'": "\\'", "\\": "\\\\"}
# what util.inspect escapes: C0 and C1 controls, the backslash, the quote, and lone surrogates
_ESCAPED = re.compile("[\x00-\x1f\\\\\x7f-\x9f]|" + utf16.LONE_SURROGATE)
_ESCAPED_Q = re.compile("'|" + _ESCAPED.pattern)


def _escape(m: re.Match) -> str:
    c = m.group()
    named = _NAMED_ESCAPES.get(c)
    if named is not None:
        return named
    n = ord(c)
    return f"\\x{n:02X}" if n < 0x100 else f"\\u{n:x}"


def quote(s: str) -> str:
    q = "'"
    if "'" in s:
        q = '"' if '"' not in s else ("`" if "`" not in s and "${" not in s else "'")
    return q + (_ESCAPED_Q if q == "'" else _ESCAPED).sub(_escape, s) + q


def format_number(x: float) -> str:
    if x == 0 and math.copysign(1.0, x) < 0:
        return "-0"
    return num_to_str(x)


def fn_label(v) -> str:
    name = v.name
    if type(v) is JSFunction and v.kind in ("class", "derived"):
        label = f"[class {name or '(anonymous)'}"
        if v.kind == "derived":
            parent = v.parent
            label += f" extends {getattr(parent, 'name', '') or '(anonymous)'}" if parent is not None else ""
        return label + "]"
    node = v.node if type(v) is JSFunction else None
    what = ("Async" if getattr(node, "is_async", False) else "") + (
        "GeneratorFunction" if getattr(node, "generator", False) else "Function"
    )
    return f"[{what}: {name}]" if name else f"[{what} (anonymous)]"


def _tag(o: JSObject) -> str:
    """The [Symbol.toStringTag] node shows in brackets: a string one the
    object does not list itself (inherited, or non-enumerable, as Math's)."""
    key = V.WELL_KNOWN["toStringTag"]
    if key in o.props and not (o.hidden and key in o.hidden):
        return ""  # (printed among its keys instead)
    tag = V.find(o, key)
    if type(tag) is Accessor:
        tag = V.CALL(tag.get, o, []) if tag.get is not None else UNDEFINED
    return tag if type(tag) is str else ""


def _prefix(o: JSObject) -> str:
    """What node writes before an object's braces: its constructor's name
    (nothing for Object), its toStringTag where that differs (``Object
    [Math]``), or that it has no prototype."""
    if o.proto is None:
        return "[Object: null prototype] "
    name = ""
    p = o.proto
    while p is not None:
        c = p.props.get("constructor")
        if c is not None:
            name = getattr(c, "name", "")
            name = name if isinstance(name, str) else ""
            break
        p = p.proto
    tag = _tag(o)
    if tag and tag != name:
        return f"{name or 'Object'} [{tag}] "
    return "" if name == "Object" else (f"{name} " if name else "")


def _class_name(v, builtin: str) -> str:
    """The constructor name of an array/Map/Set whose prototype is a
    subclass's (``Stack`` for ``class Stack extends Array``); "" if none."""
    p = v.proto
    while p is not None:
        c = p.props.get("constructor")
        if c is not None:
            name = getattr(c, "name", "")
            return name if isinstance(name, str) and name != builtin else ""
        p = p.proto
    return ""


def _empty_items(n: int) -> str:
    """How node shows a run of ``n`` holes in an array."""
    return f"<{n} empty item{'s' if n > 1 else ''}>"


_refs: dict | None = None  # id -> n of the objects printed as [Circular *n] (one console.log call)


def inspect(v, depth: int = 0, indent: int = 0, seen: tuple = ()) -> str:
    """node's util.inspect text of ``v``; an object that contains itself
    gets node's ``<ref *n>`` label where it starts."""
    global _refs
    top = _refs is None
    if top:
        _refs = {}
    try:
        out = _inspect(v, depth, indent, seen)
        if _refs and id(v) in _refs and not any(v is s for s in seen):
            out = f"<ref *{_refs[id(v)]}> {out}"
        return out
    finally:
        if top:
            _refs = None


def _inspect(v, depth: int, indent: int, seen: tuple) -> str:
    from .values import HOLE

    t = type(v)
    if t is str:
        return quote(v)
    if t is float:
        return format_number(v)
    if t is V.JSProxy:  # (node shows a proxy as its target)
        return _inspect(v.target, depth, indent, seen)
    if t is int:
        return to_str(v) + "n"
    if t is bool or v is None or v is UNDEFINED:
        return to_str(v)
    if t is Accessor:
        return "[Getter/Setter]" if v.get and v.set else ("[Getter]" if v.get else "[Setter]")
    if t is JSFunction or t is Builtin:
        hidden = (v.hidden if t is JSFunction else None) or ()
        own = {k: x for k, x in v.props.items() if k not in hidden} if t is JSFunction else {}
        if not own:
            return fn_label(v)
        items = [f"{_key(k)}: {inspect(x, depth + 1, indent + 2, seen + (v,))}" for k, x in own.items()]
        label = fn_label(v)
        return label + " " + _reduce(items, "{", "}", indent, base_len=len(label))
    if any(v is s for s in seen):
        n = _refs.setdefault(id(v), len(_refs) + 1)
        return f"[Circular *{n}]"
    if t is JSArray and v.proto is V.ARGUMENTS_PROTO:  # [Arguments] { '0': 1, '1': 2 }
        if depth > DEPTH:
            return "[Arguments]"
        sub = seen + (v,)
        out = [f"'{i}': {inspect(x, depth + 1, indent + 2, sub)}" for i, x in enumerate(v.values())]
        return "[Arguments] " + (_reduce(out, "{", "}", indent, base_len=12) if out else "{}")
    if t is JSArray:
        vals = v.values()
        cname = _class_name(v, "Array") if v.proto is not None else ""
        label = f"{cname}({len(vals)}) " if cname else ""  # Stack(3) [ 1, 2, 3 ]
        if not vals and not v.named:
            return label + "[]"
        if depth > DEPTH:
            return f"[{cname or 'Array'}]"
        out, holes = [], 0
        for x in vals[:MAX_ARRAY]:
            if x is HOLE:
                holes += 1
                continue
            if holes:
                out.append(_empty_items(holes))
                holes = 0
            out.append(inspect(x, depth + 1, indent + 2, seen + (v,)))
        if holes:
            out.append(_empty_items(holes))
        named = [f"{k if _IDENT.match(k) else quote(k)}: {inspect(x, depth + 1, indent + 2, seen + (v,))}"
                 for k, x in (v.named or {}).items()]  # fmt: skip
        extra = len(vals) - MAX_ARRAY
        if extra > 0:
            out.append(f"... {extra} more item{'s' if extra > 1 else ''}")
        out += named
        if not out:
            return label + "[]"
        return label + _reduce(out, "[", "]", indent, array_values=vals, extra=extra > 0, base_len=len(label))
    if t is JSRegExp:
        return str(v)
    if t is JSGenerator:
        return "Object [Generator] {}"
    if t is JSAsyncGenerator:
        return "Object [AsyncGenerator] {}"
    if t is JSSymbol:
        return repr(v)
    if t is JSDate:  # D 1970-01-01T00:00:00.000Z { label: 'd' } for a subclass's with a property
        text = iso(v.t) if v.t == v.t else "Invalid Date"
        cname = _class_name(v, "Date") if v.proto is not None else ""
        text = f"{cname} {text}" if cname else text
        keys = v.keys()
        if not keys:
            return text
        own = [f"{_key(k)}: {inspect(v.props[k], depth + 1, indent + 2, seen + (v,))}" for k in keys]
        return text + " " + _reduce(own, "{", "}", indent, base_len=len(text))
    if t is JSWrapper:  # [String: 'ab'], [Number: -0], [Boolean: true]
        kind = {str: "String", float: "Number", bool: "Boolean"}[type(v.value)]
        return f"[{kind}: {_inspect(v.value, depth + 1, indent, seen)}]"
    if t is JSTypedArray:  # Float64Array(3) [ 1, 2, 3 ]
        vals = v.values()
        label = f"{v.kind}({len(vals)})"
        if not vals:
            return label + " []"
        if depth > DEPTH:
            return f"[{v.kind}]"
        out = [format_number(x) for x in vals[:MAX_ARRAY]]
        extra = len(vals) - MAX_ARRAY
        if extra > 0:
            out.append(f"... {extra} more item{'s' if extra > 1 else ''}")
        return label + " " + _reduce(out, "[", "]", indent, array_values=vals, extra=extra > 0, base_len=len(label) + 1)
    if t is JSArrayBuffer:
        data = bytes(v.data[:50])
        more = len(v.data) - 50
        hexes = " ".join(f"{b:02x}" for b in data)
        if more > 0:
            hexes += f" ... {more} more byte{'s' if more > 1 else ''}"
        entries = [f"[Uint8Contents]: <{hexes}>", f"byteLength: {len(v.data)}"]
        start = len(entries) + indent + 1 + len("ArrayBuffer") + 10  # node's isBelowBreakLength
        if len(entries) + start + sum(map(len, entries)) <= BREAK_LENGTH:
            return "ArrayBuffer { " + ", ".join(entries) + " }"
        pad = "\n" + " " * (indent + 2)
        return "ArrayBuffer {" + pad + ("," + pad).join(entries) + "\n" + " " * indent + "}"
    if t is JSIterator:  # [Map Iterator] { 'a', 'b' }: what is left of it
        rest = v.items[v.i :]
        if not rest:
            return f"[{v.label}] {{  }}"
        head = f"[{v.label}] "
        return head + _reduce(
            [inspect(x, depth + 1, indent + 2, seen + (v,)) for x in rest], "{", "}", indent, base_len=len(head)
        )
    if t is JSMap or t is JSSet:  # Map(2) { 'a' => 1, 'b' => 2 } / Set(2) { 1, 2 }
        kind = "Map" if t is JSMap else "Set"
        cname = _class_name(v, kind) if v.proto is not None else ""
        # (a subclass's instance: M(1) [Map] { 1 => 'a' })
        label = f"{cname}({len(v.data)}) [{kind}]" if cname else f"{kind}({len(v.data)})"
        if not v.data and not v.named:
            return label + " {}"
        if depth > DEPTH:
            return f"[{cname or kind}]"
        sub = seen + (v,)
        if t is JSMap:
            out = [
                f"{inspect(k, depth + 1, indent + 2, sub)} => {inspect(x, depth + 1, indent + 2, sub)}"
                for k, x in v.data.values()
            ]
        else:
            out = [inspect(x, depth + 1, indent + 2, sub) for x in v.data.values()]
        out += [f"{_key(k)}: {inspect(x, depth + 1, indent + 2, sub)}" for k, x in (v.named or {}).items()]
        return label + " " + _reduce(out, "{", "}", indent, base_len=len(label) + 1)
    if t is JSErrorObject:  # node prints the stack (nested: in brackets), then own properties
        text = v.stack if depth == 0 else f"[{v.stack}]"
        keys = v.keys()
        if not keys:
            return text
        own = [f"{k}: {inspect(v.props[k], depth + 1, indent + 2, seen + (v,))}" for k in keys]
        return text + " " + _reduce(own, "{", "}", indent, base_len=len(text))
    if t is JSObject and WEAK.TABLE in v.props:  # WeakMap { <items unknown> }
        return _prefix(v) + "{ <items unknown> }"
    if t is JSObject and STATE in v.props:  # a promise: its state first, then its own properties
        st = v.props[STATE]
        first = "<pending>" if st.state == "pending" else inspect(st.value, depth + 1, indent + 2, seen + (v,))
        if st.state == "rejected":
            first = "<rejected> " + first
        out = [first] + [f"{_key(k)}: {inspect(v.props[k], depth + 1, indent + 2, seen + (v,))}" for k in v.keys()]
        cname = _class_name(v, "Promise") if v.proto is not None else ""
        head = f"{cname} [Promise] " if cname else _prefix(v)
        return head + _reduce(out, "{", "}", indent, base_len=len(head))
    if t is JSObject:
        keys = v.keys()
        symbols = v.symbol_keys()
        prefix = _prefix(v)
        if not keys and not symbols:
            return prefix + "{}"
        if depth > DEPTH:
            return f"[{prefix.strip() or 'Object'}]"
        out = []
        for k in keys:
            out.append(f"{_key(k)}: {inspect(v.props[k], depth + 1, indent + 2, seen + (v,))}")
        for k in symbols:
            out.append(f"[{k!r}]: {inspect(v.props[k], depth + 1, indent + 2, seen + (v,))}")
        return prefix + _reduce(out, "{", "}", indent, base_len=len(prefix))
    return str(v)


def _key(k: str) -> str:
    return k if _IDENT.match(k) else quote(k)


def _below_break(out: list[str], start: int) -> bool:
    total = len(out) + start
    if total + len(out) > BREAK_LENGTH:
        return False
    for s in out:
        total += len(s)
        if total > BREAK_LENGTH:
            return False
    return True


def _reduce(out, open_, close, indent, array_values=None, extra=False, base_len: int = 0) -> str:
    """node's reduceToSingleString: one line when it fits in 80 columns,
    counting what precedes the brace (``Map(2) {``, ``Point {``, a
    function's label) as node's braces[0] and base do."""
    entries = len(out)
    if array_values is not None and entries > 6:
        out = _group(out, indent, array_values, extra)
    # (node's compact=3 rule never bites at the default depth of 2)
    if entries == len(out):
        start = len(out) + indent + len(open_) + base_len + 10
        if _below_break(out, start):
            joined = ", ".join(out)
            if "\n" not in joined:
                return f"{open_} {joined} {close}"
    pad = "\n" + " " * indent
    return f"{open_}{pad}  " + f",{pad}  ".join(out) + f"{pad}{close}"


def display_width(units: str) -> int:
    """Terminal columns, as node's getStringWidth counts them with ICU: East
    Asian wide and fullwidth characters (and the emoji flags' letters) take
    two, controls, format characters and combining marks none."""
    if units.isascii() and units.isprintable():
        return len(units)
    width = 0
    for c in unicodedata.normalize("NFC", utf16.to_code_points(units)):
        if unicodedata.east_asian_width(c) in ("W", "F") or "\U0001f1e6" <= c <= "\U0001f1ff":
            width += 2
        elif c == "\xad" or unicodedata.category(c) not in ("Cc", "Cf", "Me", "Mn"):
            width += 1
    return width


def _group(out: list[str], indent: int, values: list, extra: bool) -> list[str]:
    """Lay many short array entries out in aligned columns (node's grouping)."""
    total = 0
    max_len = 0
    n = len(out) - (1 if extra else 0)
    sep = 2
    lens = []
    for i in range(n):
        ln = display_width(out[i])
        lens.append(ln)
        total += ln + sep
        max_len = max(max_len, ln)
    actual_max = max_len + sep
    if actual_max * 3 + indent < BREAK_LENGTH and (total / actual_max > 5 or max_len <= 6):
        bias = math.sqrt(actual_max - total / len(out))
        biased_max = max(actual_max - 3 - bias, 1)
        columns = min(
            math.floor(math.sqrt(2.5 * biased_max * n) / biased_max + 0.5),  # JS Math.round: half up
            (BREAK_LENGTH - indent) // actual_max,
            3 * 4,
            15,
        )
        if columns <= 1:
            return out
        max_line = []
        for i in range(columns):
            width = 0
            for j in range(i, len(out), columns):
                if j < n and lens[j] > width:
                    width = lens[j]
            max_line.append(width + sep)
        numeric = all(type(x) is float or type(x) is int for x in values[:n])  # (int: BigInt)
        rows = []
        for i in range(0, n, columns):
            end = min(i + columns, n)
            line = ""
            for j in range(i, end - 1):
                cell, pad = out[j] + ", ", max_line[j - i] + len(out[j]) - lens[j]  # (pads in units, as JS)
                line += cell.rjust(pad) if numeric else cell.ljust(pad)
            j = end - 1
            line += out[j].rjust(max_line[j - i] + len(out[j]) - lens[j] - sep) if numeric else out[j]
            rows.append(line)
        if extra:
            rows.append(out[-1])
        return rows
    return out


_SPEC = re.compile(r"%[sdifjoOc%]")


JSON_TEXT = None  # set by the runtime: JSON.stringify's text of a value (None: undefined)


def _own_to_string(o) -> bool:
    """Whether an object has a toString of its program's own (node's %s then
    uses it, and inspects every other object)."""
    if isinstance(o, JSObject) and "toString" in o.props:
        return True
    proto = getattr(o, "proto", None)
    while isinstance(proto, JSObject) and proto is not V.OBJECT_PROTO:
        if "toString" in proto.props and type(proto.props["toString"]) is JSFunction:
            return True
        proto = proto.proto
    return False


def format_args(args: list) -> str:
    """console.log's output line for its arguments: a first string argument
    takes node's format specifiers (%s %d %i %f %j %o %O %c %%)."""
    parts = []
    if len(args) > 1 and type(args[0]) is str and "%" in args[0]:  # (a lone string prints as it is)
        rest = list(args[1:])

        def sub(m: re.Match) -> str:
            spec = m.group(0)
            if spec == "%%":
                return "%"
            if not rest:
                return spec
            a = rest.pop(0)
            t = type(a)
            if spec == "%s":
                if t is float:
                    return format_number(a)
                if t is int:
                    return f"{a}n"
                primitive = a is None or a is V.UNDEFINED or t in (str, bool, V.JSSymbol)
                if not primitive and t is not JSFunction and t is not V.Builtin and not _own_to_string(a):
                    return inspect(a, DEPTH)  # (node: depth 0 -- nested objects as [Object])
                return V.to_str(a) if t is not V.JSSymbol else repr(a)
            if t is int and spec in ("%d", "%i"):
                return f"{a}n"
            if t is V.JSSymbol and spec in ("%d", "%i", "%f"):
                return "NaN"
            if spec == "%d":
                return "NaN" if isinstance(a, (JSObject, JSArray)) else format_number(V.to_num(a))
            if spec in ("%i", "%f"):  # parseInt / parseFloat of the value's text
                from .runtime import _parse_float, _parse_int

                text = V.to_str(a) if t is not int else str(a)
                return format_number(_parse_int([text]) if spec == "%i" else _parse_float(text))
            if spec == "%c":
                return ""  # CSS: ignored outside browsers
            if spec == "%j":  # node: JSON.stringify, "[Circular]" for a cycle
                try:
                    text = JSON_TEXT(a)
                except JSTypeError as e:
                    if "circular" not in e.message:
                        raise
                    return "[Circular]"
                return "undefined" if text is None else text
            return inspect(a)  # %o %O

        parts.append(_SPEC.sub(sub, args[0]))
        args = rest
    else:
        args = list(args)
    for a in args:
        parts.append(a if type(a) is str else inspect(a))
    return " ".join(parts)
