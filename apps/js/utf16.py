"""JS strings as UTF-16 code units.

A JS string is a sequence of 16-bit units: ``"😀".length`` is 2, ``s[0]`` is
a lone surrogate, and ``<`` compares units.  The engine keeps every string as
a Python ``str`` of those units -- a character past U+FFFF is stored as its
two surrogates -- so indexing, slicing, ``len`` and comparison are JS's
without a wrapper type.  Text crosses into that form where it enters (the
source, argv) and back where it leaves (output, error text); the few
built-ins defined on code points (iteration, ``codePointAt``, case mapping,
``u`` regexps) convert through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]"
_LONE = re.compile(LONE_SURROGATE)
_PAIR_OR_UNIT = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\x00-\uffff]", re.DOTALL)


def to_units(text: str) -> str:
    """Python text (code points) as JS units."""
    if text.isascii() or not _ASTRAL.search(text):
        return text
    return _ASTRAL.sub(lambda m: from_code_point(ord(m.group())), text)


def to_text(units: str) -> str:
    """JS units as text that can be printed: pairs become their character
    and a lone surrogate U+FFFD, as node's UTF-8 output does."""
    if units.isascii() or not _SURROGATE.search(units):
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def to_code_points(units: str) -> str:
    """Pairs joined into their character, lone surrogates kept (for work
    done on code points whose result goes back into units)."""
    if units.isascii() or not _SURROGATE.search(units):
        return units
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def has_surrogates(units: str) -> bool:
    return not units.isascii() and _SURROGATE.search(units) is not None


def from_code_point(cp: int) -> str:
    if cp < 0x10000:
        return chr(cp)
    cp -= 0x10000
    return chr(0xD800 + (cp >> 10)) + chr(0xDC00 + (cp & 0x3FF))


def code_point_at(units: str, i: int) -> int:
    """``codePointAt``: a pair starting at i is one code point."""
    c = ord(units[i])
    if 0xD800 <= c < 0xDC00 and i + 1 < len(units):
        d = ord(units[i + 1])
        if 0xDC00 <= d < 0xE000:
            return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00)
    return c


def code_points(units: str) -> list[str]:
    """A string's iteration: one element per code point (a pair stays whole)."""
    if units.isascii() or not _SURROGATE.search(units):
        return list(units)
    return _PAIR_OR_UNIT.findall(units)


def via_code_points(units: str, fn: Callable[[str], str]) -> str:
    """Apply a code-point operation (case mapping, normalization) to units."""
    return to_units(fn(to_code_points(units)))


def is_well_formed(units: str) -> bool:
    return not has_surrogates(units) or _LONE.search(units) is None


def to_well_formed(units: str) -> str:
    """Each lone surrogate replaced by U+FFFD."""
    return units if not has_surrogates(units) else _LONE.sub("\ufffd", units)
