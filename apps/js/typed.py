"""Typed arrays and ArrayBuffer: fixed-length views of raw bytes.

A view is a numpy array over its buffer's bytes, so two views of one buffer
share memory exactly as in JS; stores convert the way JS does (ToInt32 and
friends wrap, Uint8ClampedArray rounds half to even and clamps).
"""

from __future__ import annotations

import math
import struct
from array import array

from .errors import JSRangeError
from .values import UNDEFINED, to_integer, to_num


class _Numpy:
    """numpy, imported by the first typed array rather than at start-up
    (~0.1 s that a program without typed arrays should not pay); the first
    use rebinds ``np`` to the module itself."""

    def __getattr__(self, name: str):
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _Numpy()

KINDS = {  # numpy dtype names
    "Int8Array": "int8",
    "Uint8Array": "uint8",
    "Uint8ClampedArray": "uint8",
    "Int16Array": "int16",
    "Uint16Array": "uint16",
    "Int32Array": "int32",
    "Uint32Array": "uint32",
    "Float32Array": "float32",
    "Float64Array": "float64",
}
_ITEMSIZE = {"int8": 1, "uint8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4, "float32": 4, "float64": 8}
SIZES = {kind: _ITEMSIZE[t] for kind, t in KINDS.items()}
MAX_BYTES = 2**31  # past this node says "Array buffer allocation failed"; so do we


class JSArrayBuffer:
    __slots__ = ("data",)

    def __init__(self, n: int) -> None:
        if n < 0 or n > MAX_BYTES:
            raise JSRangeError("Array buffer allocation failed")
        self.data = np.zeros(n, dtype="uint8")


class JSTypedArray:
    __slots__ = ("kind", "a", "buffer", "offset", "_desc", "__weakref__")  # (apps.js.shapes.PACKED_BY_ADDRESS)

    def __init__(self, kind: str, buffer: JSArrayBuffer, offset: int = 0, length: int | None = None) -> None:
        dtype = np.dtype(KINDS[kind])
        size = dtype.itemsize
        if offset % size:
            raise JSRangeError(f"start offset of {kind} should be a multiple of {size}")
        avail = len(buffer.data) - offset
        if length is None:
            if avail % size:
                raise JSRangeError(f"byte length of {kind} should be a multiple of {size}")
            length = avail // size
        if offset > len(buffer.data) or length * size > avail:
            raise JSRangeError(f"Invalid typed array length: {length}")
        self.kind = kind
        self.buffer = buffer
        self.offset = offset
        self.a = buffer.data[offset : offset + length * size].view(dtype)
        self._desc = None

    @property
    def addr(self) -> int:
        """This view as compiled code reads and writes it in place (jittypes'
        TYPED kinds; a Float64Array as a packed array of numbers): the address
        of a descriptor (data, length, 0) over the view's own memory, so
        compiled stores land in the buffer every other view of it shares.
        Its length never changes and its memory never moves (a view of a
        fixed buffer), so one descriptor serves every run."""
        d = self._desc
        if d is None:
            d = self._desc = array("q", (self.a.ctypes.data, len(self.a), 0))
        return d.buffer_info()[0]

    def __len__(self) -> int:
        return len(self.a)

    def get(self, i: int):
        return float(self.a[i]) if 0 <= i < len(self.a) else UNDEFINED

    def set(self, i: int, value) -> None:
        if 0 <= i < len(self.a):
            self.a[i] = convert(self.kind, to_num(value))

    def values(self) -> list:
        return [float(x) for x in self.a]


def convert(kind: str, x: float):
    """The stored form of number ``x`` in an element of ``kind``."""
    if kind == "Float32Array":  # (rounded here: numpy's own cast warns on overflow)
        try:
            return struct.unpack("f", struct.pack("f", x))[0]
        except OverflowError:
            return math.copysign(math.inf, x)
    if kind == "Float64Array":
        return x
    if kind == "Uint8ClampedArray":
        if x != x or x <= 0:
            return 0
        return 255 if x >= 255 else int(round(x))  # round(): half to even, as the spec says
    if x != x or x in (math.inf, -math.inf):
        return 0
    bits = SIZES[kind] * 8
    n = int(x) & ((1 << bits) - 1)
    if kind.startswith("Int") and n >= 1 << (bits - 1):
        n -= 1 << bits
    return n


def construct(kind: str, args: list, iterate) -> JSTypedArray:
    """``new Kind(length | array-like/iterable | buffer [, byteOffset [, length]])``."""
    size = SIZES[kind]
    src = args[0] if args else 0.0
    if type(src) is float or src is UNDEFINED or src is None:
        n = 0.0 if src is UNDEFINED or src is None else src
        if n != n:
            n = 0.0
        if n < 0 or n * size > MAX_BYTES or n != int(n):
            raise JSRangeError(f"Invalid typed array length: {to_str_num(n)}")
        return JSTypedArray(kind, JSArrayBuffer(int(n) * size))
    if type(src) is JSArrayBuffer:
        offset = to_integer(args[1]) if len(args) > 1 and args[1] is not UNDEFINED else 0
        length = to_integer(args[2]) if len(args) > 2 and args[2] is not UNDEFINED else None
        return JSTypedArray(kind, src, offset, length)
    if type(src) is JSTypedArray:
        items = src.values()
    else:
        items = iterate(src)
    t = JSTypedArray(kind, JSArrayBuffer(len(items) * size))
    for i, v in enumerate(items):
        t.a[i] = convert(kind, to_num(v))
    return t


def to_str_num(n: float) -> str:
    from .values import num_to_str

    return num_to_str(n)


def method(t: JSTypedArray, name: str, args: list, rt, pos):
    """The typed-array methods; None if ``name`` is not one."""
    a = t.a
    n = len(a)
    if name == "fill":
        v = convert(t.kind, to_num(args[0]) if args else math.nan)
        start = _rel(args[1], n, 0) if len(args) > 1 else 0
        end = _rel(args[2], n, n) if len(args) > 2 else n
        a[start:end] = v
        return t
    if name == "set":
        src = args[0] if args else UNDEFINED
        offset = to_integer(args[1]) if len(args) > 1 else 0
        items = src.values() if type(src) is JSTypedArray else rt.iterate(src, pos, "source")
        if offset < 0 or offset + len(items) > n:
            raise JSRangeError("offset is out of bounds", pos)
        for i, v in enumerate(items):
            a[offset + i] = convert(t.kind, to_num(v))
        return UNDEFINED
    if name == "subarray":
        start = _rel(args[0], n, 0) if args else 0
        end = _rel(args[1], n, n) if len(args) > 1 else n
        size = a.itemsize
        return JSTypedArray(t.kind, t.buffer, t.offset + start * size, max(end - start, 0))
    if name == "slice":
        start = _rel(args[0], n, 0) if args else 0
        end = _rel(args[1], n, n) if len(args) > 1 else n
        out = JSTypedArray(t.kind, JSArrayBuffer(max(end - start, 0) * a.itemsize))
        out.a[:] = a[start:end] if end > start else out.a[:0]
        return out
    if name == "sort" and not args:
        if a.dtype.kind == "f":  # (-0 before +0, NaN last: numpy's sort leaves equal zeros in any order)
            a[:] = a[np.lexsort((~np.signbit(a), a))]
        else:
            a.sort()
        return t
    return None


def _rel(v, n: int, default: int) -> int:
    if v is UNDEFINED:
        return default
    x = to_num(v)
    if x != x:
        return 0
    x = int(x) if abs(x) != math.inf else (n if x > 0 else -n - 1)
    return max(n + x, 0) if x < 0 else min(x, n)
