"""Math's and Number's less common functions, and Date (enough for timing
and for printing timestamps): each as node computes and formats it."""

from __future__ import annotations

import math
import struct
import time
from datetime import datetime, timezone

from .errors import JSRangeError
from .values import NAN, UNDEFINED, Builtin, JSObject, num_to_str, to_int32, to_num, to_str, to_uint32


def _f(fn):
    def wrapped(args):
        xs = [to_num(a) for a in args]
        try:
            return float(fn(*xs))
        except (ValueError, OverflowError, ZeroDivisionError, TypeError):
            return NAN

    return wrapped


def _clz32(x=NAN, *_):
    n = to_uint32(x)
    return 32 - n.bit_length()


def _imul(a=NAN, b=NAN, *_):
    return to_int32(float((to_int32(a) * to_int32(b)) & 0xFFFFFFFF))


def _fround(x=NAN, *_):
    if x != x or x in (math.inf, -math.inf):
        return x
    try:
        return struct.unpack("f", struct.pack("f", x))[0]
    except OverflowError:
        return math.copysign(math.inf, x)


def _hypot(*xs):
    if any(x in (math.inf, -math.inf) for x in xs):
        return math.inf
    return math.hypot(*xs)


def _cbrt(x=NAN, *_):
    return math.copysign(abs(x) ** (1 / 3), x) if math.isfinite(x) else x


def _log(base):
    def f(x=NAN, *_):
        if x == 0:
            return -math.inf
        if x < 0 or x != x:
            return NAN
        if x == math.inf:
            return math.inf
        return math.log2(x) if base == 2 else math.log10(x)

    return f


MATH_EXTRA = {
    "hypot": _hypot,
    "cbrt": _cbrt,
    "log2": _log(2),
    "log10": _log(10),
    "clz32": _clz32,
    "imul": _imul,
    "fround": _fround,
    "sinh": lambda x=NAN, *_: math.sinh(x),
    "cosh": lambda x=NAN, *_: math.cosh(x),
    "tanh": lambda x=NAN, *_: math.tanh(x),
    "asinh": lambda x=NAN, *_: math.asinh(x),
    "acosh": lambda x=NAN, *_: math.acosh(x),
    "atanh": lambda x=NAN, *_: math.atanh(x) if abs(x) != 1 else math.copysign(math.inf, x),
    "expm1": lambda x=NAN, *_: math.expm1(x),
    "log1p": lambda x=NAN, *_: math.log1p(x) if x != -1 else -math.inf,
    "asin": lambda x=NAN, *_: math.asin(x),
    "acos": lambda x=NAN, *_: math.acos(x),
    "atan": lambda x=NAN, *_: math.atan(x),
}
MATH_CONSTANTS = {
    "LN2": math.log(2),
    "LN10": math.log(10),
    "LOG2E": 1 / math.log(2),
    "LOG10E": 1 / math.log(10),
    "SQRT2": math.sqrt(2),
    "SQRT1_2": math.sqrt(0.5),
}


def add_math(math_obj: JSObject) -> None:
    for name, fn in MATH_EXTRA.items():
        math_obj.props[name] = Builtin(name, _f(fn))
    math_obj.props.update(MATH_CONSTANTS)


def _is_integer(v) -> bool:
    return type(v) is float and math.isfinite(v) and v == int(v)


NUMBER_EXTRA = {
    "isInteger": lambda a: _is_integer(a[0] if a else UNDEFINED),
    "isSafeInteger": lambda a: _is_integer(a[0] if a else UNDEFINED) and abs(a[0]) <= 2**53 - 1,
    "isFinite": lambda a: bool(a) and type(a[0]) is float and math.isfinite(a[0]),
    "isNaN": lambda a: bool(a) and type(a[0]) is float and a[0] != a[0],
}


def to_precision(x: float, args: list) -> str:
    if not args or args[0] is UNDEFINED:
        return num_to_str(x)
    p = int(to_num(args[0]))
    if not 1 <= p <= 100:
        raise JSRangeError("toPrecision() argument must be between 1 and 100")
    if x != x or x in (math.inf, -math.inf):
        return num_to_str(x)
    if x == 0:
        return "0" if p == 1 else "0." + "0" * (p - 1)
    mant = f"{abs(x):.{p - 1}e}"
    digits, exp = mant.split("e")
    e = int(exp)
    sign = "-" if x < 0 else ""
    ds = digits.replace(".", "")
    if e < -6 or e >= p:
        m = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{sign}{m}e{'+' if e >= 0 else '-'}{abs(e)}"
    if e >= 0:
        whole, frac = ds[: e + 1], ds[e + 1 :]
        return sign + whole + ("." + frac if frac else "")
    return sign + "0." + "0" * (-e - 1) + ds


def to_exponential(x: float, args: list) -> str:
    if x != x or x in (math.inf, -math.inf):
        return num_to_str(x)
    if not args or args[0] is UNDEFINED:  # as many digits as the shortest round-trip text has
        for n in range(1, 18):
            if float(f"{abs(x):.{n - 1}e}") == abs(x):
                break
        m, e = f"{abs(x):.{n - 1}e}".split("e")
        e = int(e)
    else:
        d = int(to_num(args[0]))
        if not 0 <= d <= 100:
            raise JSRangeError("toExponential() argument must be between 0 and 100")
        m, e = f"{abs(x):.{d}e}".split("e")
        e = int(e)
    return f"{'-' if x < 0 else ''}{m}e{'+' if e >= 0 else '-'}{abs(e)}"


# --- Date ------------------------------------------------------------------------------------


class JSDate(JSObject):
    __slots__ = ("t",)

    def __init__(self, t: float, proto) -> None:
        super().__init__(None, proto)
        self.t = t


def _now_ms() -> float:
    return float(time.time_ns() // 1_000_000)


def _parts(t: float) -> datetime:
    return datetime.fromtimestamp(t / 1000.0, tz=timezone.utc)


def iso(t: float) -> str:
    if t != t:
        raise JSRangeError("Invalid time value")
    d = _parts(t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(t % 1000):03d}Z"


def date_string(t: float) -> str:
    if t != t:
        return "Invalid Date"
    return _parts(t).strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def make_date(rt) -> Builtin:
    """The Date global; the process's time zone is taken to be UTC."""
    proto = JSObject()

    def construct(args, pos=None):
        if not args:
            return JSDate(_now_ms(), proto)
        if len(args) == 1:
            v = args[0]
            if isinstance(v, JSDate):
                return JSDate(v.t, proto)
            if type(v) is str:
                return JSDate(_parse(v), proto)
            return JSDate(_clip(to_num(v)), proto)
        nums = [to_num(a) for a in args] + [0.0] * 7
        y, mo, d, h, mi, s, ms = nums[0], nums[1], nums[2] if len(args) > 2 else 1.0, *nums[3:7]
        return JSDate(_utc(y, mo, d, h, mi, s, ms), proto)

    date = Builtin("Date", lambda args: date_string(_now_ms()))
    date.construct = construct
    date.prototype = proto
    date.props["now"] = Builtin("now", lambda args: _now_ms())
    date.props["UTC"] = Builtin("UTC", lambda a: _utc(*([to_num(x) for x in a] + [0.0] * 7)[:7]))
    date.props["parse"] = Builtin("parse", lambda a: _parse(to_str(a[0]) if a else "undefined"))

    def getter(fn):
        return lambda this, a: NAN if this.t != this.t else float(fn(_parts(this.t), this.t))

    methods = {
        "getTime": lambda this, a: this.t,
        "valueOf": lambda this, a: this.t,
        "toISOString": lambda this, a: iso(this.t),
        "toJSON": lambda this, a: iso(this.t) if this.t == this.t else None,
        "toString": lambda this, a: date_string(this.t),
        "getTimezoneOffset": lambda this, a: 0.0,
    }
    fields = {
        "FullYear": lambda d, t: d.year,
        "Month": lambda d, t: d.month - 1,
        "Date": lambda d, t: d.day,
        "Day": lambda d, t: (d.weekday() + 1) % 7,
        "Hours": lambda d, t: d.hour,
        "Minutes": lambda d, t: d.minute,
        "Seconds": lambda d, t: d.second,
        "Milliseconds": lambda d, t: int(t % 1000),
    }
    for name, fn in fields.items():
        methods["get" + name] = getter(fn)
        methods["getUTC" + name] = getter(fn)
    for name, fn in methods.items():
        proto.hide(name, Builtin(name, _date_method(fn), method=True))
    proto.hide("constructor", date)
    return date


def _date_method(fn):
    def m(this, args):
        if not isinstance(this, JSDate):
            from .errors import JSTypeError

            raise JSTypeError("this is not a Date object.")
        return fn(this, args)

    return m


def _clip(t: float) -> float:
    if t != t or abs(t) > 8.64e15:
        return NAN
    return float(int(t))


def _utc(y, mo, d, h=0.0, mi=0.0, s=0.0, ms=0.0, *_) -> float:
    if any(x != x or x in (math.inf, -math.inf) for x in (y, mo, d, h, mi, s, ms)):
        return NAN
    y, mo = int(y), int(mo)
    if 0 <= y <= 99:
        y += 1900
    y += mo // 12
    mo %= 12
    days = (datetime(y, mo + 1, 1, tzinfo=timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)).days
    return _clip((((days + int(d) - 1) * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)


def _parse(s: str) -> float:
    s = s.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%Y-%m", "%Y"):  # fmt: skip
        try:
            d = datetime.strptime(s, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        return float(round(d.timestamp() * 1000))
    return NAN
