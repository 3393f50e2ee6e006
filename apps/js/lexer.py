"""Tokens with positions; newline flags for automatic semicolon insertion."""

from __future__ import annotations

import re
import unicodedata
from sys import intern as _intern

from . import utf16
from .errors import JSSyntaxError, pack_pos, unpack_pos
from .values import parse_decimal

KEYWORDS = {
    "var",
    "let",
    "const",
    "function",
    "return",
    "if",
    "else",
    "while",
    "do",
    "for",
    "break",
    "continue",
    "true",
    "false",
    "null",
    "undefined",
    "typeof",
    "new",
    "this",
    "switch",
    "case",
    "default",
    "try",
    "catch",
    "finally",
    "throw",
    "class",
    "extends",
    "super",
    "delete",
    "in",
    "instanceof",
    "void",
}
# Reserved words we do not support: a clear error instead of a confusing parse.
UNSUPPORTED = {
    "yield",
    "async",
    "await",
    "import",
    "export",
    "with",
    "debugger",
}
PUNCT = sorted(
    """>>>= ... === !== **= <<= >>= >>> &&= ||= ??= && || ?? ?. += -= *= /= %= &= |= ^= == != <= >= << >> ** ++ -- =>
    { } ( ) [ ] ; , < > + - * / % & | ^ ! ~ ? : = .""".split(),
    key=len,
    reverse=True,
)


class Token:
    __slots__ = ("kind", "value", "pos", "nl_before", "end")

    def __init__(self, kind: str, value: object, line: int, col: int, nl_before: bool) -> None:
        self.kind = kind  # num str template name keyword punct eof
        self.value = value
        self.pos = pack_pos(line, col)  # the nodes a token starts share this int (JSError takes it too)
        self.nl_before = nl_before  # a line break precedes it (ASI)
        self.end = 0  # the source offset just past it (what Function.prototype.toString slices to)

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.value!r}, {':'.join(map(str, unpack_pos(self.pos)))})"


_PUNCT_SET = frozenset(PUNCT)
_STRING_RUN = {q: re.compile(f"[^{q}\\\\\n]*") for q in "'\""}
# One match per token for the common ones (ASCII names, plain decimals,
# punctuators), in C; everything else -- strings, templates, regex literals
# ('/' needs the previous token), other numbers, non-ASCII names -- falls
# through to the general code below.
_FAST = re.compile(
    r"(?P<name>[A-Za-z_$][\w$]*)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?(?![\w$.]))"
    r"|(?P<punct>"
    + "|".join(re.escape(p) for p in PUNCT if p not in ("/", "/=", "?.", ".", "?"))
    + r"|\.(?![0-9])|\?(?!\.))"
)
_SPACES = re.compile(r" +")
_WORD = re.compile(r"[\w$]*")  # (\w: letters, digits, _ -- the rest of an identifier)


def _word_end(src: str, j: int, n: int) -> int:
    """Where an identifier's rest ends: word characters, and the combining
    marks and joiners ID_Continue adds to them (é as e + U+0301)."""
    j = _WORD.match(src, j).end()
    while j < n and src[j] >= "\x80" and (src[j] in "\u200c\u200d" or unicodedata.category(src[j]) in ("Mn", "Mc")):
        j = _WORD.match(src, j + 1).end()
    return min(j, n)


_DIGITS = "0123456789"  # (str.isdigit takes any Unicode digit: "\u0661", "\u00b2" are no JS digits)
_ESC = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0", "'": "'", '"': '"', "\\": "\\"}


_BEFORE_OPERAND = {"return", "typeof", "case", "throw", "new", "in", "of", "delete", "void", "else", "do"}


def _regex_may_start(prev: Token | None) -> bool:
    """Where an operand is expected a '/' opens a regular expression literal
    (after '(' ',' '=' an operator or these keywords), elsewhere it divides."""
    if prev is None:
        return True
    if prev.kind == "punct":
        return prev.value not in (")", "]", "}")
    return prev.kind == "keyword" and prev.value in _BEFORE_OPERAND


class Lexer:
    def __init__(self, src: str, fast: bool = True) -> None:
        self.src = src
        self.i = 0
        self.fast = fast  # False: every token by the general code (tests compare the two)

    def error(self, msg: str, i: int | None = None) -> JSSyntaxError:
        i = self.i if i is None else i
        line = self.src.count("\n", 0, i) + 1
        col = i - (self.src.rfind("\n", 0, i) + 1) + 1
        return JSSyntaxError(msg, (line, col))

    def tokens(self, start: int = 0, end: int | None = None) -> list[Token]:
        """Tokens of src[start:end] (positions stay those of the whole source)."""
        return list(self.stream(start, end))

    def stream(self, start: int = 0, end: int | None = None):
        """The tokens of src[start:end] one at a time, ending with "eof": the
        parser holds a window of them, not the whole program's."""
        prev: Token | None = None
        src = self.src
        n = len(src) if end is None else end
        nl = True
        i = start
        line = src.count("\n", 0, start) + 1
        line_start = src.rfind("\n", 0, start) + 1
        fast = _FAST.match if self.fast else lambda *a: None
        if i == 0 and src.startswith("#!"):  # a hashbang line (#!/usr/bin/env node): a comment
            i = src.find("\n") if "\n" in src else n
        while True:
            # whitespace and comments
            while i < n:
                c = src[i]
                if c == " ":
                    m = _SPACES.match(src, i)  # a run of blanks at once
                    i = m.end()
                    continue
                if c == "\n":
                    nl = True
                    line += 1
                    line_start = i + 1
                    i += 1
                elif c in " \t\r\f\v\ufeff\u00a0":
                    i += 1
                elif c != "/":
                    break
                elif src.startswith("//", i):
                    j = src.find("\n", i)
                    i = n if j < 0 else j
                elif src.startswith("/*", i):
                    j = src.find("*/", i + 2)
                    if j < 0:
                        raise self.error("Invalid or unexpected token", i)
                    nls = src.count("\n", i, j)
                    if nls:
                        nl = True
                        line += nls
                        line_start = src.rfind("\n", i, j) + 1
                    i = j + 2
                else:
                    break
            col = i - line_start + 1
            if i >= n:
                eof = Token("eof", None, line, col, True)
                eof.end = n
                yield eof
                return
            m = fast(src, i, n)
            if m is not None and m.lastgroup == "name" and m.end() < n and src[m.end()] >= "\x80":
                m = None  # (a name going on past ASCII: the slow path reads it whole)
            if m is not None:
                text = m.group()
                i = m.end()
                kind = m.lastgroup
                if kind == "name":
                    if not (prev is not None and prev.value == "." and prev.kind == "punct") and (
                        text in KEYWORDS or text in UNSUPPORTED
                    ):
                        kind = "keyword"  # (after a dot, any word is a property name)
                    prev = Token(kind, _intern(text), line, col, nl)  # (a name recurs: one string for all)
                elif kind == "num":
                    prev = Token("num", float(text), line, col, nl)
                else:
                    prev = Token("punct", text, line, col, nl)
                prev.end = i
                yield prev
                nl = False
                continue
            c = src[i]
            start = i
            if c in _DIGITS or (c == "." and i + 1 < n and src[i + 1] in _DIGITS):
                value, i = self._number(i)
                tok = Token("num", value, line, col, nl)
            elif c in "'\"":
                value, i = self._string(i)
                tok = Token("str", value, line, col, nl)
                nls = src.count("\n", start, i)  # backslash-newline continuations
                if nls:
                    line += nls
                    line_start = src.rfind("\n", start, i) + 1
            elif c == "`":
                value, i = self._template(i)
                tok = Token("template", value, line, col, nl)
                nls = src.count("\n", start, i)
                if nls:
                    line += nls
                    line_start = src.rfind("\n", start, i) + 1
            elif c.isalpha() or c in "_$" or (c == "#" and i + 1 < n and (src[i + 1].isalpha() or src[i + 1] in "_$")):
                j = _word_end(src, i + 1, n)
                word = src[i:j]
                i = j
                after_dot = prev is not None and prev.kind == "punct" and prev.value == "."
                if after_dot:  # a property name: any word, reserved or not (m.delete, x.default)
                    tok = Token("name", word, line, col, nl)
                else:
                    # (an unsupported reserved word is a keyword token: fine as a
                    # property or method name, refused by the parser elsewhere)
                    kind = "keyword" if word in KEYWORDS or word in UNSUPPORTED else "name"
                    tok = Token(kind, word, line, col, nl)
            else:
                for k in (4, 3, 2, 1):  # longest first
                    p = src[i : i + k]
                    if p in _PUNCT_SET:
                        break
                else:
                    raise JSSyntaxError("Invalid or unexpected token", (line, col))
                if p == "?." and i + 2 < n and src[i + 2] in _DIGITS:
                    p = "?"  # a ? .5 : b -- a conditional, not optional chaining
                if p in ("/", "/=") and _regex_may_start(prev):
                    value, i = self._regex(i)
                    prev = Token("regex", value, line, col, nl)
                    prev.end = i
                    yield prev
                    nl = False
                    continue
                i += len(p)
                tok = Token("punct", p, line, col, nl)
            tok.end = i
            yield tok
            prev = tok
            nl = False

    def _regex(self, i: int) -> tuple[tuple[str, str], int]:
        """A regular expression literal at src[i] == '/': (body, flags), end."""
        src, n = self.src, len(self.src)
        j = i + 1
        in_class = False
        while True:
            if j >= n or src[j] in "\n\r":
                raise self.error("Invalid regular expression: missing /", i)
            c = src[j]
            if c == "\\":
                j += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                break
            j += 1
        body = src[i + 1 : j]
        k = j + 1
        while k < n and (src[k].isalnum() or src[k] in "_$"):
            k += 1
        return (body, src[j + 1 : k]), k

    def _number(self, i: int) -> tuple[float | int, int]:
        """A numeric literal: a float, or an int for a BigInt (``123n``)."""
        src, n = self.src, len(self.src)
        if src[i] == "0" and i + 1 < n and src[i + 1] in "xXoObB":
            base = {"x": 16, "o": 8, "b": 2}[src[i + 1].lower()]
            j = i + 2
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            big = src[j - 1] == "n"  # (n is no digit in any of these bases)
            try:
                if big:
                    return int(src[i + 2 : j - 1].replace("_", ""), base), j
                return float(int(src[i + 2 : j].replace("_", ""), base)), j
            except ValueError:
                raise self.error("Invalid or unexpected token", i) from None
        j = i
        while j < n and (src[j] in _DIGITS or src[j] == "_"):
            j += 1
        if j < n and src[j] == ".":
            j += 1
            while j < n and (src[j] in _DIGITS or src[j] == "_"):
                j += 1
        if j < n and src[j] in "eE":
            k = j + 1
            if k < n and src[k] in "+-":
                k += 1
            if k < n and src[k] in _DIGITS:
                j = k
                while j < n and src[j] in _DIGITS:
                    j += 1
        digits = src[i:j].replace("_", "")
        if j < n and src[j] == "n" and digits.isascii() and digits.isdigit() and (src[i] != "0" or j == i + 1):
            # a BigInt: plain decimal digits only (no fraction, exponent or leading 0)
            if j + 1 < n and (src[j + 1].isalnum() or src[j + 1] in "_$"):
                raise self.error("Invalid or unexpected token", i)  # (V8 marks the literal, from its start)
            return parse_decimal(digits), j + 1
        if j < n and (src[j].isalpha() or src[j] in "_$"):
            raise self.error("Invalid or unexpected token", i)
        return float(src[i:j].replace("_", "")), j

    def _escape(self, i: int) -> tuple[str, int]:
        """Escape sequence starting after the backslash at i-1."""
        src = self.src
        c = src[i]
        if c in _ESC and not (c == "0" and i + 1 < len(src) and src[i + 1] in _DIGITS):
            return _ESC[c], i + 1
        if c == "x":
            h = src[i + 1 : i + 3]
            if len(h) == 2 and all(ch in "0123456789abcdefABCDEF" for ch in h):
                return chr(int(h, 16)), i + 3
            raise self.error("Invalid hexadecimal escape sequence", i)
        if c == "u":
            if src.startswith("{", i + 1):
                j = src.find("}", i + 2)
                if j > 0:
                    try:
                        cp = int(src[i + 2 : j], 16)
                        if cp <= 0x10FFFF:
                            return utf16.from_code_point(cp), j + 1
                    except ValueError:
                        pass
                raise self.error("Invalid Unicode escape sequence", i)
            h = src[i + 1 : i + 5]
            if len(h) == 4 and all(ch in "0123456789abcdefABCDEF" for ch in h):
                return chr(int(h, 16)), i + 5
            raise self.error("Invalid Unicode escape sequence", i)
        if c == "\n":
            return "", i + 1  # line continuation
        return c, i + 1

    def _string(self, i: int) -> tuple[str, int]:
        src, n = self.src, len(self.src)
        q = src[i]
        run = _STRING_RUN[q]
        j = i + 1
        parts = []
        while True:
            m = run.match(src, j)  # the plain characters up to a quote, backslash or line end, at once
            if m.end() > j:
                parts.append(m.group())
                j = m.end()
            if j >= n or src[j] == "\n":
                raise self.error("Invalid or unexpected token", i)
            if src[j] == q:
                return "".join(parts), j + 1
            s, j = self._escape(j + 1)  # (a backslash)
            parts.append(s)

    def _template(self, i: int) -> tuple[tuple[list[str], list[tuple[str, int]], list[str]], int]:
        """Quasis, (expression source, offset) pairs and the quasis' raw
        source text (what a tag function's ``strings.raw`` holds) of a
        template literal."""
        src, n = self.src, len(self.src)
        j = i + 1
        quasis, exprs, cur, raws, start = [], [], [], [], j
        while True:
            if j >= n:
                raise self.error("Unterminated template literal", i)
            c = src[j]
            if c == "`":
                quasis.append("".join(cur))
                raws.append(src[start:j].replace("\r\n", "\n").replace("\r", "\n"))
                return (quasis, exprs, raws), j + 1
            if c == "\\":
                s, j = self._escape(j + 1)
                cur.append(s)
            elif c == "$" and j + 1 < n and src[j + 1] == "{":
                quasis.append("".join(cur))
                raws.append(src[start:j].replace("\r\n", "\n").replace("\r", "\n"))
                cur = []
                depth, k = 1, j + 2
                while k < n and depth:
                    if src[k] == "{":
                        depth += 1
                    elif src[k] == "}":
                        depth -= 1
                    elif src[k] in "'\"`":
                        _, k = self._string(k) if src[k] != "`" else self._template(k)
                        continue
                    k += 1
                if depth:
                    raise self.error("Unterminated template literal", i)
                exprs.append((src[j + 2 : k - 1], j + 2))
                j = start = k
            else:
                cur.append(c)
                j += 1
