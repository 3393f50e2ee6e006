"""Hidden classes, and the native view compiled code has of an object.

The interpreter keeps an object's properties in a dict (insertion order),
and that dict stays the truth.  Compiled code sees an object through its
*mirror*: its values in an ``array('d')`` (``slots``, one per own
property, in order) and a descriptor of three words that compiled code is
given instead of the object:

    desc[0]  shape id    -- which hidden class: the key order plus what
                            each slot holds (a number; a boolean as 1.0 /
                            0.0; a packed array's own descriptor address;
                            an object's mirror's descriptor address, 0
                            for null, UNDEF_REF for undefined; a string's
                            descriptor address, apps.js.jitstrings); 0 while
                            the mirror is stale
    desc[1]  slots address
    desc[2]  dirty       -- compiled code stored into a slot

A :class:`Shape` is interned, so equal layouts (with one prototype) share an
id, as V8's maps are shared by objects built the same way.  Inline caches
compare ids and read slot offsets patched into the machine code
(apps.js.ics).

A mirror is fresh only within the compiled run that refreshed it from the
dict: an argument's or a global's on entry, an object reached through
another's property at the first inline-cache miss on it (shape id 0 never
matches an entry, so the handler refreshes it then).  Its dirty slots go
back to the dict on exit, and every mirror refreshed is made stale again
before the engine's next run (:func:`stale_all`), so compiled code never reads a
value the interpreter has since changed, and an object graph costs only
what compiled code touches of it.
"""

from __future__ import annotations

import struct
import weakref
from array import array

import numpy as np

from .jitstrings import STRINGS, string_word
from .jittypes import HOLE_BITS, plain_array, ref_array_type
from .madestrings import made_string
from .native import PUSHED
from .typed import JSTypedArray
from .values import HOLE, UNDEFINED, Builtin, JSArray, JSFunction, JSObject, StrBuf

MAX_SHAPES = 1 << 16  # past this many layouts, new ones stay out of compiled code
DESC_SHAPE, DESC_SLOTS, DESC_DIRTY = 0, 1, 2
KINDS = ("num", "bool", "arr", "barr", "obj", "aobj", "other", "str")  # what a slot can hold (apps.js.jittypes'
# names; "other": a value compiled code does not read -- a function, or a string outside a run -- but knows is
# not null or undefined)
NUM_I, BOOL_I, ARR_I, BARR_I, OBJ_I, AOBJ_I, OTHER_I, STR_I = range(len(KINDS))  # each kind's place in Shape.masks
NULL_TEST = "null?"  # a site asking only "is it null (or undefined)?" (apps.js.codegen's null tests)
NEVER_NULL = (1 << 24) - 1  # what such a site is told for a slot that holds no reference (apps.js.ics' SLOT_MASK)
# An object reference in compiled code is a mirror's descriptor address; 0 is
# null, UNDEF_REF a variable not assigned yet.  Below NO_OBJECT none is an
# object: an inline cache leaves on those.
UNDEF_REF = 8
HOLE_REF = 16  # (an array of objects' element never set: read as UNDEF_REF)
NO_OBJECT = 4096
# A packed array's variable may hold null (``let best = null`` then arrays):
# compiled code holds it as this descriptor's address -- its length -1, as
# an array no longer packed has, so every read, store, push, pop and loop
# over it leaves compiled code (the interpreter throws the TypeError), and
# only a null test, a truth test or ``===`` tells it apart.  Never written.
NULL_ARRAY = array("q", (0, -1, 0))
NULL_ARRAY_REF = NULL_ARRAY.buffer_info()[0]


class Shape:
    """One hidden class: the own keys in order, what each slot holds, and
    the prototype (so a shape also says where a method call resolves to)."""

    __slots__ = ("id", "keys", "masks", "refs", "index", "proto")

    def __init__(self, sid: int, keys: tuple, masks: tuple, proto) -> None:
        self.id = sid
        self.keys = keys
        self.masks = masks  # per kind (KINDS' order): bit i set if keys[i]'s slot holds one
        self.refs = ref_mask(masks)  # slots holding a reference word (0 null, else a descriptor's address)
        self.index = {k: i for i, k in enumerate(keys)}
        self.proto = proto  # (held: its id is in the table's key)

    def slot(self, key, kind: str = "num") -> int:
        """The slot of own data property ``key`` if it holds a ``kind``, else
        -1 (absent, inherited, an accessor or another kind of value:
        compiled code leaves to the interpreter)."""
        i = self.index.get(key)
        if i is None:
            return -1
        if kind == NULL_TEST:  # a reference slot (its word is compared), or NEVER_NULL
            if self.refs >> i & 1:
                return i if i < NEVER_NULL else -1
            m = self.masks
            return NEVER_NULL if (m[NUM_I] | m[BOOL_I] | m[OTHER_I]) >> i & 1 else -1  # (else an accessor)
        return i if self.masks[KINDS.index(kind)] >> i & 1 else -1


_REF_I = (ARR_I, BARR_I, OBJ_I, AOBJ_I, STR_I)  # the kinds whose slots hold a reference word


def ref_mask(masks: tuple) -> int:
    return masks[ARR_I] | masks[BARR_I] | masks[OBJ_I] | masks[AOBJ_I] | masks[STR_I]


_interned: dict[tuple, Shape] = {}
SHAPES: list[Shape | None] = [None]  # by id; 0 is no shape


def intern(keys: tuple, masks: tuple, proto) -> Shape | None:
    key = (keys, masks, id(proto))
    s = _interned.get(key)
    if s is None:
        if len(SHAPES) > MAX_SHAPES:
            return None
        s = _interned[key] = Shape(len(SHAPES), keys, masks, proto)
        SHAPES.append(s)
    return s


class Mirror:
    """An object's native view.  Its owner is held weakly, through the
    address map, so the two make no reference cycle: an object compiled
    code allocated is freed by its reference count once the program drops
    it, not left to the cycle collector -- whose full collections, with
    ~100,000 such objects a second, came to dominate a run (AWFY Bounce's
    iterations grew 3x slower over 40 of them)."""

    __slots__ = ("desc", "slots", "addr", "shape")

    def __init__(self, owner: JSObject, slots: array | None = None) -> None:
        self.desc = _NO_DESC.__copy__()  # (copies: compiled code builds one per object it allocates)
        self.addr = self.desc.buffer_info()[0]
        self.slots = _NO_SLOTS.__copy__() if slots is None else slots
        self.shape: Shape | None = None
        _BY_ADDRESS[self.addr] = weakref.ref(owner)

    @property
    def owner(self) -> JSObject | None:
        return owner_at(self.addr)

    def __del__(self) -> None:
        # Before the descriptor is freed: while it lives, no other mirror
        # has its address, so the entry there is this one's.  (None: the
        # interpreter is shutting down, module globals already cleared.)
        if _BY_ADDRESS is not None:
            _BY_ADDRESS.pop(self.addr, None)


_NO_DESC = array("q", (0, 0, 0))
_NO_SLOTS = array("d")
# desc address -> weak reference to the mirror's owner (a plain dict of
# plain weak references: a WeakValueDictionary's callback references cost
# ~3x as much to make, once per object compiled code allocates)
_BY_ADDRESS: dict[int, weakref.ref] = {}


def owner_at(addr: int) -> JSObject | None:
    """The live object whose mirror's descriptor is at ``addr``, if any."""
    r = _BY_ADDRESS.get(addr)
    return None if r is None else r()


def mirror_at(addr: int) -> Mirror | None:
    """The live mirror whose descriptor is at ``addr``, if any."""
    o = owner_at(addr)
    return None if o is None else o.native


# desc address -> JSArray (or Float64Array), for every packed array a mirror has handed to
# compiled code: what compiled code hands back (a return, a variable, a
# store) may be one it read from a slot, not one it was given.
PACKED_BY_ADDRESS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def mirror_of(o: JSObject) -> Mirror:
    m = o.native
    if m is None:
        m = o.native = Mirror(o)
    return m


def stale_all(fresh: list) -> None:
    """Make every mirror in ``fresh`` stale (before a compiled run: the
    interpreter may have changed their objects since)."""
    for m in fresh:
        m.desc[DESC_SHAPE] = 0
    fresh.clear()


def element_word(x, ref=None) -> int:
    """What an array of objects holds for element ``x`` in compiled code: 0
    for null, UNDEF_REF for undefined, HOLE_REF for a hole (both read as
    undefined), else the object's mirror's descriptor address (``ref``: how
    to get it, when the mirror is to be refreshed too)."""
    if x is None:
        return 0
    if x is UNDEFINED:
        return UNDEF_REF
    if x is HOLE:
        return HOLE_REF
    return mirror_of(x).addr if ref is None else ref(x)


def ref_array_in(v: JSArray, words: list, run: dict, writable: bool, rows: bool = False) -> int:
    """A descriptor with a packed array's layout over ``words`` (its
    elements' references), by which compiled code reads -- and, if
    ``writable``, stores into -- the generic array ``v`` for one run; held
    by the run, noted as the array's for the rest of it.  A writable one is
    compared with what it began as when the run ends (:func:`elements_in`);
    one of ``rows`` (packed arrays' descriptors, apps.js.jittypes' AARR) is
    not remembered as an array of objects' words."""
    watch = (_ROWS if rows else _WRITABLE) if writable else None
    return _held_copy(v, array("q", words), run, watch)


def _held_copy(v: JSArray, data: array, run: dict, watch) -> int:
    """The descriptor of ``data`` -- a copy of ``v``'s elements as compiled
    code sees them for one run -- held by the run and noted as ``v``'s; if
    ``watch`` is a run's key, listed there with what it began as, to be
    compared when the run ends."""
    desc = array("q", (data.buffer_info()[0], len(data), 0))
    addr = desc.buffer_info()[0]
    run[addr] = v
    run[("array", id(v))] = addr
    run[("keep", addr)] = (desc, data)
    if watch is not None:
        run.setdefault(watch, []).append((v, data, array(data.typecode, data)))
        if watch is not _NUMBERS:
            run[("resizable", addr)] = True  # (compiled code may push onto it and pop from it: resize_copy)
    return addr


def resize_copy(addr: int, run: dict, relocate) -> bool:
    """Compiled code's first push onto (or pop from) this run's copy of an
    array of objects or of rows at ``addr`` -- noted, so that its length
    goes back to the array when the run ends (:func:`elements_in`,
    :func:`resize_items`) -- or a push with the copy full: its words
    doubled, the undo log's entries for the old ones moved by ``relocate``.
    False (leave) for any other address, a locked array among them."""
    v = run.get(addr)
    if type(v) is not JSArray or v.items is None or v.locked or ("resizable", addr) not in run:
        return False
    desc, data = run[("keep", addr)]
    if not desc[2] & PUSHED:
        run.setdefault(_RESIZED, []).append((v, desc, data))
    if desc[1] >= len(data):
        old, size = data.buffer_info()[0], 8 * len(data)
        data.extend(data if data else array("q", (HOLE_REF,) * 4))  # (the copy is spare room)
        relocate(old, size, data.buffer_info()[0])
        desc[0] = data.buffer_info()[0]
    desc[2] = len(data) | PUSHED
    return True


def replaced_values(objs: list, elements: list, run: dict) -> list:
    """What the write-back of a run is about to replace or cut: every value
    of the objects it writes into (those whose mirror is dirty: write_back
    skips the rest), and every element of the arrays it
    writes into or resizes.  Held until the run's remaining references --
    its variables, its return, its cells -- are resolved: an object
    compiled code still holds may be referenced by nothing else once its
    last property is overwritten (a list reversed in place: the node in
    ``cur`` was held only by the ``next`` the loop just rewrote), and freed
    with its mirror, its address would resolve to nothing."""
    held: list = [list(o.props.values()) for o in objs if o.native is not None and o.native.desc[DESC_DIRTY]]
    arrays = {id(v): v for v, _, _ in elements}
    arrays.update((id(v), v) for v, _, _ in run.get(_RESIZED, ()))
    held.extend(list(v.items) for v in arrays.values() if v.items is not None)
    return held


def resize_items(run: dict) -> None:
    """The run's resized copies' lengths into their arrays' items (after
    every word is resolved, before the elements are written: a popped
    object is held until then): new places as holes, each written next
    with what compiled code pushed there (:func:`elements_in`)."""
    for v, _, data in run.get(_RESIZED, ()):
        _set_length(v.items, len(data))


def _set_length(items: list, n: int) -> None:
    """Cut ``items`` to ``n``, or lengthen it with holes (to be written)."""
    if n < len(items):
        del items[n:]
    else:
        items.extend([HOLE] * (n - len(items)))


_WRITABLE = ("writable arrays",)  # a run's key: its arrays of objects, with what each began as
_ROWS = ("arrays of rows",)  # a run's key: its arrays of packed arrays, with what each began as
_NUMBERS = ("arrays of numbers and holes",)  # a run's key: those arrays, with what each began as
_RESIZED = ("copies resized",)  # a run's key: (array, descriptor, words) of copies compiled code pushed or popped
_HOLE = struct.unpack("<d", struct.pack("<Q", HOLE_BITS))[0]  # (a copy keeps its bits: no arithmetic)


def number_array_in(v: JSArray, run: dict) -> int:
    """A descriptor with a packed array's layout over a copy of ``v``'s
    elements, numbers and holes (apps.js.jittypes' HARR: a hole as
    HOLE_BITS), by which compiled code reads and stores into that generic
    array for one run; held by the run, and compared with what it began as
    when the run ends (:func:`numbers_in`)."""
    return _held_copy(v, array("d", [_HOLE if x is HOLE else x for x in v.items]), run, _NUMBERS)


def numbers_in(run: dict) -> list:
    """Compiled code's stores into the run's arrays of numbers and holes, as
    (array, index, number): only elements whose bits changed (a hole not
    stored to stays one; a NaN stored over a NaN is no change)."""
    out = []
    for v, data, before in run.get(_NUMBERS, ()):
        changed = np.flatnonzero(np.frombuffer(data, np.int64) != np.frombuffer(before, np.int64))  # (bits: a hole
        out.extend((v, i, data[i]) for i in changed.tolist())  # is a NaN, and NaN != NaN)
    return out


# array of objects -> (its items, their element words) as last mirrored or written back: an array
# unchanged since is not walked element by element again -- a list comparison (identities, at C speed)
# instead.  DeltaBlue's planner enters a callback per constraint with a work list of up to 12,000
# objects in reach: rebuilt per entry, element by element, it took over half the run.  The copy
# holds its elements (their words stay their mirrors' while it does), so an element the program
# has since dropped from the array lives until the array is next mirrored, or is freed itself.
_LAST_WORDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def object_array_words(v: JSArray) -> array | None:
    """The element words (:func:`element_word`) of ``v`` if compiled code may
    hold it as an array of objects (apps.js.jittypes' AOBJ), else None."""
    if not plain_array(v) or v.locked:
        return None
    items = v.items
    last = _LAST_WORDS.get(v)
    if last is not None and last[0] == items:
        return last[1]
    if items is None or ref_array_type(items) != "aobj":
        return None
    words = array("q", [element_word(x) for x in items])
    _LAST_WORDS[v] = (items.copy(), words)
    return words


def remember_elements(run: dict) -> None:
    """After the run's stores into its arrays of objects are written back:
    each array's items and words now, for its next entry (as
    :func:`object_array_words` keeps them)."""
    moved = run.get(_MOVED)
    keys = np.fromiter(moved, np.int64, len(moved)) if moved else None
    for v, data, _ in run.get(_WRITABLE, ()):
        if v.items is not None:
            words = array("q", data)
            if keys is not None:  # (objects copied out of the arena: their new addresses)
                for i in np.flatnonzero(np.isin(np.frombuffer(words, np.int64), keys)).tolist():
                    words[i] = moved[words[i]]
            _LAST_WORDS[v] = (v.items.copy(), words)


def _objects_array(v: JSArray, words: array, run: dict) -> int:
    """The descriptor of an array of objects reached through a property (one
    per array per run, as apps.js.tier's ``_ref_array`` makes one for an
    argument) over its element ``words`` (:func:`object_array_words`).  Its
    elements' mirrors are refreshed as compiled code reaches them (a cache
    miss on a stale one), not here."""
    addr = run.get(("array", id(v)))
    return addr if addr is not None else ref_array_in(v, words, run, True)


def elements_in(run: dict) -> list:
    """Compiled code's stores into the run's arrays of objects, as (array,
    index, value) -- resolved, as :func:`objects_in`'s, before any write-back.
    Only an element whose word changed is written: a hole not stored to
    stays a hole.  A copy compiled code pushed onto or popped from is cut to
    its length first; each element past what it began with is written."""
    for _, desc, data in run.get(_RESIZED, ()):
        del data[desc[1] :]  # (its length now: the spare room dropped)
    out = []
    for v, data, before in (*run.get(_WRITABLE, ()), *run.get(_ROWS, ())):
        if data != before:  # (then only the words that differ, found at C speed: a long array, few stores)
            m = min(len(data), len(before))
            changed = np.flatnonzero(np.frombuffer(data, np.int64)[:m] != np.frombuffer(before, np.int64)[:m])
            out.extend((v, i, referent(data[i], run)) for i in changed.tolist())
            out.extend((v, i, referent(data[i], run)) for i in range(m, len(data)))  # (pushed)
    return out


def mirror_in(o: JSObject, fresh: list, run: dict | None = None) -> int:
    """Refresh ``o``'s mirror from its properties, noting it in ``fresh``
    (one engine's: another engine's runs must not stale this one's
    mirrors mid-run, losing its stores); the descriptor address compiled
    code is given (0: the object cannot go there -- frozen or otherwise
    locked, or the shape table is full)."""
    props = o.props
    if type(props) is not dict:
        return 0
    values = list(props.values())
    numbers = flags = arrays = bools = objects = object_arrays = others = strings = 0
    element_words = []  # (each array of objects' words, in slot order)
    bit = 1
    for v in values:
        t = type(v)
        if t is float:
            numbers |= bit
        elif t is bool:
            flags |= bit
        elif t is JSArray and v.items is None and plain_array(v):
            if v.bools:
                bools |= bit
            else:
                arrays |= bit
        elif t is JSTypedArray and v.kind == "Float64Array":
            arrays |= bit  # (a packed array of numbers over the view's own memory: apps.js.typed)
        elif v is None or v is UNDEFINED or (t is JSObject and type(v.props) is dict):
            objects |= bit  # (an object reference: 0 for null, UNDEF_REF for undefined)
        elif t is JSArray and run is not None and (w := object_array_words(v)) is not None:
            object_arrays |= bit  # (apps.js.jittypes' AOBJ, as an argument's)
            element_words.append(w)
        elif t is str and run is not None:
            strings |= bit  # (its descriptor, held by the run: apps.js.jitstrings.string_word)
        elif t is str or t is JSArray or t is JSFunction or t is Builtin or t is StrBuf or isinstance(v, JSObject):
            others |= bit  # (not an accessor: its getter might return null)
        bit <<= 1
    masks = (numbers, flags, arrays, bools, objects, object_arrays, others, strings)
    m = mirror_of(o)
    shape = m.shape
    if (
        shape is None
        or shape.proto is not o.proto
        or len(shape.keys) != len(values)
        or shape.masks != masks
        or shape.keys != tuple(props)
    ):
        shape = intern(tuple(props), masks, o.proto)
        if shape is None:
            return 0
        m.shape = shape
    slots = array("d", [v if type(v) is float else 1.0 if v is True else 0.0 for v in values])
    refs = arrays | bools | objects | object_arrays | strings
    if (
        refs or others
    ):  # (an array's descriptor stays put: the array's own; an object's mirror is made here if it has none)
        words = memoryview(slots).cast("B").cast("q")
        pending = iter(element_words)
        for i, v in enumerate(values):
            if others >> i & 1:
                words[i] = code_word(v)  # (a function: what an own-method call's entry compares, apps.js.ics)
            elif refs >> i & 1:
                if v is None or v is UNDEFINED:
                    words[i] = 0 if v is None else UNDEF_REF
                elif object_arrays >> i & 1:
                    words[i] = _objects_array(v, next(pending), run)
                elif strings >> i & 1:
                    words[i] = string_word(v, run)
                elif type(v) is JSArray or type(v) is JSTypedArray:
                    words[i] = v.addr
                    PACKED_BY_ADDRESS[v.addr] = v
                else:
                    words[i] = mirror_of(v).addr
        del words
    if len(slots) == len(m.slots):
        m.slots[:] = slots  # (same buffer: its address stays)
    else:
        m.slots = slots
        m.desc[DESC_SLOTS] = slots.buffer_info()[0]
    m.desc[DESC_DIRTY] = 0
    m.desc[DESC_SHAPE] = shape.id
    fresh.append(m)
    return m.addr


def code_word(f) -> int:
    """What a slot of kind "other" holding ``f`` reads as in compiled code:
    a function's identity (a call site that compares it holds the function
    it compiled in, so no other object can have that address meanwhile),
    else 0."""
    return id(f) if type(f) is JSFunction else 0


def transition(m: Mirror, key, kind: str) -> int:
    """A store of a ``kind`` reference into ``m``'s slot for ``key``, which
    holds a reference of another kind (null in an object slot, say): give the
    mirror the shape whose slot holds a ``kind``, as V8 moves an object to a
    new map; the slot, or -1 if it is not a reference slot (or the shape table
    is full).  The store must follow at once: the shape now says what the
    slot will hold.  Should it not (a deoptimisation in between), the run
    ends and the write-back resolves every reference word by its address, of
    whatever kind (:func:`referent`), so the dict still gets the right value."""
    shape = m.shape
    i = shape.index.get(key)
    to = KINDS.index(kind)
    if i is None or to not in _REF_I or not shape.refs >> i & 1:
        return -1
    bit = 1 << i
    masks = tuple((mask | bit) if k == to else (mask & ~bit) for k, mask in enumerate(shape.masks))
    new = intern(shape.keys, masks, shape.proto)
    if new is None:
        return -1
    if type(m) is Mirror:  # (a Made's shape is its descriptor's word)
        m.shape = new
    m.desc[DESC_SHAPE] = new.id
    return i


class Made:
    """A view of an object compiled code built in place this run that the
    interpreter has not seen (what the inline-cache handler moves to a new
    shape).  The run holds such an object as one ``array('q')`` *block*:
    its descriptor's three words, then its slots -- one allocation, not a
    descriptor, a slots array and a record (AWFY List's and Bounce's
    allocations went ~2.1 -> ~0.7 us of Python here).  Most never leave
    their run (AWFY Bounce's balls, a planner's temporaries) and go with
    it.  One that compiled code hands out -- stored into an object the
    interpreter has, returned, left in a variable, passed to a callback --
    becomes a JSObject there and then (:func:`referent`)."""

    __slots__ = ("desc",)

    def __init__(self, block: array) -> None:
        self.desc = block

    @property
    def shape(self) -> Shape:
        return SHAPES[self.desc[DESC_SHAPE]]


FRESH = ("fresh mirrors",)  # a run's key: the engine's list of mirrors to stale before its next run


def made_template(shape: Shape, slots) -> array:
    """The block (:class:`Made`) a new object of ``shape`` starts as: its
    shape's id, then ``slots`` (what each slot holds until compiled code
    stores the real value)."""
    block = array("q", (shape.id, 0, 0))
    block.frombytes(array("d", slots).tobytes())
    return block


def made_in_place(template: array, fresh: list, run: dict) -> int:
    """A new object made from ``template`` (:func:`made_template`), held by
    the run; its descriptor's address."""
    block = template.__copy__()
    addr = block.buffer_info()[0]
    block[DESC_SLOTS] = addr + 24  # (its slots follow its three descriptor words)
    run[addr] = block
    if FRESH not in run:
        run[FRESH] = fresh
    return addr


ARENA = ("arena",)  # a run's key: (the arena compiled code built objects in, the run's number)
_MOVED = ("moved",)  # a run's key: arena address -> the address of the block its object was copied out to
_FILLING = ("objects to fill",)  # a run's key: objects made from Made records, their dicts not yet filled
_MADE_ARRAYS = ("arrays made",)  # a run's key: arrays of objects compiled code made, not yet handed out


def _materialize(addr: int, block, run: dict) -> JSObject:
    """The JSObject a :class:`Made` block becomes when the interpreter is
    to see it: its mirror keeps the block as its descriptor and a view of
    the block's tail as its slots (their addresses stay valid for the rest
    of the run), its dict is filled from the slots.  A block in the arena
    (apps.js.arena, a memoryview) is copied to one of its own, unless
    compiled code still runs (it may write it there: Arena.done copies it
    out); the run maps its arena address to the object either way.  The
    object replaces the record at once, so a cycle back to it resolves to
    it; the dicts are filled by the outermost call, one object after
    another -- a list of 100,000 nodes compiled code built is no Python
    recursion 100,000 deep."""
    shape = SHAPES[block[DESC_SHAPE]]
    o = JSObject({}, shape.proto)
    at = addr
    if type(block) is memoryview:
        arena = run[ARENA][0]
        if arena.running:
            arena.in_place.append(o)
        else:
            block = _own_block(block)
            at = block.buffer_info()[0]
            run.setdefault(_MOVED, {})[addr] = at
    m = Mirror.__new__(Mirror)
    m.desc, m.slots, m.addr, m.shape = block, memoryview(block).cast("B")[24:].cast("d"), at, shape
    o.native = m
    _BY_ADDRESS[at] = weakref.ref(o)
    run[addr] = o
    run[FRESH].append(m)  # (staled before the next run, as any mirror refreshed)
    m.desc[DESC_DIRTY] = 0
    pending = run.get(_FILLING)
    if pending is not None:  # (an outer call is filling: it fills this one too)
        pending.append(o)
        return o
    run[_FILLING] = pending = [o]
    try:
        while pending:
            x = pending.pop()
            _fill(x.props, x.native, [referent(w, run) for w in _ref_words(x.native)])
    finally:
        del run[_FILLING]
    return o


def _own_block(view: memoryview) -> array:
    """A copy of an arena object's descriptor words and slots, its slots
    word pointing at its own tail."""
    block = array("q")
    block.frombytes(view.tobytes())
    block[DESC_SLOTS] = block.buffer_info()[0] + 24
    return block


def evacuate(objs: list, run: dict | None) -> None:
    """Give each of ``objs`` -- handed out while compiled code ran, their
    mirrors still in the arena -- a block of its own, before the arena is
    reused (the run, if given, maps the old addresses to the new)."""
    moved = None if run is None else run.setdefault(_MOVED, {})
    for o in objs:
        m = o.native
        if m is None or type(m.desc) is not memoryview:
            continue  # (mirrored anew since)
        old = m.addr
        if m.desc[DESC_SLOTS] == old + 24:
            block = _own_block(m.desc)
            m.slots = memoryview(block).cast("B")[24:].cast("d")
        else:  # (its slots were moved to an array of their own)
            block = array("q")
            block.frombytes(m.desc[:3].tobytes())
        m.desc = block
        m.addr = new = block.buffer_info()[0]
        _BY_ADDRESS.pop(old, None)
        _BY_ADDRESS[new] = weakref.ref(o)
        if moved is not None:
            moved[old] = new
    objs.clear()


def run_value(addr: int, run: dict):
    """What the run holds at ``addr``: an object or array it was given or
    made, a :class:`Made` block, an object built in its arena (a view of
    its words), an array built there (copied out now: apps.js.arena), a
    string its compiled code made, or None."""
    v = run.get(addr)
    if v is None:
        a = run.get(ARENA)
        if a is not None:
            v = a[0].block(addr, a[1])
            if v is None:
                v = a[0].array_at(addr, a[1], run)
        if v is None:
            v = made_string(addr, run)
    return v


def made_array(addr: int, run: dict) -> None:
    """Note that the array of objects at ``addr`` was made by this run
    (``new Array(n)``): its elements go to its items only if it is handed
    out (:func:`referent`) -- one dropped in the run is never walked."""
    run.setdefault(_MADE_ARRAYS, set()).add(addr)
    run[("resizable", addr)] = True  # (``[]`` as an array of objects is pushed onto: resize_copy)


def handed_out(addr: int, v, run: dict):
    """``v``, which the run holds at ``addr``, as the interpreter is to see
    it: a :class:`Made` materialized; an array the run made given the
    elements compiled code stored so far, and watched from now on as any
    array of objects the run was given."""
    if type(v) is array or type(v) is memoryview:  # (a Made block, or one in the arena)
        return _materialize(addr, v, run)
    made = run.get(_MADE_ARRAYS)
    if made and addr in made and type(v) is JSArray:
        made.discard(addr)
        desc, data = run[("keep", addr)]
        items = v.items
        n = desc[1]  # (its length now: pushed onto, or popped from)
        _set_length(items, n)
        for i in range(n):
            w = data[i]
            if w != HOLE_REF:
                items[i] = referent(w, run)
        run.setdefault(_WRITABLE, []).append((v, data, array("q", data[:n])))
    return v


def _ref_words(m) -> list:
    refs = m.shape.refs
    if not refs:
        return []
    words = memoryview(m.slots).cast("B").cast("q")
    out = [words[i] for i in range(len(m.shape.keys)) if refs >> i & 1]
    del words
    return out


def native_view(addr: int, run: dict | None):
    """The native view (a :class:`Mirror` or a :class:`Made`) whose
    descriptor is at ``addr``, if any: what the inline-cache handler moves
    to a new shape."""
    m = mirror_at(addr)
    if m is None and run is not None:
        v = run_value(addr, run)
        if type(v) is array or type(v) is memoryview:
            return Made(v)
    return m


def objects_in(o: JSObject, run: dict | None = None) -> list | None:
    """The values ``o``'s dirty reference slots (objects, None for null, and
    packed arrays) refer to, in slot order -- resolved before any
    write-back, while every value compiled code could have stored is still
    held by the dicts the run began with or by the run (``run``: address ->
    value, apps.js.tier), so a swap through two holders frees none in
    between."""
    m = o.native
    if m is None or not m.desc[DESC_DIRTY]:
        return None
    return [referent(w, run) for w in _ref_words(m)] or None


def referent(addr: int, run: dict | None):
    """What a reference compiled code holds stands for: null (0, or
    NULL_ARRAY_REF), undefined, an object (its mirror's owner), an array
    (one the run holds, or a packed one a mirror handed over) or a string
    (one the run holds, or a literal of compiled code); LookupError for any
    other address."""
    if addr < NO_OBJECT:
        return None if addr == 0 else UNDEFINED  # (null; a variable not assigned yet)
    if addr == NULL_ARRAY_REF:
        return None
    o = owner_at(addr)
    if o is not None:
        return o
    v = None if run is None else run_value(addr, run)  # (not ``or``: an empty array is falsy)
    if v is not None:
        return handed_out(addr, v, run)
    v = PACKED_BY_ADDRESS.get(addr)
    if v is None:
        v = STRINGS.by_addr.get(addr)
    if v is None:
        raise LookupError(f"compiled code stored an unknown reference {addr:#x}")
    return v


def write_back(o: JSObject, objects: list | None = None) -> None:
    """After compiled code ran: its stores into ``o``'s slots go to the dict
    (its object slots' as :func:`objects_in` resolved them)."""
    m = o.native
    if m is None or not m.desc[DESC_DIRTY]:
        return
    m.desc[DESC_DIRTY] = 0
    _fill(o.props, m, objects)


def _fill(props: dict, m, objects: list | None) -> None:
    slots, masks = m.slots, m.shape.masks
    numbers, flags, refs = masks[NUM_I], masks[BOOL_I], m.shape.refs
    objects = iter(objects or ())
    for i, k in enumerate(m.shape.keys):
        if numbers >> i & 1:
            props[k] = slots[i]
        elif flags >> i & 1:
            props[k] = slots[i] != 0.0
        elif refs >> i & 1:
            props[k] = next(objects)
