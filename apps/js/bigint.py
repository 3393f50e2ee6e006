"""The BigInt global and BigInt.prototype.  A BigInt is a Python int (see
apps.js.values); the operators on BigInts live with the other operators."""

from __future__ import annotations

import math

from .errors import JSRangeError, JSRuntimeSyntaxError, JSTypeError
from .values import (
    UNDEFINED,
    Builtin,
    JSObject,
    JSSymbol,
    bigint_to_str,
    num_to_str,
    str_to_bigint,
    to_num,
    to_primitive,
    to_str,
)

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_bigint(v) -> int:
    """ToBigInt: what BigInt.asIntN and friends accept -- never a Number
    (only the BigInt function itself converts those)."""
    v = to_primitive(v, "number")
    t = type(v)
    if t is int or t is bool:
        return int(v)
    if t is str:
        n = str_to_bigint(v)
        if n is None:
            raise JSRuntimeSyntaxError(f"Cannot convert {v} to a BigInt")
        return n
    raise JSTypeError(f"Cannot convert {to_str(v) if t is not JSSymbol else repr(v)} to a BigInt")


def _call(args) -> int:
    """BigInt(x): as ToBigInt, but an integral Number converts too."""
    v = to_primitive(args[0] if args else UNDEFINED, "number")
    if type(v) is float:
        if not (math.isfinite(v) and v.is_integer()):
            raise JSRangeError(
                f"The number {num_to_str(v)} cannot be converted to a BigInt because it is not an integer"
            )
        return int(v)
    return to_bigint(v)


def _to_index(v) -> int:
    x = to_num(v)
    n = 0 if x != x else math.trunc(x) if math.isfinite(x) else x
    if not 0 <= n <= 2**53 - 1:
        raise JSRangeError("Invalid value: not (convertible to) a safe integer")
    return int(n)


def _as_uint_n(args) -> int:
    bits = _to_index(args[0] if args else UNDEFINED)
    return to_bigint(args[1] if len(args) > 1 else UNDEFINED) & ((1 << bits) - 1)


def _as_int_n(args) -> int:
    bits = _to_index(args[0] if args else UNDEFINED)
    n = to_bigint(args[1] if len(args) > 1 else UNDEFINED) & ((1 << bits) - 1)
    return n - (1 << bits) if bits and n >> (bits - 1) else n  # the top bit is the sign


def _this(this, name: str) -> int:
    if type(this) is not int:
        raise JSTypeError(f"BigInt.prototype.{name} requires that 'this' be a BigInt")
    return this


def to_radix(v: int, radix: int) -> str:
    if v < 0:
        return "-" + to_radix(-v, radix)
    if radix == 10:
        return bigint_to_str(v)
    if radix in (2, 8, 16):
        return format(v, {2: "b", 8: "o", 16: "x"}[radix])
    out = []
    while True:
        v, d = divmod(v, radix)
        out.append(_DIGITS[d])
        if not v:
            return "".join(reversed(out))


def _to_string(this, args) -> str:
    v = _this(this, "toString")
    radix = 10 if not args or args[0] is UNDEFINED else to_num(args[0])
    radix = 0 if radix != radix else math.trunc(radix) if math.isfinite(radix) else radix
    if not 2 <= radix <= 36:
        raise JSRangeError("toString() radix argument must be between 2 and 36")
    return to_radix(v, int(radix))


def _to_locale_string(this, args) -> str:
    """The en-US form: digits grouped by threes with commas (locales and
    options are not supported)."""
    v = _this(this, "toLocaleString")
    s = bigint_to_str(abs(v))
    groups = [s[max(i - 3, 0) : i] for i in range(len(s), 0, -3)]
    return ("-" if v < 0 else "") + ",".join(reversed(groups))


def make_bigint(proto: JSObject) -> Builtin:
    """The BigInt function (not a constructor: ``new BigInt`` is a
    TypeError because it has no ``construct``), its statics and prototype."""
    big = Builtin("BigInt", _call)
    big.props["asIntN"] = Builtin("asIntN", _as_int_n)
    big.props["asUintN"] = Builtin("asUintN", _as_uint_n)
    big.prototype = proto
    proto.hide("constructor", big)
    proto.hide("toString", Builtin("toString", _to_string, method=True))
    proto.hide("toLocaleString", Builtin("toLocaleString", _to_locale_string, method=True))
    proto.hide("valueOf", Builtin("valueOf", lambda this, args: _this(this, "valueOf"), method=True))
    return big
