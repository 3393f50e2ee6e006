"""Hidden classes, and the native view compiled code has of an object.

The interpreter keeps an object's properties in a dict (insertion order),
and that dict stays the truth.  When an object is handed to compiled code
(an argument, a loop variable, a global), it gets a *mirror*: its values in
an ``array('d')`` (``slots``, one per own property, in order) and a
descriptor of three words that compiled code is given instead of the object:

    desc[0]  shape id    -- which hidden class: the key order plus which
                            values are numbers (a number's slot holds it),
                            which booleans (1.0 / 0.0) and which packed arrays (a slot holds the
                            array's own descriptor address, read only)
    desc[1]  slots address
    desc[2]  dirty       -- compiled code stored into a slot

A :class:`Shape` is interned, so equal layouts (with one prototype) share an id, as V8's maps
are shared by objects built the same way.  Inline caches compare ids and
read slot offsets patched into the machine code (apps.js.ics).  The
mirror is refreshed from the dict on every entry into compiled code and
its dirty slots written back on every exit, so the interpreter never sees
a stale value and the mirror costs nothing while only the interpreter runs.
"""

from __future__ import annotations

from array import array

from .values import JSArray, JSObject

MAX_SHAPES = 1 << 16  # past this many layouts, new ones stay out of compiled code
DESC_SHAPE, DESC_SLOTS, DESC_DIRTY = 0, 1, 2


class Shape:
    """One hidden class: the own keys in order, which hold numbers, and the
    prototype (so a shape also says where a method call resolves to)."""

    __slots__ = ("id", "keys", "numbers", "flags", "arrays", "bools", "index", "proto")

    def __init__(
        self, sid: int, keys: tuple, numbers: int, proto, arrays: int = 0, bools: int = 0, flags: int = 0
    ) -> None:
        self.id = sid
        self.keys = keys
        self.numbers = numbers  # bit i: keys[i]'s value is a number (its slot holds it)
        self.flags = flags  # bit i: a boolean (its slot holds 1.0 or 0.0)
        self.arrays = arrays  # bit i: a packed array of numbers (its slot holds the array's descriptor)
        self.bools = bools  # bit i: a packed array of booleans (likewise)
        self.index = {k: i for i, k in enumerate(keys)}
        self.proto = proto  # (held: its id is in the table's key)

    def number_slot(self, key) -> int:
        """The slot of own data property ``key`` if it holds a number, else -1
        (absent, inherited, an accessor or another kind of value: compiled
        code leaves to the interpreter)."""
        i = self.index.get(key)
        return i if i is not None and self.numbers >> i & 1 else -1

    def flag_slot(self, key) -> int:
        """The slot of own data property ``key`` if it holds a boolean, else -1."""
        i = self.index.get(key)
        return i if i is not None and self.flags >> i & 1 else -1

    def array_slot(self, key, bools: bool) -> int:
        """The slot of own data property ``key`` if it holds a packed array
        of numbers (of booleans if ``bools``), else -1."""
        i = self.index.get(key)
        return i if i is not None and (self.bools if bools else self.arrays) >> i & 1 else -1


_interned: dict[tuple, Shape] = {}
SHAPES: list[Shape | None] = [None]  # by id; 0 is no shape


def intern(keys: tuple, numbers: int, proto, arrays: int = 0, bools: int = 0, flags: int = 0) -> Shape | None:
    key = (keys, numbers, flags, arrays, bools, id(proto))
    s = _interned.get(key)
    if s is None:
        if len(SHAPES) > MAX_SHAPES:
            return None
        s = _interned[key] = Shape(len(SHAPES), keys, numbers, proto, arrays, bools, flags)
        SHAPES.append(s)
    return s


class Mirror:
    __slots__ = ("desc", "slots", "addr", "shape")

    def __init__(self) -> None:
        self.desc = array("q", (0, 0, 0))
        self.addr = self.desc.buffer_info()[0]
        self.slots = array("d")
        self.shape: Shape | None = None


def mirror_in(o: JSObject) -> int:
    """Refresh ``o``'s mirror from its properties; the descriptor address
    compiled code is given (0: the object cannot go there -- frozen or
    otherwise locked, or the shape table is full)."""
    props = o.props
    if type(props) is not dict:
        return 0
    values = list(props.values())
    numbers = flags = arrays = bools = 0
    bit = 1
    for v in values:
        t = type(v)
        if t is float:
            numbers |= bit
        elif t is bool:
            flags |= bit
        elif t is JSArray and v.items is None:
            if v.bools:
                bools |= bit
            else:
                arrays |= bit
        bit <<= 1
    m = o.native
    if m is None:
        m = o.native = Mirror()
    shape = m.shape
    if (
        shape is None
        or shape.numbers != numbers
        or shape.flags != flags
        or shape.arrays != arrays
        or shape.bools != bools
        or shape.proto is not o.proto
        or len(shape.keys) != len(values)
        or shape.keys != tuple(props)
    ):
        shape = intern(tuple(props), numbers, o.proto, arrays, bools, flags)
        if shape is None:
            return 0
        m.shape = shape
        m.desc[DESC_SHAPE] = shape.id
    slots = array("d", [v if type(v) is float else 1.0 if v is True else 0.0 for v in values])
    if arrays | bools:  # (each array's descriptor stays put: it is the array's own, kept by the dict)
        words = memoryview(slots).cast("B").cast("q")
        for i, v in enumerate(values):
            if (arrays | bools) >> i & 1:
                words[i] = v.addr
        del words
    if len(slots) == len(m.slots):
        m.slots[:] = slots  # (same buffer: its address stays)
    else:
        m.slots = slots
        m.desc[DESC_SLOTS] = slots.buffer_info()[0]
    m.desc[DESC_DIRTY] = 0
    return m.addr


def write_back(o: JSObject) -> None:
    """After compiled code ran: its stores into ``o``'s slots go to the dict."""
    m = o.native
    if m is None or not m.desc[DESC_DIRTY]:
        return
    m.desc[DESC_DIRTY] = 0
    props, slots, numbers, flags = o.props, m.slots, m.shape.numbers, m.shape.flags
    for i, k in enumerate(m.shape.keys):
        if numbers >> i & 1:
            props[k] = slots[i]
        elif flags >> i & 1:
            props[k] = slots[i] != 0.0
