"""Math's and Number's less common functions, and Date (enough for timing
and for printing timestamps): each as node computes and formats it."""

from __future__ import annotations

import math
import re
import struct
import time
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Context, Decimal

from . import fdlibm as FDLIBM
from .errors import JSRangeError
from .values import NAN, UNDEFINED, Builtin, JSObject, num_to_str, to_int32, to_integer, to_num, to_str, to_uint32


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


_RADIX_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_radix_string(value: float, radix: int) -> str:
    """Number.prototype.toString(radix) as V8 writes it (its
    DoubleToRadixCString): fraction digits only as far as the double's own
    precision reaches (rounding half to even, with carries), and an integer
    part past 2^53 divided in double arithmetic, its lost digits written 0."""
    negative = value < 0
    if negative:
        value = -value
    integer = math.floor(value)
    fraction = value - integer
    delta = max(0.5 * (math.nextafter(value, math.inf) - value), 5e-324)
    frac_digits: list[int] = []
    if fraction >= delta:
        while True:
            fraction *= radix
            delta *= radix
            digit = int(fraction)
            frac_digits.append(digit)
            fraction -= digit
            if (fraction > 0.5 or (fraction == 0.5 and digit & 1)) and fraction + delta > 1:
                while True:  # round up, carrying back through the digits written
                    if not frac_digits:
                        integer += 1
                        break
                    last = frac_digits.pop()
                    if last + 1 < radix:
                        frac_digits.append(last + 1)
                        break
                break
            if fraction < delta:
                break
    zeros = 0
    while math.frexp(integer / radix)[1] > 53:  # (integer / radix >= 2^53: its low digits are not there)
        integer /= radix
        zeros += 1
    int_digits = []
    while True:
        remainder = math.fmod(integer, radix)
        int_digits.append(int(remainder))
        integer = (integer - remainder) / radix
        if integer <= 0:
            break
    text = "".join(_RADIX_DIGITS[d] for d in reversed(int_digits)) + "0" * zeros
    if frac_digits:
        text += "." + "".join(_RADIX_DIGITS[d] for d in frac_digits)
    return "-" + text if negative else text


def _unary(f):
    return lambda x=NAN, *_: f(x)


MATH_EXTRA = {
    "hypot": FDLIBM.hypot,
    "clz32": _clz32,
    "imul": _imul,
    "fround": _fround,
    # the transcendental ones as V8 computes them (fdlibm), bit for bit
    **{name: _unary(f) for name, f in FDLIBM.FUNCTIONS.items() if name not in ("sin", "cos", "tan", "exp", "log")},
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


ENGLISH = ("en", "en-US")


def check_locale(locales, what: str) -> None:
    """Only English (node's default here) is built: another locale's
    separators would differ silently, so it is refused by name."""
    from .values import JSArray

    tags = locales.values() if type(locales) is JSArray else [locales]
    for tag in tags[:1]:
        if tag is not UNDEFINED and tag not in ENGLISH:
            raise JSRangeError(f"{what} for locale {to_str(tag)!r} is not supported by this engine")


def to_locale_string(x: float, args: list, get) -> str:
    """Number.prototype.toLocaleString in en-US: digits grouped by threes,
    0 to 3 fraction digits rounded half away from zero (Intl's defaults), or
    the minimumFractionDigits/maximumFractionDigits/useGrouping asked for."""
    check_locale(args[0] if args else UNDEFINED, "toLocaleString")
    lo, hi, grouping = 0, 3, True
    opts = args[1] if len(args) > 1 else UNDEFINED
    if opts is not UNDEFINED and opts is not None:
        for name in ("style", "notation", "currency", "unit", "maximumSignificantDigits", "minimumSignificantDigits"):
            if get(opts, name, None) is not UNDEFINED:
                raise JSRangeError(f"toLocaleString's {name} option is not supported by this engine")
        mn, mx = get(opts, "minimumFractionDigits", None), get(opts, "maximumFractionDigits", None)
        if mn is not UNDEFINED:
            lo = _digits(mn, "minimumFractionDigits")
            hi = max(hi, lo)
        if mx is not UNDEFINED:
            hi = _digits(mx, "maximumFractionDigits")
            if mn is UNDEFINED:
                lo = min(lo, hi)
            elif hi < lo:
                raise JSRangeError("maximumFractionDigits value is out of range.")
        g = get(opts, "useGrouping", None)
        grouping = g is UNDEFINED or g not in (False, None, 0.0, "")
    if x != x:
        return "NaN"
    if x in (math.inf, -math.inf):
        return "-∞" if x < 0 else "∞"
    d = Decimal(repr(x)).quantize(Decimal(1).scaleb(-hi), rounding=ROUND_HALF_UP)
    neg = d < 0 or (d == 0 and math.copysign(1.0, x) < 0)
    whole, _, frac = f"{abs(d):f}".partition(".")
    frac = frac.rstrip("0").ljust(lo, "0")
    if grouping:
        whole = ",".join(reversed([whole[max(i - 3, 0) : i] for i in range(len(whole), 0, -3)]))
    return ("-" if neg else "") + whole + ("." + frac if frac else "")


def _digits(v, name: str) -> int:
    n = to_num(v)
    if n != n or not 0 <= n <= 100:
        raise JSRangeError(f"{name} value is out of range.")
    return int(n)


def _scientific(ax: float, k: int) -> tuple[str, int]:
    """|x| with k digits after the first, in scientific form ("d.ddd", exponent),
    rounded half up on its exact decimal value -- V8's rounding for
    toPrecision and toExponential (a tie goes up, not to even)."""
    d = Decimal(ax)
    e = d.adjusted()
    ctx = Context(prec=1200)
    q = d.scaleb(-e, ctx).quantize(Decimal(1).scaleb(-k), rounding=ROUND_HALF_UP, context=ctx)
    if q >= 10:  # (9.99... rounded up to 10)
        e += 1
        q = d.scaleb(-e, ctx).quantize(Decimal(1).scaleb(-k), rounding=ROUND_HALF_UP, context=ctx)
    return format(q, "f"), e


def to_precision(x: float, args: list) -> str:
    if not args or args[0] is UNDEFINED:
        return num_to_str(x)
    p = to_integer(args[0])
    if not 1 <= p <= 100:
        raise JSRangeError("toPrecision() argument must be between 1 and 100")
    if x != x or x in (math.inf, -math.inf):
        return num_to_str(x)
    if x == 0:
        return "0" if p == 1 else "0." + "0" * (p - 1)
    digits, e = _scientific(abs(x), p - 1)
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
        d = to_integer(args[0])
        if not 0 <= d <= 100:
            raise JSRangeError("toExponential() argument must be between 0 and 100")
        m, e = _scientific(abs(x), d) if x != 0 else ("0" + ("." + "0" * d if d else ""), 0)
    return f"{'-' if x < 0 else ''}{m}e{'+' if e >= 0 else '-'}{abs(e)}"


# --- Date ------------------------------------------------------------------------------------


class JSDate(JSObject):
    __slots__ = ("t",)

    def __init__(self, t: float, proto) -> None:
        super().__init__(None, proto)
        self.t = t


def _now_ms() -> float:
    return float(time.time_ns() // 1_000_000)


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year (JS
    dates reach +-271,821 years; Python's datetime stops at 9999)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


class _Civil:
    """A time value's UTC fields (the process's time zone is UTC)."""

    __slots__ = ("year", "month", "day", "hour", "minute", "second", "days")

    def __init__(self, t: float) -> None:
        ms = int(t)
        days, rem = divmod(ms, 86_400_000)
        self.days = days
        z = days + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        self.day = doy - (153 * mp + 2) // 5 + 1
        self.month = mp + 3 if mp < 10 else mp - 9
        self.year = yoe + era * 400 + (self.month <= 2)
        self.hour, rem = divmod(rem, 3_600_000)
        self.minute, rem = divmod(rem, 60_000)
        self.second = rem // 1000

    def weekday(self) -> int:
        """Monday 0 .. Sunday 6, as datetime's (1970-01-01 was a Thursday)."""
        return (self.days + 3) % 7

    def strftime(self, fmt: str) -> str:
        y = self.year
        values = {
            "%a": _DAYS[self.weekday()], "%b": _MONTHS[self.month - 1], "%d": f"{self.day:02d}",
            "%m": f"{self.month:02d}", "%H": f"{self.hour:02d}", "%M": f"{self.minute:02d}",
            "%S": f"{self.second:02d}", "%Y": f"{y:04d}" if y >= 0 else f"-{-y:04d}",  # (V8's years: -0050, 275760)
        }  # fmt: skip
        return re.sub("%[abdmHMSY]", lambda m: values[m.group()], fmt)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _parts(t: float) -> _Civil:
    return _Civil(t)


def iso(t: float) -> str:
    if t != t:
        raise JSRangeError("Invalid time value")
    d = _parts(t)
    y = d.year
    year = f"{y:04d}" if 0 <= y <= 9999 else f"{'+' if y > 0 else '-'}{abs(y):06d}"  # (expanded years)
    return year + d.strftime("-%m-%dT%H:%M:%S.") + f"{int(t % 1000):03d}Z"


def date_string(t: float) -> str:
    if t != t:
        return "Invalid Date"
    return _parts(t).strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


def _strftime(t: float, fmt: str) -> str:
    return "Invalid Date" if t != t else _parts(t).strftime(fmt)


def _locale_date(t: float, args: list, name: str, date: bool, time_: bool) -> str:
    """en-US as node prints it in UTC: ``1/5/2020, 1:04:05 PM``.  Other
    locales and the formatting options are refused by name."""
    check_locale(args[0] if args else UNDEFINED, name)
    if len(args) > 1 and args[1] is not UNDEFINED:
        raise JSRangeError(f"{name}'s options are not supported by this engine")
    if t != t:
        return "Invalid Date"
    d = _parts(t)
    out = []
    if date:  # (Intl's years count eras: 1 BC is 1, so year 0 is 1 and -50 is 51)
        out.append(f"{d.month}/{d.day}/{d.year if d.year > 0 else 1 - d.year}")
    if time_:
        out.append(f"{(d.hour % 12) or 12}:{d.minute:02d}:{d.second:02d} {'AM' if d.hour < 12 else 'PM'}")
    return ", ".join(out)


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
        "toDateString": lambda this, a: _strftime(this.t, "%a %b %d %Y"),
        "toTimeString": lambda this, a: _strftime(this.t, "%H:%M:%S GMT+0000 (Coordinated Universal Time)"),
        "toUTCString": lambda this, a: _strftime(this.t, "%a, %d %b %Y %H:%M:%S GMT"),
        "toLocaleString": lambda this, a: _locale_date(this.t, a, "toLocaleString", True, True),
        "toLocaleDateString": lambda this, a: _locale_date(this.t, a, "toLocaleDateString", True, False),
        "toLocaleTimeString": lambda this, a: _locale_date(this.t, a, "toLocaleTimeString", False, True),
        "getTimezoneOffset": lambda this, a: 0.0,
    }
    methods["toGMTString"] = methods["toUTCString"]
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
    for name, first in _SETTERS.items():  # (local time is UTC here: setX and setUTCX agree)
        methods["set" + name] = methods["setUTC" + name] = _setter(first, name == "FullYear")
    methods["setTime"] = _set_time
    for name, fn in methods.items():
        proto.hide(name, Builtin(name, _date_method(fn, name), method=True))
    proto.hide("constructor", date)
    return date


# setter -> the index of its first field in (year, month, day, hours, minutes, seconds, ms);
# setHours(h, m, s, ms) sets as many fields from there as it is given (up to its own count)
_SETTERS = {"FullYear": 0, "Month": 1, "Date": 2, "Hours": 3, "Minutes": 4, "Seconds": 5, "Milliseconds": 6}
_SETTER_ARGS = {0: 3, 1: 2, 2: 1, 3: 4, 4: 3, 5: 2, 6: 1}


def _setter(first: int, from_nan_ok: bool):
    def set_(this, args):
        t = this.t
        if t != t:
            if not from_nan_ok:
                return NAN
            t = 0.0
        d = _parts(t)
        f = [float(d.year), float(d.month - 1), float(d.day), float(d.hour), float(d.minute), float(d.second)]
        f.append(float(int(t % 1000)))
        given = [to_num(a) for a in args[: _SETTER_ARGS[first]]] or [NAN]
        f[first : first + len(given)] = given
        this.t = _utc(*f)
        return this.t

    return set_


def _set_time(this, args):
    this.t = _clip(to_num(args[0]) if args else NAN)
    return this.t


def _date_method(fn, name: str):
    def m(this, args):
        if not isinstance(this, JSDate):
            from .errors import JSTypeError
            from .runtime import _value_text

            raise JSTypeError(f"Method Date.prototype.{name} called on incompatible receiver {_value_text(this)}")
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
    if abs(y) > 400_000:  # (far past the range a time value can hold)
        return NAN
    days = days_from_civil(y, mo + 1, 1)
    return _clip((((days + int(d) - 1) * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms)


# what V8 reads besides ISO 8601: its own toString/toUTCString forms and the usual
# month-name and slashed dates (taken as local time, which is UTC here)
_LEGACY = ("%a %b %d %Y %H:%M:%S", "%a, %d %b %Y %H:%M:%S", "%a %b %d %Y", "%b %d, %Y %H:%M:%S", "%b %d, %Y %H:%M",
           "%b %d, %Y", "%B %d, %Y %H:%M:%S", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d %b %Y %H:%M:%S", "%d %b %Y",
           "%d %B %Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M",
           "%m/%d/%Y", "%d %B %Y %H:%M:%S", "%d %B %Y %H:%M", "%d %b %Y %H:%M", "%Y-%m-%d %H:%M:%S",
           "%Y-%m-%d", "%Y-%m")  # fmt: skip
_ZONE = re.compile(r"\s*(?:GMT|UTC|Z)?(?:[+-]0000)?(?:\s*\([^)]*\))?$")


_ISO = re.compile(
    r"([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?"
    r"(?:([Zz])|([+-])(\d\d):?(\d\d))?"
)


def _parse_iso(s: str) -> float | None:
    """The ECMAScript date-time format (V8's reading of it: expanded years,
    a day up to 31 in any month, 24:00, an offset with or without its colon);
    None where the text is not in it."""
    m = _ISO.fullmatch(s)
    if m is None or m.group(1) == "-000000":
        return None
    y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    h, mi, sec = int(m.group(4) or 0), int(m.group(5) or 0), int(m.group(6) or 0)
    ms = int((m.group(7) or "0")[:3].ljust(3, "0"))
    midnight_end = h == 24 and mi == sec == ms == 0  # (24:00 is the next day's start)
    if not (1 <= mo <= 12 and 1 <= d <= 31 and mi <= 59 and sec <= 59 and (h < 24 or midnight_end)):
        return NAN
    t = ((days_from_civil(y, mo, 1) + d - 1) * 24 + h) * 3_600_000 + mi * 60_000 + sec * 1000 + ms
    if m.group(9):
        offset = (int(m.group(10)) * 60 + int(m.group(11))) * 60_000
        t -= offset if m.group(9) == "+" else -offset
    return _clip(float(t))


def _parse(s: str) -> float:
    s = s.strip()
    t = _parse_iso(s)
    if t is not None:
        return t
    bare = _ZONE.sub("", s)  # (UTC is the only zone here: a +0000 / GMT / UTC suffix adds nothing)
    if bare != s and re.search(r"[+-](?!0000)\d{4}", s):
        return NAN  # another zone's offset: not built
    for fmt in _LEGACY:
        try:
            d = datetime.strptime(bare, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        return float(round(d.timestamp() * 1000))
    return NAN
