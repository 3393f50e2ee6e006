"""Regular expressions with JS semantics on Python's ``re``.

A JS pattern is translated once (named groups, ``\\k<name>``, ``$`` without
the m flag, ``[^]``, ``\\d``/``\\w`` as JS defines them, ``\\u{...}``); what
``re`` cannot express is a SyntaxError naming the construct.  ``lastIndex``,
the g and y flags, and the replacement patterns follow the spec.
"""

from __future__ import annotations

import bisect
import re

from . import utf16
from .errors import JSError, JSTypeError
from .values import UNDEFINED, JSArray, JSObject, to_num, to_str, to_uint32

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
            if "u" in flags:  # matched on code points: a pair is one character
                self.rx = _CodePointRegex(re.compile(translate(_code_point_pattern(source), "m" in flags), opts))
            else:
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


_SURROGATE_ESCAPES = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")


def _code_point_pattern(units: str) -> str:
    """A u pattern's text on code points: its pairs, written or escaped
    (``\\ud83d\\ude00``), become the one character they make."""
    text = utf16.to_code_points(units)
    if "\\u" in text:
        text = _SURROGATE_ESCAPES.sub(
            lambda m: re.escape(utf16.to_code_points(chr(int(m.group(1), 16)) + chr(int(m.group(2), 16)))), text
        )
    return text


class _CodePointRegex:
    """A u regexp's compiled pattern, called with unit positions on unit
    strings.  A subject holding pairs is matched in its code-point form and
    the match is reported back in units; one without is matched as it is."""

    __slots__ = ("rx", "groups", "groupindex", "_subject", "_text", "_starts")

    def __init__(self, rx: re.Pattern) -> None:
        self.rx, self.groups, self.groupindex = rx, rx.groups, rx.groupindex
        self._subject = self._text = None
        self._starts: list[int] = []

    def match(self, s: str, pos: int = 0):
        return self._run(self.rx.match, s, pos)

    def search(self, s: str, pos: int = 0):
        return self._run(self.rx.search, s, pos)

    def _run(self, op, s: str, pos: int):
        if not utf16.has_surrogates(s):
            return op(s, pos)
        if s is not self._subject:  # (a g loop matches one subject many times)
            self._subject, self._text = s, utf16.to_code_points(s)
            starts, i = [], 0
            for c in self._text:
                starts.append(i)
                i += 2 if ord(c) > 0xFFFF else 1
            starts.append(i)
            self._starts = starts
        m = op(self._text, bisect.bisect_left(self._starts, pos))
        return None if m is None else _UnitMatch(m, self._starts)


class _UnitMatch:
    """A code-point match seen in units."""

    __slots__ = ("m", "starts")

    def __init__(self, m: re.Match, starts: list[int]) -> None:
        self.m, self.starts = m, starts

    def start(self, g=0) -> int:
        k = self.m.start(g)
        return k if k < 0 else self.starts[k]

    def end(self, g=0) -> int:
        k = self.m.end(g)
        return k if k < 0 else self.starts[k]

    def group(self, g=0):
        v = self.m.group(g)
        return None if v is None else utf16.to_units(v)

    def groups(self) -> tuple:
        return tuple(None if v is None else utf16.to_units(v) for v in self.m.groups())

    def groupdict(self) -> dict:
        return {k: None if v is None else utf16.to_units(v) for k, v in self.m.groupdict().items()}


def advance(rx: JSRegExp, s: str, i: int) -> int:
    """The position after an empty match at i: one unit on, or past a whole
    pair for a u regexp (AdvanceStringIndex)."""
    if "u" in rx.flags and i + 1 < len(s) and 0xD800 <= ord(s[i]) < 0xDC00 and 0xDC00 <= ord(s[i + 1]) < 0xE000:
        return i + 2
    return i + 1


# \p{...} names: general categories (short and long) and the binary properties built from them
_CATEGORY_NAMES = {
    "Letter": "L", "Cased_Letter": "LC", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll",
    "Titlecase_Letter": "Lt", "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Mark": "M",
    "Nonspacing_Mark": "Mn", "Spacing_Mark": "Mc", "Enclosing_Mark": "Me", "Number": "N",
    "Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No", "Punctuation": "P",
    "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd", "Open_Punctuation": "Ps",
    "Close_Punctuation": "Pe", "Initial_Punctuation": "Pi", "Final_Punctuation": "Pf",
    "Other_Punctuation": "Po", "Symbol": "S", "Math_Symbol": "Sm", "Currency_Symbol": "Sc",
    "Modifier_Symbol": "Sk", "Other_Symbol": "So", "Separator": "Z", "Space_Separator": "Zs",
    "Line_Separator": "Zl", "Paragraph_Separator": "Zp", "Other": "C", "Control": "Cc", "cntrl": "Cc",
    "Format": "Cf", "Surrogate": "Cs", "Private_Use": "Co", "Unassigned": "Cn",
}  # fmt: skip
_BINARY = {"Alphabetic": ("L", "Nl"), "Alpha": ("L", "Nl"), "Uppercase": ("Lu",), "Lowercase": ("Ll",),
           "White_Space": ("Zs", "Zl", "Zp"), "space": ("Zs", "Zl", "Zp"), "Any": None, "ASCII": None}  # fmt: skip
_property_cache: dict[str, str] = {}


def property_ranges(name: str) -> str:
    """The body of a character class for ``\\p{name}`` (from Python's
    unicodedata, so of its Unicode version).  Scripts (``Script=Greek``) and
    the emoji properties are not in unicodedata: refused by name."""
    if name in _property_cache:
        return _property_cache[name]
    key = name.split("=", 1)[1] if name.startswith(("General_Category=", "gc=")) else name
    if "=" in key or (key not in _CATEGORY_NAMES and key not in _BINARY and key not in _CATEGORY_NAMES.values()):
        raise re.error(f"the Unicode property \\p{{{name}}} is not supported by this engine")
    if key == "Any":
        body = "\\x00-\\U0010ffff"
    elif key == "ASCII":
        body = "\\x00-\\x7f"
    else:
        cats = _BINARY.get(key) or (_CATEGORY_NAMES.get(key, key),)
        by_cat = _categories()
        want = [c for c in by_cat if c in cats or c[0] in cats or (c in ("Lu", "Ll", "Lt") and "LC" in cats)]
        parts = sorted(r for c in want for r in by_cat[c])
        if key in ("White_Space", "space"):
            parts = sorted(parts + [(9, 13), (0x85, 0x85)])
        body = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in parts)
    _property_cache[name] = body
    return body


_by_category: dict[str, list[tuple[int, int]]] = {}


def _categories() -> dict[str, list[tuple[int, int]]]:
    """Every general category's code points as ranges: one pass over
    Unicode, the first time a program uses \\p{...} (~0.3 s), then kept."""
    if not _by_category:
        import unicodedata

        category = unicodedata.category
        cur, start = category("\x00"), 0
        for cp in range(1, 0x110000):
            cat = category(chr(cp))
            if cat != cur:
                _by_category.setdefault(cur, []).append((start, cp - 1))
                cur, start = cat, cp
        _by_category.setdefault(cur, []).append((start, 0x10FFFF))
    return _by_category


_CAPTURING = re.compile(r"\\.|\[(?:\\.|[^\]])*\]|\((?!\?)|\(\?<(?![=!])")


def translate(src: str, multiline: bool) -> str:
    out = []
    i, n = 0, len(src)
    in_class = False
    total = sum(1 for m in _CAPTURING.finditer(src) if m.group().startswith("("))
    groups: list = []  # the open parentheses: a capturing group's number, or None
    closed: set[int] = set()
    quant = 0  # 1: the last token was a quantifier, 2: a lazy one (a*?)
    while i < n:
        c = src[i]
        if c == "\\":
            quant = 0
            if i + 1 >= n:
                raise re.error("\\ at end of pattern")
            d = src[i + 1]
            if d in "123456789" and not in_class:
                j = i + 1
                while j < n and src[j].isdigit():
                    j += 1
                num = int(src[i + 1 : j])
                if num <= total:
                    # a reference to a group that has not matched (yet) matches the empty string
                    # in JS; re fails the match, or refuses a forward reference
                    out.append(f"(?({num})\\{num})" if num in closed else "(?:)")
                    i = j
                elif d in "89":  # (not a reference: the digit itself, as JS reads it)
                    out.append(d)
                    i += 2
                else:  # a legacy octal escape
                    j = i + 1
                    while j < min(n, i + 4) and src[j] in "01234567" and int(src[i + 1 : j + 1], 8) <= 0o377:
                        j += 1
                    out.append(re.escape(chr(int(src[i + 1 : j], 8))))
                    i = j
                continue
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
            if d in "pP" and src.startswith("{", i + 2):  # \p{L}: a Unicode property, as ranges
                j = src.index("}", i)
                ranges = property_ranges(src[i + 3 : j])
                if d == "P" and in_class:
                    raise re.error("\\P{...} inside a character class is not supported by this engine")
                out.append(ranges if in_class else f"[{'^' if d == 'P' else ''}{ranges}]")
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
            quant = 0
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
            groups.append(len(closed) + len([g for g in groups if g is not None]) + 1)
            out.append("(?P<")
            i += 3
            continue
        if c == "(":
            number = len(closed) + len([g for g in groups if g is not None]) + 1
            groups.append(None if src.startswith("(?", i) else number)
        elif c == ")" and groups:
            g = groups.pop()
            if g is not None:
                closed.add(g)
        # quantifiers: JS has no possessive forms -- a*+, a+*, a???, a{2}+ are "Nothing to repeat"
        brace = re.match(r"\{\d+(?:,\d*)?\}", src[i:]) if c == "{" else None
        if c in "*+" or brace is not None or (c == "?" and quant != 1):
            if quant:
                raise re.error("Nothing to repeat")
            quant = 1
            if brace is not None:
                out.append(brace.group())
                i += len(brace.group())
                continue
            out.append(c)
            i += 1
            continue
        quant = 2 if c == "?" else 0  # (a ? after a quantifier makes it lazy: nothing may follow)
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
        pos = m.end() if m.end() > m.start() else advance(rx, s, m.end())
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
    lim = 2**32 - 1 if limit is UNDEFINED else to_uint32(to_num(limit))
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
            q = advance(sep, s, q)
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
