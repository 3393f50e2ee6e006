"""Math's transcendental functions with V8's results, bit for bit.

V8 computes Math.sin, Math.exp, Math.log, ... with its own port of fdlibm,
not the C library's; the two differ in the last bit for a few percent of
arguments, and a program printing ``Math.sin(x)`` shows all 17 digits.  So
these follow fdlibm's published methods and coefficients (argument
reduction, the polynomial or rational kernel, the reconstruction) in plain
double arithmetic, which Python's floats perform exactly as C's do.  The
reduction of huge trigonometric arguments is done in exact integers from the
same 1584 bits of 2/pi fdlibm's multi-word reduction uses.
"""

from __future__ import annotations

import math
import struct

_D = struct.Struct("<d")
_Q = struct.Struct("<Q")
NAN = math.nan
INF = math.inf


def _hi(x: float) -> int:
    """The high 32 bits of a double, as a signed int (fdlibm's hx)."""
    h = _Q.unpack(_D.pack(x))[0] >> 32
    return h - 0x100000000 if h & 0x80000000 else h


def _lo(x: float) -> int:
    return _Q.unpack(_D.pack(x))[0] & 0xFFFFFFFF


def _make(hi: int, lo: int) -> float:
    return _D.unpack(_Q.pack(((hi & 0xFFFFFFFF) << 32) | (lo & 0xFFFFFFFF)))[0]


def _low_cleared(x: float) -> float:
    return _make(_hi(x), 0)


def _set_high(x: float, hi: int) -> float:
    return _make(hi, _lo(x))


# --- trigonometry ---------------------------------------------------------------------------

_S1, _S2, _S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
_S4, _S5, _S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
_C1, _C2, _C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
_C4, _C5, _C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11
_T = (
    3.33333333333334091986e-01, 1.33333333333201242699e-01, 5.39682539762260521377e-02,
    2.18694882948595424599e-02, 8.86323982359930005737e-03, 3.59207910759131235356e-03,
    1.45620945432529025516e-03, 5.88041240820264096874e-04, 2.46463134818469906812e-04,
    7.81794442939557092300e-05, 7.14072491382608190305e-05, -1.85586374855275456654e-05,
    2.59073051863633712884e-05,
)  # fmt: skip
_PIO4, _PIO4LO = 7.85398163397448278999e-01, 3.06161699786838301793e-17
_INVPIO2 = 6.36619772367581382433e-01
_PIO2_1, _PIO2_1T = 1.57079632673412561417e00, 6.07710050650619224932e-11
_PIO2_2, _PIO2_2T = 6.07710050630396597660e-11, 2.02226624879595063154e-21
_PIO2_3, _PIO2_3T = 2.02226624871116645580e-21, 8.47842766036889956997e-32
# high words of n*pi/2 for n = 1..32: a reduction near one of them may cancel
_NPIO2_HW = (
    0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB, 0x401F6A7A, 0x4022D97C, 0x4025FDBB, 0x402921FB,
    0x402C463A, 0x402F6A7A, 0x4031475C, 0x4032D97C, 0x40346B9C, 0x4035FDBB, 0x40378FDB, 0x403921FB,
    0x403AB41B, 0x403C463A, 0x403DD85A, 0x403F6A7A, 0x40407E4C, 0x4041475C, 0x4042106C, 0x4042D97C,
    0x4043A28C, 0x40446B9C, 0x404534AC, 0x4045FDBB, 0x4046C6CB, 0x40478FDB, 0x404858EB, 0x404921FB,
)  # fmt: skip


# 2/pi's first 1584 bits (fdlibm's table, 24 bits an entry) and pi/2 to 192 bits (8 doubles of 24)
_TWO_OVER_PI = int(
    "A2F9836E4E441529FC2757D1F534DDC0DB6295993C439041FE5163ABDEBBC561B7246E3A424DD2E006492EEA09D1921C"
    "FE1DEB1CB129A73EE88235F52EBB4484E99C7026B45F7E413991D639835339F49C845F8BBDF9283B1FF897FFDE05980F"
    "EF2F118B5A0A6D1F6D367ECF27CB09B74F463F669E5FEA2D7527BAC7EBE5F17B3D0739F78A5292EA6BFB5FB11F8D5D08"
    "56033046FC7B6BABF0CFBC209AF4361DA9E391615EE61B086599855F14A068408DFFD8804D73273106061556CA73A8C9"
    "60E27BC08C6B",
    16,
)
_PIO2_PARTS = (1.57079625129699707031e00, 7.54978941586159635335e-08, 5.39030252995776476554e-15,
               3.28200341580791294123e-22, 1.27065575308067607349e-29, 1.22933308981111328932e-36,
               2.73370053816464559624e-44, 2.16741683877804819444e-51)  # fmt: skip


def _rem_pio2_huge(x: float) -> tuple[int, float, float]:
    """|x| > 2^19 * pi/2: x - n*pi/2 from 2/pi's bits, in exact integer
    arithmetic (what fdlibm's multi-word reduction computes), as y0 + y1."""
    from fractions import Fraction

    m, e = math.frexp(abs(x))
    mant, exp2 = int(m * (1 << 53)), e - 53
    shift = 1584 - exp2  # x * 2/pi = mant * _TWO_OVER_PI / 2^shift
    prod = mant * _TWO_OVER_PI
    n = (prod + (1 << (shift - 1))) >> shift
    r = Fraction(prod - (n << shift), 1 << shift) * sum(map(Fraction, _PIO2_PARTS))
    y0 = float(r)
    y1 = float(r - Fraction(y0))
    return (-n, -y0, -y1) if x < 0 else (n, y0, y1)


def _k_sin(x: float, y: float, has_tail: bool) -> float:
    if (_hi(x) & 0x7FFFFFFF) < 0x3E400000 and int(x) == 0:
        return x
    z = x * x
    v = z * x
    r = _S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))
    if not has_tail:
        return x + v * (_S1 + z * r)
    return x - ((z * (0.5 * y - v * r) - y) - v * _S1)


def _k_cos(x: float, y: float) -> float:
    ix = _hi(x) & 0x7FFFFFFF
    if ix < 0x3E400000 and int(x) == 0:
        return 1.0
    z = x * x
    r = z * (_C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6)))))
    if ix < 0x3FD33333:
        return 1.0 - (0.5 * z - (z * r - x * y))
    qx = 0.28125 if ix > 0x3FE90000 else _make(ix - 0x00200000, 0)
    return (1.0 - qx) - ((0.5 * z - qx) - (z * r - x * y))


def _k_tan(x: float, y: float, iy: int) -> float:
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    if ix < 0x3E300000 and int(x) == 0:
        if ((ix | _lo(x)) | (iy + 1)) == 0:
            return 1.0 / abs(x)
        if iy == 1:
            return x
        w = x + y
        z = _low_cleared(w)
        v = y - (z - x)
        a = -1.0 / w
        t = _low_cleared(a)
        return t + a * (1.0 + t * z + t * v)
    big = ix >= 0x3FE59428
    if big:
        if hx < 0:
            x, y = -x, -y
        x = (_PIO4 - x) + (_PIO4LO - y)
        y = 0.0
    z = x * x
    w = z * z
    r = _T[1] + w * (_T[3] + w * (_T[5] + w * (_T[7] + w * (_T[9] + w * _T[11]))))
    v = z * (_T[2] + w * (_T[4] + w * (_T[6] + w * (_T[8] + w * (_T[10] + w * _T[12])))))
    s = z * x
    r = y + z * (s * (r + v) + y)
    r += _T[0] * s
    w = x + r
    if big:
        v = float(iy)
        return (1 - ((hx >> 30) & 2)) * (v - 2.0 * (x - (w * w / (w + v) - r)))
    if iy == 1:
        return w
    z = _low_cleared(w)
    v = r - (z - x)
    a = -1.0 / w
    t = _low_cleared(a)
    return t + a * ((1.0 + t * z) + t * v)


def _rem_pio2(x: float) -> tuple[int, float, float]:
    """x - n*pi/2 as y0 + y1, with n."""
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    if ix < 0x4002D97C:  # |x| < 3pi/4: n = +-1
        if hx > 0:
            z = x - _PIO2_1
            if ix != 0x3FF921FB:
                y0 = z - _PIO2_1T
                return 1, y0, (z - y0) - _PIO2_1T
            z -= _PIO2_2
            y0 = z - _PIO2_2T
            return 1, y0, (z - y0) - _PIO2_2T
        z = x + _PIO2_1
        if ix != 0x3FF921FB:
            y0 = z + _PIO2_1T
            return -1, y0, (z - y0) + _PIO2_1T
        z += _PIO2_2
        y0 = z + _PIO2_2T
        return -1, y0, (z - y0) + _PIO2_2T
    if ix > 0x413921FB:
        return _rem_pio2_huge(x)
    t = abs(x)
    n = int(t * _INVPIO2 + 0.5)
    fn = float(n)
    r = t - fn * _PIO2_1
    w = fn * _PIO2_1T
    if n < 32 and ix != _NPIO2_HW[n - 1]:
        y0 = r - w
    else:
        j = ix >> 20
        y0 = r - w
        if j - ((_hi(y0) >> 20) & 0x7FF) > 16:  # cancellation: a second step, then maybe a third
            t = r
            w = fn * _PIO2_2
            r = t - w
            w = fn * _PIO2_2T - ((t - r) - w)
            y0 = r - w
            if j - ((_hi(y0) >> 20) & 0x7FF) > 49:
                t = r
                w = fn * _PIO2_3
                r = t - w
                w = fn * _PIO2_3T - ((t - r) - w)
                y0 = r - w
    y1 = (r - y0) - w
    return (-n, -y0, -y1) if hx < 0 else (n, y0, y1)


def sin(x: float) -> float:
    ix = _hi(x) & 0x7FFFFFFF
    if ix <= 0x3FE921FB:
        return _k_sin(x, 0.0, False)
    if ix >= 0x7FF00000:
        return NAN
    red = _rem_pio2(x)
    n, y0, y1 = red
    q = n & 3
    if q == 0:
        return _k_sin(y0, y1, True)
    if q == 1:
        return _k_cos(y0, y1)
    if q == 2:
        return -_k_sin(y0, y1, True)
    return -_k_cos(y0, y1)


def cos(x: float) -> float:
    ix = _hi(x) & 0x7FFFFFFF
    if ix <= 0x3FE921FB:
        return _k_cos(x, 0.0)
    if ix >= 0x7FF00000:
        return NAN
    red = _rem_pio2(x)
    n, y0, y1 = red
    q = n & 3
    if q == 0:
        return _k_cos(y0, y1)
    if q == 1:
        return -_k_sin(y0, y1, True)
    if q == 2:
        return -_k_cos(y0, y1)
    return _k_sin(y0, y1, True)


def tan(x: float) -> float:
    ix = _hi(x) & 0x7FFFFFFF
    if ix <= 0x3FE921FB:
        return _k_tan(x, 0.0, 1)
    if ix >= 0x7FF00000:
        return NAN
    red = _rem_pio2(x)
    n, y0, y1 = red
    return _k_tan(y0, y1, 1 - ((n & 1) << 1))


# --- inverse trigonometry -------------------------------------------------------------------

_PIO2_HI, _PIO2_LO = 1.57079632679489655800e00, 6.12323399573676603587e-17
_PI = 3.14159265358979311600e00
_PS = (1.66666666666666657415e-01, -3.25565818622400915405e-01, 2.01212532134862925881e-01,
       -4.00555345006794114027e-02, 7.91534994289814532176e-04, 3.47933107596021167570e-05)  # fmt: skip
_QS = (-2.40339491173441421878e00, 2.02094576023350569471e00, -6.88283971605453293030e-01,
       7.70381505559019352791e-02)  # fmt: skip


def _asin_ratio(t: float) -> tuple[float, float]:
    p = t * (_PS[0] + t * (_PS[1] + t * (_PS[2] + t * (_PS[3] + t * (_PS[4] + t * _PS[5])))))
    q = 1.0 + t * (_QS[0] + t * (_QS[1] + t * (_QS[2] + t * _QS[3])))
    return p, q


def asin(x: float) -> float:
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    if ix >= 0x3FF00000:
        if ((ix - 0x3FF00000) | _lo(x)) == 0:
            return x * _PIO2_HI + x * _PIO2_LO
        return NAN
    if ix < 0x3FE00000:
        if ix < 0x3E400000:
            return x
        p, q = _asin_ratio(x * x)
        return x + x * (p / q)
    t = (1.0 - abs(x)) * 0.5
    p, q = _asin_ratio(t)
    s = math.sqrt(t)
    if ix >= 0x3FEF3333:
        t = _PIO2_HI - (2.0 * (s + s * (p / q)) - _PIO2_LO)
    else:
        w = _low_cleared(s)
        c = (t - w * w) / (s + w)
        p = 2.0 * s * (p / q) - (_PIO2_LO - 2.0 * c)
        t = _PIO4 - (p - (_PIO4 - 2.0 * w))
    return t if hx > 0 else -t


def acos(x: float) -> float:
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    if ix >= 0x3FF00000:
        if ((ix - 0x3FF00000) | _lo(x)) == 0:
            return 0.0 if hx > 0 else _PI + 2.0 * _PIO2_LO
        return NAN
    if ix < 0x3FE00000:
        if ix <= 0x3C600000:
            return _PIO2_HI + _PIO2_LO
        p, q = _asin_ratio(x * x)
        return _PIO2_HI - (x - (_PIO2_LO - x * (p / q)))
    if hx < 0:
        z = (1.0 + x) * 0.5
        p, q = _asin_ratio(z)
        s = math.sqrt(z)
        return _PI - 2.0 * (s + ((p / q) * s - _PIO2_LO))
    z = (1.0 - x) * 0.5
    s = math.sqrt(z)
    df = _low_cleared(s)
    c = (z - df * df) / (s + df)
    p, q = _asin_ratio(z)
    return 2.0 * (df + ((p / q) * s + c))


_ATANHI = (4.63647609000806093515e-01, 7.85398163397448278999e-01, 9.82793723247329054082e-01,
           1.57079632679489655800e00)  # fmt: skip
_ATANLO = (2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17,
           6.12323399573676603587e-17)  # fmt: skip
_AT = (
    3.33333333333329318027e-01, -1.99999999998764832476e-01, 1.42857142725034663711e-01,
    -1.11111104054623557880e-01, 9.09088713343650656196e-02, -7.69187620504482999495e-02,
    6.66107313738753120669e-02, -5.83357013379057348645e-02, 4.97687799461593236017e-02,
    -3.65315727442169155270e-02, 1.62858201153657823623e-02,
)  # fmt: skip


def atan(x: float) -> float:
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    if ix >= 0x44100000:  # |x| >= 2^66 (or NaN)
        if x != x:
            return x
        return _ATANHI[3] + _ATANLO[3] if hx > 0 else -_ATANHI[3] - _ATANLO[3]
    if ix < 0x3FDC0000:
        if ix < 0x3E400000:
            return x
        i = -1
    else:
        x = abs(x)
        if ix < 0x3FF30000:
            if ix < 0x3FE60000:
                i, x = 0, (2.0 * x - 1.0) / (2.0 + x)
            else:
                i, x = 1, (x - 1.0) / (x + 1.0)
        elif ix < 0x40038000:
            i, x = 2, (x - 1.5) / (1.0 + 1.5 * x)
        else:
            i, x = 3, -1.0 / x
    z = x * x
    w = z * z
    s1 = z * (_AT[0] + w * (_AT[2] + w * (_AT[4] + w * (_AT[6] + w * (_AT[8] + w * _AT[10])))))
    s2 = w * (_AT[1] + w * (_AT[3] + w * (_AT[5] + w * (_AT[7] + w * _AT[9]))))
    if i < 0:
        return x - x * (s1 + s2)
    z = _ATANHI[i] - ((x * (s1 + s2) - _ATANLO[i]) - x)
    return -z if hx < 0 else z


_PI_LO = 1.2246467991473531772e-16


def atan2(y: float, x: float) -> float:
    if x != x or y != y:
        return NAN
    hx, lx, hy, ly = _hi(x), _lo(x), _hi(y), _lo(y)
    ix, iy = hx & 0x7FFFFFFF, hy & 0x7FFFFFFF
    if x == 1.0:
        return atan(y)
    m = ((hy >> 31) & 1) | ((hx >> 30) & 2)  # 2*sign(x) + sign(y)
    if (iy | ly) == 0:
        return y if m < 2 else (_PI if m == 2 else -_PI)
    if (ix | lx) == 0:
        return -_PIO2_HI if hy < 0 else _PIO2_HI
    if ix == 0x7FF00000:
        if iy == 0x7FF00000:
            return (_PIO4, -_PIO4, 3.0 * _PIO4, -3.0 * _PIO4)[m]
        return (0.0, -0.0, _PI, -_PI)[m]
    if iy == 0x7FF00000:
        return -_PIO2_HI if hy < 0 else _PIO2_HI
    k = (iy - ix) >> 20
    if k > 60:
        z = _PIO2_HI + 0.5 * _PI_LO
        m &= 1
    elif hx < 0 and k < -60:
        z = 0.0
    else:
        z = atan(abs(y / x))
    if m == 0:
        return z
    if m == 1:
        return -z
    if m == 2:
        return _PI - (z - _PI_LO)
    return (z - _PI_LO) - _PI


# --- exponentials and logarithms ------------------------------------------------------------

_LN2_HI, _LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10
_INVLN2 = 1.44269504088896338700e00
_P1, _P2, _P3 = 1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05
_P4, _P5 = -1.65339022054652515390e-06, 4.13813679705723846039e-08
_TWOM1000 = 9.33263618503218878990e-302


def exp(x: float) -> float:
    hx = _hi(x)
    neg = (hx >> 31) & 1
    hx &= 0x7FFFFFFF
    if hx >= 0x40862E42:
        if hx >= 0x7FF00000:
            if x != x:
                return x
            return x if not neg else 0.0
        if x > 7.09782712893383973096e02:
            return INF
        if x < -7.45133219101941108420e02:
            return 0.0
    hi = lo = 0.0
    k = 0
    if hx > 0x3FD62E42:
        if hx < 0x3FF0A2B2:
            if x == 1.0:
                return 2.718281828459045
            hi = x - (_LN2_HI if not neg else -_LN2_HI)
            lo = _LN2_LO if not neg else -_LN2_LO
            k = 1 - neg - neg
        else:
            k = int(_INVLN2 * x + (-0.5 if neg else 0.5))
            t = float(k)
            hi = x - t * _LN2_HI
            lo = t * _LN2_LO
        x = hi - lo
    elif hx < 0x3E300000:
        return 1.0 + x
    t = x * x
    twopk = _make(0x3FF00000 + (k << 20), 0) if k >= -1021 else _make(0x3FF00000 + ((k + 1000) << 20), 0)
    c = x - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    if k == 0:
        return 1.0 - ((x * c) / (c - 2.0) - x)
    y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
    if k >= -1021:
        if k == 1024:
            return y * 2.0 * 8.988465674311579539e307
        return y * twopk
    return y * twopk * _TWOM1000


_LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
       1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)  # fmt: skip
_TWO54 = 1.80143985094819840000e16


def _log_argument(x: float) -> tuple[float, int, int, int] | float:
    """A logarithm's argument, subnormals scaled up: (x, its high and low
    words, the power of two taken out); a float where the answer is
    immediate (zero, negative, infinite, NaN)."""
    hx, lx = _hi(x), _lo(x)
    k = 0
    if hx < 0x00100000:
        if ((hx & 0x7FFFFFFF) | lx) == 0:
            return -INF
        if hx < 0:
            return NAN
        k -= 54
        x *= _TWO54
        hx, lx = _hi(x), _lo(x)
    if hx >= 0x7FF00000:
        return x + x
    return x, hx, lx, k


def _reduce_log(x: float) -> tuple[int, int, float] | float:
    """x = 2^k * (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)): (k, hx bits, 1 + f);
    a float where the answer is immediate (zero, negative, infinite, NaN)."""
    arg = _log_argument(x)
    if type(arg) is float:
        return arg
    x, hx, _, k = arg
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    x = _set_high(x, hx | (i ^ 0x3FF00000))
    return k + (i >> 20), hx, x


def log(x: float) -> float:
    red = _reduce_log(x)
    if type(red) is float:
        return red
    k, hx, x = red
    f = x - 1.0
    if (0x000FFFFF & (2 + hx)) < 3:
        if f == 0.0:
            return 0.0 if k == 0 else k * _LN2_HI + k * _LN2_LO
        r = f * f * (0.5 - 0.33333333333333333 * f)
        return f - r if k == 0 else k * _LN2_HI - ((r - k * _LN2_LO) - f)
    s = f / (2.0 + f)
    dk = float(k)
    z = s * s
    i = hx - 0x6147A
    w = z * z
    j = 0x6B851 - hx
    t1 = w * (_LG[1] + w * (_LG[3] + w * _LG[5]))
    t2 = z * (_LG[0] + w * (_LG[2] + w * (_LG[4] + w * _LG[6])))
    r = t2 + t1
    if (i | j) > 0:
        hfsq = 0.5 * f * f
        if k == 0:
            return f - (hfsq - s * (hfsq + r))
        return dk * _LN2_HI - ((hfsq - (s * (hfsq + r) + dk * _LN2_LO)) - f)
    if k == 0:
        return f - s * (f - r)
    return dk * _LN2_HI - ((s * (f - r) - dk * _LN2_LO) - f)


def _k_log1p(f: float) -> float:
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG[1] + w * (_LG[3] + w * _LG[5]))
    t2 = z * (_LG[0] + w * (_LG[2] + w * (_LG[4] + w * _LG[6])))
    return s * (0.5 * f * f + (t2 + t1))


def log2(x: float) -> float:
    if x == 1.0:
        return 0.0
    red = _reduce_log(x)
    if type(red) is float:
        return red
    k, _, x = red
    f = x - 1.0
    hfsq = 0.5 * f * f
    r = _k_log1p(f)
    hi = _low_cleared(f - hfsq)
    lo = (f - hi) - hfsq + r
    val_hi = hi * 1.44269504072144627571e00
    val_lo = (lo + hi) * 1.67517131648865118353e-10 + lo * 1.44269504072144627571e00
    y = float(k)
    w = y + val_hi
    val_lo += (y - w) + val_hi
    return val_lo + w


def log10(x: float) -> float:
    arg = _log_argument(x)
    if type(arg) is float:
        return arg
    x, hx, lx, k = arg
    if hx == 0x3FF00000 and lx == 0:
        return 0.0
    k += (hx >> 20) - 1023
    i = 1 if k < 0 else 0
    hx = (hx & 0x000FFFFF) | ((0x3FF - i) << 20)
    y = float(k + i)
    x = _make(hx, lx)
    z = y * 3.69423907715893078616e-13 + 4.34294481903251816668e-01 * log(x)
    return z + y * 3.01029995663611771306e-01


_LP = _LG


def log1p(x: float) -> float:
    hx = _hi(x)
    ax = hx & 0x7FFFFFFF
    k = 1
    f = c = 0.0
    hu = 0
    if hx < 0x3FDA827A:
        if ax >= 0x3FF00000:
            return -INF if x == -1.0 else NAN
        if ax < 0x3E200000:
            return x if ax < 0x3C900000 else x - x * x * 0.5
        if hx > 0 or hx <= -1076707644:  # (0xBFD2BEC4 as a signed word)
            k, f, hu = 0, x, 1
    if hx >= 0x7FF00000:
        return x + x
    if k != 0:
        if hx < 0x43400000:
            u = 1.0 + x
            hu = _hi(u)
            k = (hu >> 20) - 1023
            c = (1.0 - (u - x)) if k > 0 else (x - (u - 1.0))
            c /= u
        else:
            u = x
            hu = _hi(u)
            k = (hu >> 20) - 1023
            c = 0.0
        hu &= 0x000FFFFF
        if hu < 0x6A09E:
            u = _set_high(u, hu | 0x3FF00000)
        else:
            k += 1
            u = _set_high(u, hu | 0x3FE00000)
            hu = (0x00100000 - hu) >> 2
        f = u - 1.0
    hfsq = 0.5 * f * f
    if hu == 0:
        if f == 0.0:
            if k == 0:
                return 0.0
            c += k * _LN2_LO
            return k * _LN2_HI + c
        r = hfsq * (1.0 - 0.66666666666666666 * f)
        return f - r if k == 0 else k * _LN2_HI - ((r - (k * _LN2_LO + c)) - f)
    s = f / (2.0 + f)
    z = s * s
    r = z * (_LP[0] + z * (_LP[1] + z * (_LP[2] + z * (_LP[3] + z * (_LP[4] + z * (_LP[5] + z * _LP[6]))))))
    if k == 0:
        return f - (hfsq - s * (hfsq + r))
    return k * _LN2_HI - ((hfsq - (s * (hfsq + r) + (k * _LN2_LO + c))) - f)


_Q1, _Q2, _Q3 = -3.33333333333331316428e-02, 1.58730158725481460165e-03, -7.93650757867487942473e-05
_Q4, _Q5 = 4.00821782732936239552e-06, -2.01099218183624371326e-07


def expm1(x: float) -> float:
    hx = _hi(x)
    neg = hx < 0
    hx &= 0x7FFFFFFF
    if hx >= 0x4043687A:
        if hx >= 0x40862E42:
            if hx >= 0x7FF00000:
                if x != x:
                    return x
                return x if not neg else -1.0
            if x > 7.09782712893383973096e02:
                return INF
        if neg:
            return -1.0
    c = 0.0
    if hx > 0x3FD62E42:
        if hx < 0x3FF0A2B2:
            if not neg:
                hi, lo, k = x - _LN2_HI, _LN2_LO, 1
            else:
                hi, lo, k = x + _LN2_HI, -_LN2_LO, -1
        else:
            k = int(_INVLN2 * x + (-0.5 if neg else 0.5))
            t = float(k)
            hi = x - t * _LN2_HI
            lo = t * _LN2_LO
        x = hi - lo
        c = (hi - x) - lo
    elif hx < 0x3C900000:
        return x
    else:
        k = 0
    hfx = 0.5 * x
    hxs = x * hfx
    r1 = 1.0 + hxs * (_Q1 + hxs * (_Q2 + hxs * (_Q3 + hxs * (_Q4 + hxs * _Q5))))
    t = 3.0 - r1 * hfx
    e = hxs * ((r1 - t) / (6.0 - x * t))
    if k == 0:
        return x - (x * e - hxs)
    twopk = _make(0x3FF00000 + (k << 20), 0) if k < 1024 else INF
    e = x * (e - c) - c
    e -= hxs
    if k == -1:
        return 0.5 * (x - e) - 0.5
    if k == 1:
        return -2.0 * (e - (x + 0.5)) if x < -0.25 else 1.0 + 2.0 * (x - e)
    if k <= -2 or k > 56:
        y = 1.0 - (e - x)
        y = y * 2.0 * 8.98846567431158e307 if k == 1024 else y * twopk
        return y - 1.0
    if k < 20:
        t = _make(0x3FF00000 - (0x200000 >> k), 0)
        return (t - (e - x)) * twopk
    t = _make((0x3FF - k) << 20, 0)
    return ((x - (e + t)) + 1.0) * twopk


def cbrt(x: float) -> float:
    hx = _hi(x)
    low = _lo(x)
    sign = hx & 0x80000000
    hx = (hx & 0xFFFFFFFF) ^ sign
    if hx >= 0x7FF00000:
        return x + x
    if hx < 0x00100000:
        if (hx | low) == 0:
            return x
        t = _make(0x43500000, 0) * x
        t = _make(sign | ((_hi(t) & 0x7FFFFFFF) // 3 + 696219795), 0)
    else:
        t = _make(sign | (hx // 3 + 715094163), 0)
    r = (t * t) * (t / x)
    t = t * ((1.87595182427177009643 + r * (-1.88497979543377169875 + r * 1.621429720105354466140))
             + ((r * r) * r) * (-0.758397934778766047437 + r * 0.145996192886612446982))  # fmt: skip
    bits = (_Q.unpack(_D.pack(t))[0] + 0x80000000) & 0xFFFFFFFFC0000000
    t = _D.unpack(_Q.pack(bits))[0]
    s = t * t
    r = x / s
    w = t + t
    r = (r - t) / (w + r)
    return t + t * r


# --- hyperbolic -----------------------------------------------------------------------------


def sinh(x: float) -> float:
    h = -0.5 if x < 0 else 0.5
    ax = abs(x)
    if ax < 22:
        if ax < 3.725290298461914e-9:
            return x
        t = expm1(ax)
        if ax < 1:
            return h * (2 * t - t * t / (t + 1))
        return h * (t + t / (t + 1))
    if ax < 709.7822265625:
        return h * exp(ax)
    if ax <= 710.4758600739439:
        w = exp(0.5 * ax)
        return (h * w) * w
    return x * INF if x == x else x


def cosh(x: float) -> float:
    ix = _hi(x) & 0x7FFFFFFF
    if ix < 0x3FD62E43:
        t = expm1(abs(x))
        w = 1.0 + t
        if ix < 0x3C800000:
            return w
        return 1.0 + (t * t) / (w + w)
    if ix < 0x40360000:
        t = exp(abs(x))
        return 0.5 * t + 0.5 / t
    if ix < 0x40862E42:
        return 0.5 * exp(abs(x))
    if abs(x) <= 710.4758600739439:
        w = exp(0.5 * abs(x))
        return (0.5 * w) * w
    if ix >= 0x7FF00000:
        return x * x
    return INF


def tanh(x: float) -> float:
    jx = _hi(x)
    ix = jx & 0x7FFFFFFF
    if ix >= 0x7FF00000:
        if x != x:
            return x
        return 1.0 if jx >= 0 else -1.0
    if ix < 0x40360000:
        if ix < 0x3E300000:
            return x
        if ix >= 0x3FF00000:
            z = 1.0 - 2.0 / (expm1(2.0 * abs(x)) + 2.0)
        else:
            t = expm1(-2.0 * abs(x))
            z = -t / (t + 2.0)
    else:
        z = 1.0
    return z if jx >= 0 else -z


_LN2 = 6.93147180559945286227e-01


def asinh(x: float) -> float:
    hx = _hi(x)
    ix = hx & 0x7FFFFFFF
    if ix >= 0x7FF00000:
        return x + x
    if ix < 0x3E300000:
        return x
    if ix > 0x41B00000:
        w = log(abs(x)) + _LN2
    elif ix > 0x40000000:
        t = abs(x)
        w = log(2.0 * t + 1.0 / (math.sqrt(x * x + 1.0) + t))
    else:
        t = x * x
        w = log1p(abs(x) + t / (1.0 + math.sqrt(1.0 + t)))
    return w if hx > 0 else -w


def acosh(x: float) -> float:
    hx = _hi(x)
    if hx < 0x3FF00000:
        return NAN
    if hx >= 0x41B00000:
        return x + x if hx >= 0x7FF00000 else log(x) + _LN2
    if ((hx - 0x3FF00000) | _lo(x)) == 0:
        return 0.0
    if hx > 0x40000000:
        return log(2.0 * x - 1.0 / (x + math.sqrt(x * x - 1.0)))
    t = x - 1.0
    return log1p(t + math.sqrt(2.0 * t + t * t))


def atanh(x: float) -> float:
    if x != x:
        return x
    ax = abs(x)
    if ax > 1.0:
        return NAN
    if ax == 1.0:
        return INF if x > 0 else -INF
    if (_hi(ax)) < 0x3E300000:
        return x
    if ax < 0.5:
        t = ax + ax
        t = 0.5 * log1p(t + t * ax / (1.0 - ax))
    else:
        t = 0.5 * log1p((ax + ax) / (1.0 - ax))
    return t if x >= 0 else -t


def hypot(*xs: float) -> float:
    """V8's Math.hypot: each |x| scaled by the largest, their squares summed
    with Kahan's compensation, the root scaled back."""
    if any(x in (INF, -INF) for x in xs):
        return INF
    if any(x != x for x in xs):
        return NAN
    big = max((abs(x) for x in xs), default=0.0)
    if big == 0:
        return 0.0
    total = compensation = 0.0
    for x in xs:
        n = abs(x) / big
        summand = n * n - compensation
        preliminary = total + summand
        compensation = (preliminary - total) - summand
        total = preliminary
    return math.sqrt(total) * big


# --- pow -------------------------------------------------------------------------------------

_BP, _DP_H, _DP_L = (1.0, 1.5), (0.0, 5.84962487220764160156e-01), (0.0, 1.35003920212974897128e-08)
_L = (5.99999999999994648725e-01, 4.28571428578550184252e-01, 3.33333329818377432918e-01,
      2.72728123808534006489e-01, 2.30660745775561754067e-01, 2.06975017800338417784e-01)  # fmt: skip
_LG2, _LG2_H, _LG2_L = 6.93147180559945286227e-01, 6.93147182464599609375e-01, -1.90465429995776804525e-09
_OVT = 8.0085662595372944372e-17
_CP, _CP_H, _CP_L = 9.61796693925975554329e-01, 9.61796700954437255859e-01, -7.02846165095275826516e-09
_IVLN2, _IVLN2_H, _IVLN2_L = 1.44269504088896338700e00, 1.44269502162933349609e00, 1.92596299112661746887e-08


def _scalbn(x: float, n: int) -> float:
    return math.ldexp(x, n)  # (exact: a power-of-two scaling, rounded once where subnormal)


def pow(x: float, y: float) -> float:  # noqa: A001 (Math.pow)
    """fdlibm's pow: log2(x) in two pieces, times y in simulated extra
    precision, then 2^(that) -- V8's Math.pow and **."""
    hx, lx, hy, ly = _hi(x), _lo(x), _hi(y), _lo(y)
    ix, iy = hx & 0x7FFFFFFF, hy & 0x7FFFFFFF
    if (iy | ly) == 0:
        return 1.0
    if x != x or y != y:
        return NAN
    yisint = 0  # 0: y not an integer, 1: odd, 2: even (only needed when x < 0)
    if hx < 0:
        if iy >= 0x43400000:
            yisint = 2
        elif iy >= 0x3FF00000:
            k = (iy >> 20) - 0x3FF
            if k > 20:
                j = ly >> (52 - k)
                if ((j << (52 - k)) & 0xFFFFFFFF) == ly:
                    yisint = 2 - (j & 1)
            elif ly == 0:
                j = iy >> (20 - k)
                if (j << (20 - k)) == iy:
                    yisint = 2 - (j & 1)
    if ly == 0:
        if iy == 0x7FF00000:  # y is +-inf
            if ((ix - 0x3FF00000) | lx) == 0:
                return NAN  # (+-1) ** +-inf
            if ix >= 0x3FF00000:
                return y if hy >= 0 else 0.0
            return -y if hy < 0 else 0.0
        if iy == 0x3FF00000:
            if hy >= 0:
                return x
            return 1.0 / x if x != 0 else math.copysign(INF, x)
        if hy == 0x40000000:
            return x * x
        if hy == 0x3FE00000 and hx >= 0:
            return math.sqrt(x)
    ax = abs(x)
    if lx == 0 and (ix == 0x7FF00000 or ix == 0 or ix == 0x3FF00000):  # x is +-0, +-inf, +-1
        z = 1.0 / ax if hy < 0 and ax != 0 else (INF if hy < 0 else ax)
        if hx < 0:
            if ((ix - 0x3FF00000) | yisint) == 0:
                return NAN
            if yisint == 1:
                z = -z
        return z
    n = (hx >> 31) + 1
    if (n | yisint) == 0:
        return NAN  # (negative) ** (not an integer)
    s = -1.0 if (n | (yisint - 1)) == 0 else 1.0
    if iy > 0x41E00000:  # |y| > 2^31
        if iy > 0x43F00000:
            if ix <= 0x3FEFFFFF:
                return INF if hy < 0 else 0.0
            if ix >= 0x3FF00000:
                return INF if hy > 0 else 0.0
        if ix < 0x3FEFFFFF:
            return s * INF if hy < 0 else s * 0.0
        if ix > 0x3FF00000:
            return s * INF if hy > 0 else s * 0.0
        t = ax - 1.0
        w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25))
        u = _IVLN2_H * t
        v = t * _IVLN2_L - w * _IVLN2
        t1 = _low_cleared(u + v)
        t2 = v - (t1 - u)
    else:
        n = 0
        if ix < 0x00100000:
            ax *= 9007199254740992.0
            n -= 53
            ix = _hi(ax)
        n += (ix >> 20) - 0x3FF
        j = ix & 0x000FFFFF
        ix = j | 0x3FF00000
        if j <= 0x3988E:
            k = 0
        elif j < 0xBB67A:
            k = 1
        else:
            k = 0
            n += 1
            ix -= 0x00100000
        ax = _set_high(ax, ix)
        u = ax - _BP[k]
        v = 1.0 / (ax + _BP[k])
        ss = u * v
        s_h = _low_cleared(ss)
        t_h = _make(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18), 0)
        t_l = ax - (t_h - _BP[k])
        s_l = v * ((u - s_h * t_h) - s_h * t_l)
        s2 = ss * ss
        r = s2 * s2 * (_L[0] + s2 * (_L[1] + s2 * (_L[2] + s2 * (_L[3] + s2 * (_L[4] + s2 * _L[5])))))
        r += s_l * (s_h + ss)
        s2 = s_h * s_h
        t_h = _low_cleared(3.0 + s2 + r)
        t_l = r - ((t_h - 3.0) - s2)
        u = s_h * t_h
        v = s_l * t_h + t_l * ss
        p_h = _low_cleared(u + v)
        p_l = v - (p_h - u)
        z_h = _CP_H * p_h
        z_l = _CP_L * p_h + p_l * _CP + _DP_L[k]
        t = float(n)
        t1 = _low_cleared(((z_h + z_l) + _DP_H[k]) + t)
        t2 = z_l - (((t1 - t) - _DP_H[k]) - z_h)
    y1 = _low_cleared(y)
    p_l = (y - y1) * t1 + y * t2
    p_h = y1 * t1
    z = p_l + p_h
    j, i = _hi(z), _lo(z)
    if j >= 0x40900000:  # z >= 1024
        if ((j - 0x40900000) | i) != 0 or p_l + _OVT > z - p_h:
            return s * INF
    elif (j & 0x7FFFFFFF) >= 0x4090CC00:  # z <= -1075
        if ((j - (0xC090CC00 - 0x100000000)) | i) != 0 or p_l <= z - p_h:
            return s * 0.0
    i = j & 0x7FFFFFFF
    k = (i >> 20) - 0x3FF
    n = 0
    if i > 0x3FE00000:  # |z| > 0.5: n = [z + 0.5]
        n = j + (0x00100000 >> (k + 1))
        k = ((n & 0x7FFFFFFF) >> 20) - 0x3FF
        t = _make(n & ~(0x000FFFFF >> k), 0)
        n = ((n & 0x000FFFFF) | 0x00100000) >> (20 - k)
        if j < 0:
            n = -n
        p_h -= t
    t = _low_cleared(p_l + p_h)
    u = t * _LG2_H
    v = (p_l - (t - p_h)) * _LG2 + t * _LG2_L
    z = u + v
    w = v - (z - u)
    t = z * z
    t1 = z - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    r = (z * t1) / ((t1 - 2.0) - (w + z * w))  # (V8's grouping, not fdlibm's (z*t1)/(t1-2) - (w+z*w))
    z = 1.0 - (r - z)
    if ((_hi(z) + (n << 20)) >> 20) <= 0:
        z = _scalbn(z, n)  # a subnormal result
    else:
        z = _set_high(z, _hi(z) + (n << 20))
    return s * z


FUNCTIONS = {
    "sin": sin, "cos": cos, "tan": tan, "asin": asin, "acos": acos, "atan": atan, "exp": exp, "log": log,
    "log2": log2, "log10": log10, "log1p": log1p, "expm1": expm1, "cbrt": cbrt, "sinh": sinh, "cosh": cosh,
    "tanh": tanh, "asinh": asinh, "acosh": acosh, "atanh": atanh,
}  # fmt: skip
