"""The global URI functions: ``encodeURIComponent`` and its kin, and the
legacy ``escape``/``unescape``.  They percent-encode UTF-8 of code points
(a lone surrogate is a URIError), so they work on the engine's units."""

from __future__ import annotations

import re

from . import utf16
from .errors import JSURIError
from .values import UNDEFINED, Builtin, to_str

_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()")
_RESERVED = set(";/?:@&=+$,#")
_ESCAPE_KEPT = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@*_+-./")
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_LEGACY = re.compile(r"%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})")


def _encode(units: str, keep: set[str]) -> str:
    if not utf16.is_well_formed(units):
        raise JSURIError("URI malformed")
    out = []
    for c in utf16.to_code_points(units):
        out.append(c if c in keep else "".join(f"%{b:02X}" for b in c.encode("utf-8")))
    return "".join(out)


def _decode(units: str, keep: set[str]) -> str:
    """Each run of %XX escapes is UTF-8; an escape that decodes to a kept
    (reserved) character stays written as it was."""
    if "%" not in units:
        return units

    def run(m: re.Match) -> str:
        text, out, i = m.group(), [], 0
        data = bytes(int(text[k + 1 : k + 3], 16) for k in range(0, len(text), 3))
        while i < len(data):
            b = data[i]
            n = 1 if b < 0x80 else 2 if 0xC0 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else 4 if 0xF0 <= b < 0xF8 else 0
            if n == 0 or i + n > len(data):
                raise JSURIError("URI malformed")
            try:
                c = data[i : i + n].decode("utf-8")
            except UnicodeDecodeError:
                raise JSURIError("URI malformed") from None
            out.append(text[3 * i : 3 * (i + n)] if c in keep else utf16.to_units(c))
            i += n
        return "".join(out)

    decoded = _PERCENT_RUN.sub(run, units)
    if re.search(r"%(?![0-9A-Fa-f]{2})", units):
        raise JSURIError("URI malformed")
    return decoded


def _escape(units: str) -> str:
    return "".join(c if c in _ESCAPE_KEPT else f"%{ord(c):02X}" if ord(c) < 256 else f"%u{ord(c):04X}" for c in units)


def _unescape(units: str) -> str:
    return _LEGACY.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), units)


def _arg(args: list) -> str:
    return to_str(args[0] if args else UNDEFINED)


def make() -> dict[str, Builtin]:
    return {
        "encodeURIComponent": Builtin("encodeURIComponent", lambda a: _encode(_arg(a), _UNRESERVED)),
        "encodeURI": Builtin("encodeURI", lambda a: _encode(_arg(a), _UNRESERVED | _RESERVED)),
        "decodeURIComponent": Builtin("decodeURIComponent", lambda a: _decode(_arg(a), set())),
        "decodeURI": Builtin("decodeURI", lambda a: _decode(_arg(a), _RESERVED)),
        "escape": Builtin("escape", lambda a: _escape(_arg(a))),
        "unescape": Builtin("unescape", lambda a: _unescape(_arg(a))),
    }
