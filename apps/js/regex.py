"""Regular expressions with JS semantics on Python's ``re``.

A JS pattern is translated once (named groups, ``\\k<name>``, ``$`` without
the m flag, ``[^]``, ``\\d``/``\\w`` as JS defines them, ``\\u{...}``); what
``re`` cannot express is a SyntaxError naming the construct.  ``lastIndex``,
the g and y flags, and the replacement patterns follow the spec.
"""

from __future__ import annotations

import re

from .errors import JSError, JSTypeError
from .values import UNDEFINED, JSArray, JSObject, to_num, to_str

FLAGS = "dgimsuy"


class JSRegexSyntaxError(JSError):
    kind = "SyntaxError"


def _escape_source(src: str) -> str:
    """``source`` as V8 gives it: a ``/`` outside a character class, and a
    line break, escaped, so ``/${source}/`` reads back as the same regex."""
    if "/" not in src and "\n" not in src and "\r" not in src:
        return src
    out, i, in_class = [], 0, False
    while i < len(src):
        c = src[i]
        if c == "\\" and i + 1 < len(src):
            out.append(src[i : i + 2])
            i += 2
            continue
        if c == "[":
            in_class = True
        elif c == "]":
            in_class = False
        elif c == "/" and not in_class:
            c = "\\/"
        elif c == "\n":
            c = "\\n"
        elif c == "\r":
            c = "\\r"
        out.append(c)
        i += 1
    return "".join(out)


class JSRegExp:
    __slots__ = ("source", "flags", "rx", "last_index", "names", "ngroups")

    def __init__(self, source: str, flags: str, pos=None) -> None:
        bad = [c for c in flags if c not in FLAGS] or [c for c in set(flags) if flags.count(c) > 1]
        if bad:
            raise JSRegexSyntaxError(f"Invalid flags supplied to RegExp constructor '{flags}'", pos)
        self.source = _escape_source(source) if source else "(?:)"
        self.flags = "".join(sorted(flags, key=FLAGS.index))
        opts = 0
        if "i" in flags:
            opts |= re.IGNORECASE
        if "m" in flags:
            opts |= re.MULTILINE
        if "s" in flags:
            opts |= re.DOTALL
        try:
            self.rx = re.compile(translate(source, "m" in flags), opts)
        except (re.error, OverflowError) as e:
            raise JSRegexSyntaxError(f"Invalid regular expression: /{source}/{flags}: {e}", pos) from None
        self.last_index = 0.0
        self.names = {v: k for k, v in self.rx.groupindex.items()}
        self.ngroups = self.rx.groups

    @property
    def is_global(self) -> bool:
        return "g" in self.flags

    @property
    def sticky(self) -> bool:
        return "y" in self.flags

    def __str__(self) -> str:
        return f"/{self.source}/{self.flags}"


def translate(src: str, multiline: bool) -> str:
    out = []
    i, n = 0, len(src)
    in_class = False
    while i < n:
        c = src[i]
        if c == "\\":
            if i + 1 >= n:
                raise re.error("\\ at end of pattern")
            d = src[i + 1]
            if d == "k" and src.startswith("<", i + 2):
                j = src.index(">", i)
                out.append(f"(?P={src[i + 3 : j]})")
                i = j + 1
                continue
            if d == "u" and src.startswith("{", i + 2):
                j = src.index("}", i)
                out.append(re.escape(chr(int(src[i + 3 : j], 16))))
                i = j + 1
                continue
            if d == "d":
                out.append("0-9" if in_class else "[0-9]")
            elif d == "D" and not in_class:
                out.append("[^0-9]")
            elif d == "w":
                out.append("A-Za-z0-9_" if in_class else "[A-Za-z0-9_]")
            elif d == "W" and not in_class:
                out.append("[^A-Za-z0-9_]")
            elif d == "/":
                out.append("/")
            elif d == "c" and i + 2 < n and src[i + 2].isalpha():
                out.append(re.escape(chr(ord(src[i + 2]) % 32)))
                i += 3
                continue
            elif d == "0" and not (i + 2 < n and src[i + 2].isdigit()):
                out.append("\\x00")
            else:
                out.append(c + d)
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            if src.startswith("[^]", i):
                out.append("[\\s\\S]")
                i += 3
                continue
            if src.startswith("[]", i):
                out.append("(?!)")
                i += 2
                continue
            in_class = True
            out.append(c)
            if i + 1 < n and src[i + 1] == "^":
                out.append("^")
                i += 1
            if i + 1 < n and src[i + 1] == "]":  # (JS: "[]]" is an empty class then "]")
                pass
            i += 1
            continue
        if c == "(" and src.startswith("(?<", i) and not src.startswith(("(?<=", "(?<!"), i):
            out.append("(?P<")
            i += 3
            continue
        if c == "$" and not multiline:
            out.append("\\Z")  # the very end: re's $ also matches before a final newline
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


# --- the operations ----------------------------------------------------------------------


def _start(rx: JSRegExp) -> int:
    if rx.is_global or rx.sticky:
        li = to_num(rx.last_index)
        return int(li) if li == li and li > 0 else 0
    return 0


def _match_at(rx: JSRegExp, s: str, start: int):
    if start > len(s):
        return None
    if rx.sticky:
        return rx.rx.match(s, start)
    return rx.rx.search(s, start)


def exec_(rx: JSRegExp, s: str):
    start = _start(rx)
    m = _match_at(rx, s, start)
    if m is None:
        if rx.is_global or rx.sticky:
            rx.last_index = 0.0
        return None
    if rx.is_global or rx.sticky:
        rx.last_index = float(m.end())
    return match_array(rx, m, s)


def match_array(rx: JSRegExp, m, s: str) -> JSArray:
    items = [m.group(0)] + [UNDEFINED if g is None else g for g in m.groups()]
    a = JSArray(items)
    groups = UNDEFINED
    if rx.names:
        groups = JSObject({name: (UNDEFINED if m.group(name) is None else m.group(name)) for name in rx.rx.groupindex})
        groups.proto = None
    a.named = {"index": float(m.start()), "input": s, "groups": groups}
    return a


def test(rx: JSRegExp, s: str) -> bool:
    return exec_(rx, s) is not None


def match(rx: JSRegExp, s: str):
    if not rx.is_global:
        return exec_(rx, s)
    rx.last_index = 0.0
    found = [m.group(0) for m in _all(rx, s)]
    return JSArray(found) if found else None


def _all(rx: JSRegExp, s: str):
    """Every match from position 0, as a g regex's loop would find them
    (an empty match moves on by one)."""
    pos = 0
    while pos <= len(s):
        m = _match_at(rx, s, pos)
        if m is None:
            break
        yield m
        pos = m.end() if m.end() > m.start() else m.end() + 1
    rx.last_index = 0.0


def match_all(rx: JSRegExp, s: str) -> list:
    if not rx.is_global:
        raise JSTypeError("String.prototype.matchAll called with a non-global RegExp argument")
    return [match_array(rx, m, s) for m in _all(rx, s)]


def search(rx: JSRegExp, s: str) -> float:
    m = rx.rx.search(s)
    return float(m.start()) if m else -1.0


def expand(template: str, s: str, start: int, end: int, groups: list, named: dict | None) -> str:
    """A replacement string's $$, $&, $`, $', $n / $nn and $<name>."""
    out = []
    i, n = 0, len(template)
    m = len(groups)
    while i < n:
        c = template[i]
        if c != "$" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        d = template[i + 1]
        if d == "$":
            out.append("$")
            i += 2
        elif d == "&":
            out.append(s[start:end])
            i += 2
        elif d == "`":
            out.append(s[:start])
            i += 2
        elif d == "'":
            out.append(s[end:])
            i += 2
        elif d.isdigit():
            two = template[i + 1 : i + 3]
            if len(two) == 2 and two.isdigit() and 1 <= int(two) <= m:
                g = groups[int(two) - 1]
                out.append("" if g is UNDEFINED else g)
                i += 3
            elif 1 <= int(d) <= m:
                g = groups[int(d) - 1]
                out.append("" if g is UNDEFINED else g)
                i += 2
            else:
                out.append("$" + d)
                i += 2
        elif d == "<" and named is not None:
            j = template.find(">", i)
            if j < 0:
                out.append("$<")
                i += 2
            else:
                v = named.get(template[i + 2 : j], UNDEFINED)
                out.append("" if v is UNDEFINED else to_str(v))
                i = j + 1
        else:
            out.append("$")
            i += 1
    return "".join(out)


def replace(s: str, pattern, replacement, call, all_: bool = False) -> str:
    """String.prototype.replace / replaceAll; ``call(fn, args)`` runs a replacer function."""
    if isinstance(pattern, JSRegExp):
        if all_ and not pattern.is_global:
            raise JSTypeError("replaceAll must be called with a global RegExp")
        if pattern.is_global:
            matches = list(_all(pattern, s))
        else:
            m = _match_at(pattern, s, _start(pattern))
            if m is not None and pattern.sticky:
                pattern.last_index = float(m.end())
            elif m is None and pattern.sticky:
                pattern.last_index = 0.0
            matches = [m] if m is not None else []
        found = [
            (m.start(), m.end(), [UNDEFINED if g is None else g for g in m.groups()], m.groupdict() or None)
            for m in matches
        ]
    else:
        needle = to_str(pattern)
        found = []
        at = s.find(needle)
        while at >= 0:
            found.append((at, at + len(needle), [], None))
            if not all_:
                break
            at = s.find(needle, at + max(len(needle), 1))
    out = []
    last = 0
    for start, end, groups, named in found:
        out.append(s[last:start])
        if callable_value(replacement):
            args = [s[start:end], *groups, float(start), s]
            if named is not None:
                args.append(JSObject({k: (UNDEFINED if v is None else v) for k, v in named.items()}))
            out.append(to_str(call(replacement, args)))
        else:
            nm = {k: (UNDEFINED if v is None else v) for k, v in named.items()} if named is not None else None
            out.append(expand(to_str(replacement), s, start, end, groups, nm))
        last = end
    out.append(s[last:])
    return "".join(out)


def callable_value(v) -> bool:
    return type(v).__name__ in ("JSFunction", "Builtin")


def split(s: str, sep, limit) -> JSArray:
    lim = 2**32 - 1 if limit is UNDEFINED else int(to_num(limit)) & 0xFFFFFFFF
    if lim == 0:
        return JSArray([])
    if sep is UNDEFINED:
        return JSArray([s])
    if not isinstance(sep, JSRegExp):
        sep = to_str(sep)
        parts = list(s) if sep == "" else s.split(sep)
        return JSArray(parts[:lim])
    out: list = []
    size = len(s)
    if size == 0:
        return JSArray([] if sep.rx.match(s, 0) else [s])
    p = q = 0
    while q < size:
        m = sep.rx.match(s, q)
        if m is None or m.end() == p or m.end() > size:
            q += 1
            continue
        out.append(s[p:q])
        if len(out) == lim:
            return JSArray(out)
        for g in m.groups():
            out.append(UNDEFINED if g is None else g)
            if len(out) == lim:
                return JSArray(out)
        p = q = m.end()
    out.append(s[p:])
    return JSArray(out)
