"""Static types of the JIT tier, and the analysis that assigns them.

Compiled code knows seven value types: INT (i32, with overflow checks), NUM
(double), BOOL (i1), ARR (a
packed-double array, reached through its descriptor), BARR (a packed
boolean array: the same descriptor, elements stored 1.0/0.0, loaded as
BOOL) and OBJ (an ordinary object, reached through its mirror's descriptor:
its properties are read and written through inline caches, apps.js.shapes
and apps.js.ics), and STR (a string's UTF-16 units, read only: its length,
charCodeAt, comparison; apps.js.jitstrings -- a string is never made in
compiled code, but one it holds may be stored into a property).  UNDEF is
only a return type.  A unit (a
function, or one hot loop) compiles only if every variable and expression
in it has exactly one of these types; anything else raises NotCompilable
and the code stays interpreted.

INT is V8's small-integer representation: a variable every assignment of
which makes an int32 (an integer literal, ++, INT + INT, a bit operation,
an array's length) is an i32; one that also takes a double widens to NUM
(the fixpoint reruns).  INT arithmetic that would leave int32 -- or make
-0 -- fails a check: compiled code exits flagged OVERFLOW and the unit is
compiled again with no INT at all (``ints=False``), as V8 deoptimises a
small-integer speculation once and for good.
"""

from __future__ import annotations

from contextlib import contextmanager

from . import ast as A
from .inlining import MAX_DEPTH, Closure, Expansion, arrow_like, callee_declined, closure_argument, copy_body
from .scope import CALLBACK_PARAMS, Cell, FuncScope, Global, Local, Outer, function_depth
from .typed import JSTypedArray
from .values import HOLE, SYMBOL_ITERATOR, UNDEFINED, Builtin, JSArray, JSFunction, JSObject, StrBuf

NUM, BOOL, ARR, BARR, OBJ, STR, UNDEF = "num", "bool", "arr", "barr", "obj", "str", "undef"
AOBJ, ASTR = "aobj", "astr"  # arrays of objects / of strings, read only (a generic array's, mirrored at entry)
# An array of numbers with holes (fannkuch's ``count``, a hole at 0): its doubles copied at entry, a hole
# as HOLE_BITS (a signalling NaN no arithmetic makes, and no compiled store: NaNs are stored canonical);
# reading one leaves compiled code (a hole reads through the prototype), the changed elements go back.
HARR = "harr"
HOLE_BITS = 0x7FF4_0000_0000_0001
# An array of packed arrays of numbers (a matrix, a table of rows): its elements' descriptor addresses
# copied at entry, as an AOBJ's; a row read is an ARR, a row stored goes back when compiled code leaves.
AARR = "aarr"
NULL = "null"  # the null literal: an object reference of 0 wherever it goes (a variable so typed is an object's)
INT = "int"  # an int32 speculated from how a value is made (literals, ++, bit operations, lengths)
NUMERIC = (INT, NUM, BOOL)  # (what arithmetic takes; a boolean converts)
ARRAYS = (ARR, BARR)
STACKS = (ARR, BARR, AOBJ, AARR)  # arrays compiled code pushes onto, pops from and cuts in place
REF_ARRAYS = (AOBJ, ASTR, HARR, AARR)  # (a generic array's: copied for each entry, apps.js.tier._ref_array)
# A typed array is read and written in place through a descriptor over its view's memory
# (typed.JSTypedArray.addr): a Float64Array as an ARR (its elements are doubles as they are),
# each other element type as a kind of its own, which compiled code loads and stores at its width.
TYPED = {"Int8Array": "i8arr", "Uint8Array": "u8arr", "Uint8ClampedArray": "u8carr", "Int16Array": "i16arr",
         "Uint16Array": "u16arr", "Int32Array": "i32arr", "Uint32Array": "u32arr",
         "Float32Array": "f32arr"}  # fmt: skip
TYPED_ARRAYS = tuple(TYPED.values())
TYPED_BITS = {t: 2048 << k for k, t in enumerate(TYPED_ARRAYS)}  # (interp._type_bit: argument feedback)
HARR_BIT = 2048 << len(TYPED_ARRAYS)
AARR_BIT = HARR_BIT << 1
REFS = (ARR, BARR, OBJ, STR, AOBJ, ASTR, HARR, AARR, *TYPED_ARRAYS)  # passed as a descriptor's address
ELEMENT = {ARR: NUM, BARR: BOOL, AOBJ: OBJ, ASTR: STR, HARR: NUM, AARR: ARR}
ELEMENT.update({t: INT for t in TYPED_ARRAYS}, u32arr=NUM, f32arr=NUM)
# (what indexing an array of each kind yields: an int32 from a typed array whose elements all fit one)
MATH_1 = {"floor", "ceil", "trunc", "round", "abs", "sqrt", "sin", "cos", "tan", "exp", "log", "sign"}
MATH_2 = {"pow", "atan2"}
MATH_N = {"min", "max", "hypot"}


# A load that has only read booleans, packed arrays of one kind, or objects (and null);
# else a number (what it read, or not known: its cache deoptimises on anything else).
_PROPERTY_KIND = {2: BOOL, 4: ARR, 32: BARR, 64: OBJ, 64 | 1024: OBJ, 1024: OBJ, 256: AOBJ, 128: STR}


_NO_OBJECT = (type(None), type(UNDEFINED), type(HOLE))  # what an array of objects may hold besides them

_PARAM = {INT: NUM, NULL: OBJ}  # an argument of this type is passed as a parameter of that
SLOT_KIND = {NUM: "num", INT: "num", BOOL: "bool", OBJ: "obj", NULL: "obj", ARR: "arr", BARR: "barr", STR: "str"}
# (shapes.KINDS)


def call_targets(e) -> tuple:
    """The functions a method call site has called (interp's feedback), or ().
    (``e.target``: None -- never ran --, one function, a tuple of them -- ()
    if it ran calling only built-ins --, or False: more than MAX_TARGETS.)"""
    t = e.target
    if type(t) is JSFunction:
        return (t,)
    return t if type(t) is tuple else ()


STR_SEARCHES = ("indexOf", "includes", "startsWith", "endsWith")  # (a string's methods compiled as one scan)
ELEMENT_SEARCHES = ("includes", "indexOf", "lastIndexOf")  # (an array's, of numbers, booleans or objects: one scan)
SOUGHT = {ARR: (INT, NUM), BARR: (BOOL,), AOBJ: (OBJ, NULL)}  # (what each kind's scan compares its elements with)
# a string's methods that make one from its units (apps.js.codegen's str_units): how many arguments each takes
STR_MAKERS = {"toUpperCase": 0, "toLowerCase": 0, "trim": 0, "trimStart": 0, "trimEnd": 0, "repeat": 1}
# Globals that read a string as a number (apps.js.codegen's str_number: its mode)
STR_NUMBER_MODES = {"Number": 0, "parseInt": 1, "parseFloat": 2}


def getter_targets(e) -> tuple:
    """The getters a property read ``o.p`` is compiled as a call of (interp's
    feedback: every read there went through an inherited user getter, up to
    interp.MAX_TARGETS of them), or ()."""
    if e.computed or e.seen != 16:
        return ()
    t = e.getter
    if type(t) is JSFunction:
        return (t,)
    return t if type(t) is tuple else ()


def setter_target(e):
    """The setter a store ``o.p = v`` is compiled as a call of (interp's
    feedback: every store there went through this one inherited user
    setter), or None."""
    t = None if e.computed else e.setter
    return t if type(t) is JSFunction else None


def is_null(e) -> bool:
    """The null or undefined literal (compiled, only as an operand of an
    equality with an object reference: 0, or UNDEF_REF)."""
    return type(e) is A.Lit and (e.value is None or e.value is UNDEFINED)


def null_test(e) -> A.Member | None:
    """``o.p === null`` (``!==``, ``==``, ``!=``; null or undefined; either
    side) where ``o.p``'s loads have not read only objects: the property
    ``o.p`` (else None).  Compiled code asks the object's shape whether the
    slot holds a reference and compares its word, without typing or reading
    the value (som's ``this.storage === null``, an array or null;
    DeltaBlue's ``this.direction !== null``, a string or null)."""
    if type(e) is not A.Binary or e.op not in ("===", "!==", "==", "!=") or is_null(e.left) == is_null(e.right):
        return None
    other = e.right if is_null(e.left) else e.left
    if type(other) is not A.Member or other.computed or _PROPERTY_KIND.get(getattr(other, "seen", 0), NUM) == OBJ:
        return None
    return other


def unfed(e) -> bool:
    """A named property load that has never run (no feedback: it would be
    typed a number).  As an arm of ``?:`` it is compiled as a cold exit
    (DeltaBlue's ``direction === 'forward' ? this.v2 : this.v1``), so the
    other arm's type stands, and once it has run the unit is typed afresh."""
    return type(e) is A.Member and not e.computed and getattr(e, "seen", 0) == 0


def new_array_fill(e) -> tuple | None:
    """``new Array(n).fill(v)`` -- a packed array allocated by compiled code
    (through the engine, apps.js.tier's ``alloc_filled``): its (n, v) nodes,
    else None.  A fresh array is unreachable until stored, and every store
    is logged, so allocating one is safe inside a transaction."""
    c = e.callee
    if not (isinstance(c, A.Member) and not c.computed and c.prop.value == "fill" and len(e.args) == 1):
        return None
    n = c.obj
    if type(n) is not A.New or len(n.args) != 1 or not isinstance(n.args[0], A.Node):
        return None
    ident = n.callee
    if not (isinstance(ident, A.Ident) and isinstance(ident.ref, Global) and ident.name == "Array"):
        return None
    return n.args[0], e.args[0]


def fill_after_decl(body: list, k: int) -> tuple | None:
    """``const a = new Array(n); a.fill(v);`` (AWFY's Sieve): the same packed
    array as ``new Array(n).fill(v)`` -- its (n, v) nodes, else None.  The
    holes between the two statements are never seen: ``v`` is a literal or
    another variable (reading it runs nothing), and the fill's guards are
    :func:`new_array_fill`'s (``Array``, ``Array.prototype.fill`` the
    built-ins, so the fill returns and leaves the array it was given)."""
    s = body[k]
    if type(s) is not A.VarDecl or len(s.decls) != 1 or k + 1 >= len(body):
        return None
    ident, init = s.decls[0]
    if type(init) is not A.New or len(init.args) != 1 or not isinstance(init.args[0], A.Node):
        return None
    array = init.callee
    if not (isinstance(array, A.Ident) and isinstance(array.ref, Global) and array.name == "Array"):
        return None
    if not isinstance(ident.ref, Local):
        return None
    f = body[k + 1]
    if type(f) is not A.ExprStmt or type(f.expr) is not A.Call or len(f.expr.args) != 1:
        return None
    c, v = f.expr.callee, f.expr.args[0]
    if not (type(c) is A.Member and not c.computed and c.prop.value == "fill"):
        return None
    if not (type(c.obj) is A.Ident and isinstance(c.obj.ref, Local) and c.obj.ref.binding is ident.ref.binding):
        return None
    plain = (
        type(v) is A.Num
        or (type(v) is A.Lit and type(v.value) is bool)
        or (type(v) is A.Unary and v.op == "-" and type(v.arg) is A.Num)
        or (type(v) is A.Ident and not (isinstance(v.ref, Local) and v.ref.binding is ident.ref.binding))
    )
    return (init.args[0], v) if plain else None


SEARCHES = ("some", "every", "findIndex")  # (callbacks whose loop stops at the first answer)
ARRAY_CALLBACKS = tuple(CALLBACK_PARAMS)


def callback_method(e) -> str | None:
    """``a.forEach(f)``, ``a.map(f)``, ``a.filter(f)``, ``a.reduce(f,
    init)`` (an initial value: no empty-array TypeError to follow),
    ``a.some(f)``, ``a.every(f)`` or ``a.findIndex(f)``: the method's name,
    else None."""
    c = e.callee
    if not isinstance(c, A.Member) or c.computed or c.prop.value not in CALLBACK_PARAMS:
        return None
    return c.prop.value if len(e.args) == (2 if c.prop.value == "reduce" else 1) else None


def inlined_callback(e) -> A.Func | None:
    """``a.forEach(arrow)`` (or map, filter, reduce: :func:`callback_method`)
    whose arrow the JIT compiles in place, as a loop over ``a`` (AWFY's
    NBody moves its bodies so): its arrow, else None.
    The arrow makes no closure of its own and its variables are its own,
    so in compiled code it need not exist; the engine checks that
    Array.prototype.forEach is the built-in before each entry, and compiled
    code sees only arrays that inherit it (:func:`plain_array`)."""
    name = callback_method(e)
    if name is None:
        return None
    f = e.args[0]
    if type(f) is A.Ident:
        return named_callback(e, name)
    if type(f) is not A.Func or not arrow_like(f) or f.is_async or f.rest or len(f.params) > CALLBACK_PARAMS[name]:
        return None
    if name != "forEach" and not (len(f.body) == 1 and type(f.body[0]) is A.Return and f.body[0].value is not None):
        return None  # (map's, filter's and reduce's: an expression arrow, whose value every call returns)
    fs = f.scope
    if fs is None or fs.inner or fs.args_b is not None or any(b.captured for b in fs.bindings):
        return None
    return f


def named_callback(e: A.Call, name: str) -> A.Func | None:
    """``a.map(sq)`` of a global ``sq`` holding a plain function of n
    parameters, or of a binding whose one declaration in the calling
    function is one (``function sq``, ``const sq = (..) => ..``;
    Binding.decl): the arrow ``(p0, .., pn-1) => sq(p0, .., pn-1)``
    compiled in its place (``{ sq(..); }`` for forEach) -- a direct call of
    sq's compiled code per element, a global guarded at each entry as any
    callee's, a local the closure its loop unit's nested-function calls
    reach (Tier._closures_called).  The built-in reads ``sq`` once and
    passes every argument the arrow does, so both call the same function
    with the same values; a function taking more than that (map's array),
    reading ``arguments`` (it would count them), with a rest, a generator,
    an async function or a class is not compiled so (None).  The arrows
    are kept on the call node by arity: every pass asking sees one."""
    home = getattr(e, "callback_home", None)  # (set only where the name is a global's or a local's)
    if home is None:
        return None
    ref = e.args[0].ref
    if type(ref) is Local:  # (a function this one declares: its loop units call the closure, Tier._closures_called)
        b = ref.binding
        f = b.decl
        if not f or b.kind not in ("function", "const") or b.assigned_after_init or b.fscope is not home:
            return None
    else:
        fn = ref.cell.v
        if type(fn) is not JSFunction or fn.node is None or fn.kind not in ("function", "arrow"):
            return None
        f = fn.node.node
    n = len(f.params)
    if f.rest or f.generator or f.is_async or n > CALLBACK_PARAMS[name] or f.scope.args_b is not None:
        return None
    if not f.is_arrow and f.kind != "function":
        return None
    arrows = getattr(e, "named_arrows", None)
    if arrows is None:
        arrows = e.named_arrows = {}
    cb = arrows.get(n)
    if cb is None:
        cb = arrows[n] = _arrow_calling(e, n, home, name == "forEach")
    return cb


def _arrow_calling(e: A.Call, n: int, home, statement: bool) -> A.Func:
    pos, callee = e._pos, e.args[0]
    arrow = A.Func(pos, None, [], [], arrow_expr=not statement, is_arrow=True, kind="arrow")
    fs = arrow.scope = FuncScope(arrow, home)
    fs.strict = home.strict
    args = []
    for k in range(n):
        b = fs.add(f"%arg{k}", "param")
        fs.params.append(b)
        arrow.params.append(A.Ident(pos, b.name, Local(b)))
        args.append(A.Ident(pos, b.name, Local(b)))
    call = A.Call(pos, A.Ident(pos, callee.name, callee.ref), args)
    call.passes_all = True
    arrow.body.append(A.ExprStmt(pos, call) if statement else A.Return(pos, call))
    return arrow


class OwnProperty:
    """A guard's holder (read as a cell's ``v``): what an object's own
    property ``name`` holds now -- a prototype's method a unit compiled in
    place, a module's class a unit constructs -- checked before every entry."""

    __slots__ = ("owner", "name")

    def __init__(self, owner, name: str) -> None:
        self.owner = owner
        self.name = name

    @property
    def v(self):
        return self.owner.props.get(self.name)


NUMBER_TESTS = ("isInteger", "isSafeInteger", "isFinite", "isNaN")  # Number.x(v) of a number: a test of its bits
NUMBER_CONSTANTS = ("MAX_SAFE_INTEGER", "MIN_SAFE_INTEGER", "MAX_VALUE", "MIN_VALUE", "EPSILON",
                    "POSITIVE_INFINITY", "NEGATIVE_INFINITY", "NaN")  # fmt: skip


def number_constant(e) -> bool:
    """``Number.EPSILON`` and the like, read off the global ``Number``."""
    return (
        isinstance(e, A.Member)
        and not e.computed
        and isinstance(e.obj, A.Ident)
        and isinstance(e.obj.ref, Global)
        and e.obj.name == "Number"
        and e.prop.value in NUMBER_CONSTANTS
    )


def static_target(c) -> tuple | None:
    """``C.m`` where a global holds class (or function) ``C`` and ``m`` is a
    function of C's own (a static method): (C's cell, C, m), else None."""
    if not isinstance(c, A.Member) or c.computed or type(c.obj) is not A.Ident or not isinstance(c.obj.ref, Global):
        return None
    owner = c.obj.ref.cell.v
    if type(owner) is not JSFunction:
        return None
    fn = owner.props.get(c.prop.value)
    return (c.obj.ref.cell, owner, fn) if type(fn) is JSFunction and fn.node is not None else None


def inlined_here(e, home) -> A.Func | None:
    """The arrow of ``e`` (:func:`inlined_callback`) if a unit whose
    function's scope is ``home`` compiles it in place, else None."""
    cb = inlined_callback(e)
    return cb if cb is not None and home is not None and cb.scope.parent is home else None


def unit_local(ref, home):
    """The binding of a reference to one of a unit's locals -- its own, or
    (from a callback inlined into the function of scope ``home``) its
    function's -- else None."""
    if type(ref) is Local:
        return ref.binding
    if type(ref) is Outer and home is not None and ref.binding.fscope is home:
        return ref.binding
    return None


def closures_inlined(fs) -> bool:
    """Whether every closure ``fs``'s function makes is an inlined callback
    (:func:`inlined_callback`) or an arrow passed to a call (compiled in
    place if the unit compiles: apps.js.inlining): then its captured
    variables are locals of its compiled code, which makes none of those
    closures."""
    if not fs.inner:
        return True
    known = getattr(fs.node, "closures_inlined", None)  # (once per function: it is asked at every hot call)
    if known is None:
        calls = [n for s in fs.node.body for n in walk(s) if type(n) is A.Call]
        inlined = {id(inlined_callback(n)) for n in calls}
        inlined.update(id(a) for n in calls for a in n.args if closure_argument(a))  # (apps.js.inlining)
        known = fs.node.closures_inlined = all(id(f) in inlined for f in fs.inner)
    return known


_COMPILED_METHODS = ("push", "pop", *CALLBACK_PARAMS, *ELEMENT_SEARCHES, SYMBOL_ITERATOR)


def plain_array(v: JSArray) -> bool:
    """An array whose methods are Array.prototype's (no subclass, no own
    forEach, map, filter, reduce, push or pop -- those compiled code runs in
    place): the only kind compiled code is given."""
    return v.proto is None and (v.named is None or not any(k in v.named for k in _COMPILED_METHODS))


class NotCompilable(Exception):
    pass


class Unfed(NotCompilable):
    """Code that has never run (a method call with no call feedback): the
    statement holding it is compiled as a cold exit where it stands
    (:meth:`Typer.stmts`), not a refusal of the whole unit -- an error path,
    a rarely taken grow."""


def literal_key(k, v, kind: str) -> bool:
    """A property of an object literal compiled code builds: ``name: value``."""
    return kind == "init" and isinstance(k, str) and k.isidentifier() and k != "__proto__" and not isinstance(v, A.Func)


def value_type(v) -> str | None:
    t = type(v)
    if t is float:
        return NUM
    if t is bool:
        return BOOL
    if t is JSArray:
        if not plain_array(v):
            return None
        if (v.n == 0 if v.items is None else not v.items) and (site := getattr(v, "site", None)) is not None:
            kind = _EMPTY_KINDS.get(site.held)
            if kind is not None:
                return _empty_as(v, kind)
        if v.items is None or v.repack():
            return BARR if v.bools else ARR
        repack_rows(v.items)
        kind = ref_array_type(v.items)
        return None if kind in (AOBJ, HARR, AARR) and v.locked else kind  # (compiled code stores into their elements)
    if t is JSObject and type(v.props) is dict:  # (a locked object's stores must stay the interpreter's)
        return OBJ
    if t is str or t is StrBuf:  # (a StrBuf: a string the interpreter appends to, made one at entry)
        return STR
    if t is JSTypedArray:  # (in place: typed.JSTypedArray.addr)
        return TYPED.get(v.kind, ARR)
    return None


def entry_type(v) -> str | None:
    """The type a loop's variable holding ``v`` where the loop starts is
    compiled for: null and undefined (``let h = null``, ``let x;``) are an
    object reference's (0, UNDEF_REF) -- one the loop then gives objects,
    as a list's head built node by node; a number stored into it refuses
    the loop, as before.  Only a loop compiled so is entered with null there
    again (apps.js.tier's LoopUnit.nullable): one compiled for an object
    declines it, as its code would leave at the first use."""
    return OBJ if v is None or v is UNDEFINED else value_type(v)


_EMPTY_KINDS = {bool: BARR, JSObject: AOBJ, JSArray: AARR}  # (an empty array's site's first element -> its type)


def _empty_as(v: JSArray, kind: str) -> str | None:
    """An empty array typed as the arrays its ``[]`` site made came to hold
    (values.JSArray's ``site``), and made that kind -- packed booleans, or a list
    of references -- which no program can tell while it has no element."""
    if kind == BARR:
        if v.items is not None and not v.repack():
            return None
        v.bools = True
        return BARR
    if v.locked:
        return None
    v._to_generic()
    return kind


def ref_array_type(items: list) -> str | None:
    """AOBJ if every element is an ordinary unlocked object, null, undefined
    or a hole (an object reference each, apps.js.shapes' element words), ASTR
    if every one is a string (and there is one), HARR if every one is a
    number or a hole (and one is a number), AARR if every one is a packed
    array of numbers, else None."""
    if not items:
        return None
    t = type(items[0])
    if t is str:
        return ASTR if all(type(x) is str for x in items) else None
    if t is JSObject or t in _NO_OBJECT:
        ok = all(type(x) in _NO_OBJECT or (type(x) is JSObject and type(x.props) is dict) for x in items)
        if ok:
            return AOBJ
    if t is float or items[0] is HOLE:
        return HARR if all(type(x) is float or x is HOLE for x in items) and HOLE in items else None
    if t is JSArray:
        return (
            AARR
            if all(type(x) is JSArray and x.items is None and not x.bools and plain_array(x) for x in items)
            else None
        )
    return None


_NEVER_COLD = (A.FuncDecl, A.ClassDecl)  # (hoisted, or bindings the rest of the scope needs)


def _empty_kind(e: A.ArrayLit) -> str | None:
    """What the last array an ``[]`` made holds now (its first few
    elements: a guess at what the site makes -- compiled code types each use
    of the one it makes), or, empty or gone, what an earlier one held first:
    AOBJ for objects, BARR for booleans, AARR for packed rows of numbers;
    None for numbers, or not known (an ARR)."""
    a = e.made() if e.made is not None else None
    if a is not None and a.items:
        items = a.items[:16]
        if all(type(x) is bool for x in items):
            return BARR
        t = ref_array_type(items)
        return t if t in (AOBJ, AARR) else None
    if a is not None and a.items is None and a.n:
        return BARR if a.bools else None
    return _EMPTY_KINDS.get(e.held)


def repack_rows(items: list) -> None:
    """Pack again the rows of what may be an AARR that are lists of numbers
    (rows filled by index): where the JIT looks at an array (a unit's entry,
    call feedback), never inside a run (ref_array_type has no side effect)."""
    if items and type(items[0]) is JSArray:
        for x in items:
            if type(x) is JSArray and x.items is not None:
                x.repack()


_FEEDBACK = {1: NUM, 2: BOOL, 4: ARR, 32: BARR, 64: OBJ, 64 | 1024: OBJ, 1024: OBJ, 128: STR, 256: AOBJ, 512: ASTR,
             4 | 1024: ARR, 32 | 1024: BARR,  # (null: the null array, shapes.NULL_ARRAY)
             HARR_BIT: HARR, AARR_BIT: AARR, **{bit: t for t, bit in TYPED_BITS.items()}}  # fmt: skip


def feedback_type(bits: int) -> str | None:
    return _FEEDBACK.get(bits)  # (interp._type_bit; an object or null: an object reference, 0 for null)


_KINDS = {1: "a number", 2: "a boolean", 4: "an array of numbers", 8: "an array of mixed or other values",
          16: "a function or another value", 32: "an array of booleans", 64: "an object", 128: "a string",
          256: "an array of objects", 512: "an array of strings", 1024: "null",
          HARR_BIT: "an array of numbers and holes", AARR_BIT: "an array of arrays of numbers",
          **{bit: f"an {kind}" if kind[0] == "I" else f"a {kind}" for kind, bit in
             zip(TYPED, TYPED_BITS.values(), strict=True)}}  # fmt: skip


def feedback_declined(fn) -> str | None:
    """Why ``fn``'s recorded argument types rule out compiling it (None: they
    don't), naming the first such argument and what it was given."""
    names = [b.name for b in fn.node.fs.params] + ["this"]
    for k, bits in enumerate(fn.feedback):
        if feedback_type(bits) is None:
            kinds = [name for bit, name in _KINDS.items() if bits & bit]
            what = " and ".join(kinds) if len(kinds) > 1 else kinds[0] if kinds else "nothing"
            why = "its types vary" if len(kinds) > 1 else "compiled code cannot hold that"
            where = f"'{names[k]}'" if k < len(names) - 1 else "this"
            return f"argument {where} was given {what} ({why})"
    return None


REST_ENTRY = "a rest parameter: only compiled callers pack its array"  # (why the interpreter's entries are refused)


def shape_declined(tmpl, rest_ok: bool = False) -> str | None:
    """Why a function of this shape never compiles, whatever its types (None:
    it may).  Needs no compiler, so apps.js.hotness asks before loading one.
    ``rest_ok``: for compiled callers, which pack a rest parameter's array
    themselves (Typer.call_types); the interpreter's entries do not."""
    if tmpl.is_async or tmpl.generator:  # (their calls return promises / generator objects)
        return "an async function or a generator"
    if (tmpl.rest is not None and not rest_ok) or tmpl.kind in ("class", "derived"):
        return "a constructor, or a rest parameter"
    if any(which != 0 for _, _, which in tmpl.implicit):
        return "uses arguments or super"
    fs = tmpl.fs
    if closures_inlined(fs):
        return None  # (its closures are compiled in place: what they capture is its locals)
    for b in fs.params:
        if b.captured:
            return f"parameter '{b.name}' is captured by a closure"
    if any(b.captured for b in fs.bindings):
        return "has closures capturing its variables"
    return "defines inner functions"


def entry_declined(tmpl, params: list, heavy=frozenset(), facts: tuple | None = None) -> str | None:
    """Why entering ``tmpl`` from the interpreter costs more than it saves
    (None: it does not).  Each entry mirrors its objects in and out, and
    each object it reaches costs a cache miss (apps.js.shapes):
    microseconds, more than a function without a loop or a recursive call
    takes interpreted -- Richards' one-line accessors and their callers,
    entered ~100k times, ran 1.5-1.7x slower compiled.  Compiled callers
    still call it compiled.  ``heavy``: names of compiled functions worth
    an entry of their own (calling one makes this one worth entering);
    ``facts``: :func:`entry_facts` of ``tmpl``, if the caller keeps them."""
    if tmpl.rest is not None:
        return REST_ENTRY
    if not any(p in (OBJ, AOBJ) for p in params):
        return None
    own, calls = facts if facts is not None else entry_facts(tmpl)
    if own or not calls.isdisjoint(heavy):
        return None
    return "no loop and no recursion, taking objects: cheaper interpreted than entered (each entry mirrors them)"


def entry_facts(tmpl) -> tuple[bool, frozenset]:
    """What :func:`entry_declined` needs of a function's body: whether it is
    worth an entry on its own -- a loop, an inlined forEach, a recursive
    call, an allocation (not one a ``throw`` makes, which never runs:
    Richards' findTask was entered 100k times for its ``throw new Error``)
    -- and the names it calls."""
    name = tmpl.name
    body = tmpl.node.body
    thrown = {id(x) for s in body for n in walk(s) if type(n) is A.Throw for x in walk(n.value)}
    own, calls = False, set()
    for n in (n for s in body for n in walk(s) if id(n) not in thrown):
        t = type(n)
        if t in (A.For, A.While, A.DoWhile, A.ForOf) or t is A.New or (t is A.Call and inlined_callback(n)):
            own = True
        elif t is A.Call and any(closure_argument(a) for a in n.args):
            own = True  # (a callback passed: its callee, compiled in place, mostly loops over something)
        elif t is A.Call:
            callee = _callee_name(n.callee)
            if callee is not None:
                if callee == name:
                    own = True  # (recursive: its work grows with its input)
                calls.add(callee)
    return own, frozenset(calls)


def _callee_name(callee) -> str | None:
    if type(callee) is A.Ident:
        return callee.name
    return callee.prop.value if type(callee) is A.Member and not callee.computed else None


def _calls_named(callee, name: str) -> bool:
    if type(callee) is A.Ident:
        return callee.name == name
    return type(callee) is A.Member and not callee.computed and callee.prop.value == name


def uses_this(tmpl) -> bool:
    return any(which == 0 for _, _, which in tmpl.implicit)


def default_literals(tmpl, given: int) -> list | None:
    """The defaults of ``tmpl``'s parameters past the first ``given``, each a
    number, string or boolean literal (the parser made each default an
    ``if (p === undefined) p = d`` at the top of the body), or None if one
    has none or another kind.  A call passing fewer arguments passes these
    itself: the same values, and a literal has no effect to reorder."""
    params = tmpl.fs.params
    if given >= len(params):
        return []
    found = {}
    for s in tmpl.node.body:
        t = s.test if type(s) is A.If else None
        if t is None or s.other is not None or type(t) is not A.Binary or t.op != "===" or type(t.left) is not A.Ident:
            break
        a = s.then.expr if type(s.then) is A.ExprStmt else None
        if type(a) is not A.Assign or a.op != "=" or type(a.target) is not A.Ident or a.target.name != t.left.name:
            break
        if type(t.right) is A.Lit and t.right.value is UNDEFINED:
            found.setdefault(t.left.name, a.value)
    out = []
    for p in params[given:]:
        d = found.get(p.name)
        if not (type(d) in (A.Num, A.Str) or (type(d) is A.Lit and type(d.value) is bool)):
            return None
        out.append(d)
    return out


def literal_type(d) -> str:
    """The JIT type a default literal (:func:`default_literals`) is passed as."""
    return NUM if type(d) is A.Num else STR if type(d) is A.Str else BOOL


def unit_params(tmpl) -> list:
    """A function unit's parameters: its own, then ``this`` if it uses it (a
    method: its receiver, typed by feedback like an argument)."""
    ps = list(tmpl.fs.params)
    if uses_this(tmpl):
        ps.append(tmpl.fs.this_b)
    return ps


def walk(node):
    """Every AST node under ``node`` (not into nested functions)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(c for c in A.child_nodes(n) if not isinstance(c, A.Func))


def _region_bindings(loop) -> list:
    """The loop's function's variables a loop unit holds: those the loop
    reads or writes, in the arrows it compiles in place too (passed to
    forEach and the like, :func:`inlined_callback`, or to a user's function,
    apps.js.inlining: their references to the function's variables are the
    unit's own), and those it declares."""
    out, seen = [], set()

    def add(b) -> None:
        if id(b) not in seen:
            seen.add(id(b))
            out.append(b)

    for n in walk(loop):
        if isinstance(n, (A.Ident, A.This)) and isinstance(n.ref, Local):
            add(n.ref.binding)
        elif type(n) is A.Call:
            cb = inlined_callback(n)
            for f in (a for a in n.args if a is cb or closure_argument(a)):  # (an arrow passed to a user's call too)
                home = f.scope.parent
                for m in walk(f):
                    if isinstance(m, (A.Ident, A.This)) and type(m.ref) is Outer and m.ref.binding.fscope is home:
                        add(m.ref.binding)
    for n in walk(loop):
        if isinstance(n, A.VarDecl):
            for ident, _ in n.decls:
                if isinstance(ident.ref, Local):
                    add(ident.ref.binding)
    out.sort(key=lambda b: b.slot)
    return out


def inlines_callbacks(loop) -> bool:
    """Whether ``loop`` passes an arrow it compiles in place (a loop unit
    then types its variables as its function's unit does: Typer.home)."""
    return any(type(n) is A.Call and inlined_callback(n) is not None for n in walk(loop))


def _reads_only(s: A.VarDecl) -> bool:
    """Whether a destructuring declaration (apps.js.parser's ``destructure``:
    a temporary holding ``iter(v, n)``, then each name its element) does
    nothing but read its temporaries' elements by index -- no default, no
    rest, no object pattern: then no code runs between the reads, and the
    array can be read in place of the iterator's copy of its first values."""
    if not s.decls or type(s.decls[0][1]) is not A.Helper:
        return False
    for ident, init in s.decls:
        t = type(init)
        if t is A.Helper:
            if init.name != "iter" or init.args[1].value < 0:
                return False
            if not (isinstance(ident.ref, Local) and parser_temp(ident.ref.binding)):
                return False
        elif not (t is A.Member and init.computed and type(init.prop) is A.Num and type(init.obj) is A.Ident):
            return False
        elif not (isinstance(init.obj.ref, Local) and parser_temp(init.obj.ref.binding)):
            return False
    return True


def parser_temp(b) -> bool:
    """Whether binding ``b`` is a destructuring assignment's temporary
    (apps.js.parser's ``temp``: ``%d<n>``, a name no program can write): it
    is assigned before it is read within its one expression, so its value
    where a unit starts or a declaration stands is never seen."""
    name = b.name
    return name[:2] == "%d" and name[2:].isdigit()


def parallel_parts(seq: A.Seq) -> tuple[list, list]:
    """A ``seq.parallel`` assignment's targets and values (apps.js.parser
    desugars ``[t1, t2] = [v1, v2]`` as ``%w = [v1, v2], %s = iter(%w, 2),
    t1 = %s[0], t2 = %s[1], %w``), read off the Seq so that a copy of it
    (apps.js.inlining.copy_body) gives its own nodes."""
    exprs = seq.exprs
    return [x.target for x in exprs[2:-1]], list(exprs[0].value.items)


def declared_in(loop) -> set:
    out = set()
    for n in walk(loop):
        if isinstance(n, A.VarDecl):
            for ident, _ in n.decls:
                if isinstance(ident.ref, Local):
                    out.add(ident.ref.binding)
        elif isinstance(n, A.ForOf) and n.kind is not None and isinstance(n.target.ref, Local):
            out.add(n.target.ref.binding)  # (for (const x of a): each iteration's own)
    return out


def loop_inputs(loop, f: list) -> tuple[list, dict, list]:
    """A hot loop's local bindings, the types the ones it does not declare
    hold on entry (from the frame ``f``), and those; NotCompilable if a
    binding is captured or holds a value compiled code cannot.  Needs no
    compiler, so apps.js.hotness asks before loading one."""
    bindings = _region_bindings(loop)
    declared = declared_in(loop)
    for b in bindings:
        # (one the loop declares with let or const is captured only by closures
        # made inside it: arrows compiled in place, or the unit is refused)
        if b.captured and (b.kind not in ("let", "const") if b in declared else type(f[b.index]) is not Cell):
            raise NotCompilable(f"'{b.name}' is captured by a closure")
    fixed, outside = {}, []
    for b in bindings:
        if b in declared or parser_temp(b):
            continue
        v = frame_value(f, b)
        if type(v) is JSFunction and made_here(v, f) and only_called(loop, b):
            continue  # (a nested function the loop calls: apps.js.tier binds the calls, Typer.closure_fns)
        t = entry_type(v)
        if t is None:
            raise NotCompilable(f"'{b.name}' holds a {type(v).__name__}")
        fixed[b] = t
        outside.append(b)
    return bindings, fixed, outside


def made_here(fn: JSFunction, f: list) -> bool:
    """Whether closure ``fn`` was made by the call whose frame is ``f``: its
    environment is that frame's cells (as they are now) and the frame's own
    environment after them."""
    env = fn.env
    if fn.node is None or len(env) != len(f[1]) + 1 or len(env[0]) != len(f):
        return False
    if any(x is not y for x, y in zip(env[1:], f[1], strict=True)):
        return False
    mine = env[0]
    return all(mine[i] is c for i, c in enumerate(f) if type(c) is Cell)


def only_called(loop, b) -> bool:
    """Whether every reference to ``b`` in ``loop`` (arrows and functions
    written in it included) calls it."""
    callees, refs = set(), []
    stack = [loop]
    while stack:
        n = stack.pop()
        if type(n) is A.Call and type(n.callee) is A.Ident:
            callees.add(id(n.callee))
        elif type(n) is A.Call and getattr(n, "callback_home", None) is not None and inlined_callback(n) is not None:
            callees.add(id(n.args[0]))  # (``a.map(b)``: compiled as a call of b per element)
        elif type(n) is A.Ident and getattr(n.ref, "binding", None) is b:
            refs.append(n)
        stack.extend(A.child_nodes(n))
    return bool(refs) and all(id(n) in callees for n in refs)


def one_value_type(types: set) -> set:
    """What returns of ``types`` give as one value: int32s and doubles a
    double, null and objects an object reference (else as they are)."""
    if types == {INT, NUM}:
        return {NUM}
    if NULL in types and types <= {NULL, OBJ}:
        return {OBJ}
    return types


def bound_to_closure(x, k: int) -> bool:
    """Whether argument ``k`` of a call expanded as ``x`` is an arrow (its
    parameter's closure): not a value, never evaluated."""
    return k < len(x.params) and x.params[k] in x.closures


def assigned_first(stmts: list, b) -> bool:
    """Whether the statements after ``let b;`` assign ``b`` on every path
    before anything reads it (CD's ``let v; if (c) { v = 0; } else { v =
    v1; }``): then its undefined is never seen, and it may be a number."""
    if b.captured:
        return False  # (a closure might read it first)
    for s in stmts:
        r = _assigns(s, b)
        if r is not False:
            return r is True
    return False


def _assigns(s, b):
    """True: ``s`` assigns b on every path, reading it nowhere first; False:
    ``s`` does not mention b; None: anything else."""
    t = type(s)
    if t is A.ExprStmt:
        return _assigns_first(s.expr, b)
    if t is A.While or (t is A.For and s.init is None and s.test is not None):
        r = _assigns_first(s.test, b)  # (fannkuch's ``while ((k = perm[0]) !== 0)``: the test runs first)
        return None if r is False and _mentions(s, b) else r
    if t is A.Block:
        for x in s.body:
            r = _assigns(x, b)
            if r is not False:
                return r
        return False
    if t is A.If and not _mentions(s.test, b):
        a = _assigns(s.then, b)
        c = _assigns(s.other, b) if s.other is not None else False
        if a is True and c is True:
            return True
        return False if a is False and c is False else None
    return None if _mentions(s, b) else False


def _assigns_first(e, b):
    """As :func:`_assigns`, for an expression: whether evaluating ``e``
    assigns b before anything in it reads b (an operand evaluated only
    sometimes -- the right of ``&&``, a branch of ``?:`` -- counts only as
    mentioning it)."""
    t = type(e)
    if t is A.Assign and e.op == "=" and _is_ref(e.target, b):
        return None if _mentions(e.value, b) else True
    if t is A.Binary or t is A.Logical:
        r = _assigns_first(e.left, b)
        if r is not False:
            return r
        return _assigns_first(e.right, b) if t is A.Binary else None if _mentions(e.right, b) else False
    return None if _mentions(e, b) else False


def _is_ref(n, b) -> bool:
    return type(n) is A.Ident and getattr(n.ref, "binding", None) is b


def _mentions(node, b) -> bool:
    return any(_is_ref(n, b) for n in walk(node))


def frame_value(f: list, b):
    """A binding's value in an interpreter frame: a captured one's through
    its cell.  A loop that makes no closure is the only code running while
    it runs that can see its function's cells (compiled code calls no
    function values, and the tier refuses such a loop while a compiled
    closure of the same function exists), so a loop unit keeps a captured
    variable in a register and writes it back to the cell when it leaves."""
    v = f[b.index]
    return v.v if b.captured else v


def ref_cell(ident: A.Ident, env: tuple | None, home=None):
    """The cell a global, or an enclosing function's variable in the
    closure environment ``env`` (interp: ``f[1][depth - 1][index]``), is
    read and written through; NotCompilable when the unit has no
    environment to bind to (a callee compiled for any closure) or the
    variable is not in a cell yet.  ``env`` is the environment of the
    function of scope ``home``, so the depth counts from that function --
    not from the arrow a reference is written in, when that arrow is
    compiled in place (a reference's own depth would then name a frame one
    function too far out: another function's variable)."""
    ref = ident.ref
    if isinstance(ref, Global):
        return ref.cell
    if env is None:
        raise NotCompilable(f"'{ident.name}' belongs to an enclosing function")
    if home is None:
        depth = ref.depth
    else:
        depth = function_depth(home, ref.binding.fscope)
        if not depth:  # (None, or 0: its function's own variable, not a unit local -- nothing to bind)
            raise NotCompilable(f"'{ident.name}' of an enclosing function is used from a callback compiled in place")
    if depth > len(env) or ref.binding.index >= len(env[depth - 1]):
        raise NotCompilable(f"'{ident.name}' is not in the closure's environment")
    cell = env[depth - 1][ref.binding.index]
    if type(cell) is not Cell:
        raise NotCompilable(f"'{ident.name}' belongs to an enclosing function and is not in a cell")
    return cell


class Typer:
    """Types of a unit's variables and expressions (fixpoint over assignments)."""

    def __init__(
        self, tier, fixed: dict, globals_types: dict, self_sig=None, env: tuple | None = None, ints: bool = True
    ) -> None:
        self.tier = tier
        self.INT = INT if ints else NUM  # what an int32-making expression is typed
        self.soft: set = set()  # fixed bindings typed INT that may still widen to NUM (a loop's integral inputs)
        self.nulls: set = set()  # fixed bindings typed OBJ for the null they held that may be packed arrays' instead
        # A property of what has held only null so far is typed on a later
        # pass (``best === null || r.length > best.length``, best given
        # arrays further on); once the types settle, one pass more refuses
        # those still of null (as a branch never run, that arm is cold).
        self.null_reads = False
        self.null_strict = False
        # The closure's environment (JSFunction.env) when its enclosing
        # functions' variables may be used: each is then a cell like a
        # global's, read and written through the unit's global slots.
        self.env = env
        self.uses_env = False
        # The cells it reaches through its own closure's environment, and
        # through another's (an inlined callee's): what another closure of
        # the same function may enter its code with (apps.js.tier's rebind).
        self.env_cells: set = set()
        self.other_cells: set = set()
        self.cells_held = False  # a loop unit's: its function's captured variables held as locals (frame_value)
        # A loop unit calling a nested function of its function (apps.js.tier's
        # _plan_loop): the binding -> the closure whose code the calls run, and
        # each captured variable -> the cell it is read and written through, as
        # the callee's code reads it (never held in a register meanwhile).
        self.closure_fns: dict = {}
        self.shared: dict = {}
        # A function unit's own scope when its closures are all inlined
        # callbacks: their references to its variables are its locals.
        self.home = None
        # Calls compiled in place (apps.js.inlining): each one's expansion,
        # by call node; the parameters bound to arrows now; and what a
        # return ends, innermost last (None: a forEach arrow's iteration).
        self.expansions: dict = {}
        self.closures: dict = {}  # Binding -> inlining.Closure
        self.frames: list = []
        self.env_scope = None  # while typing an expansion: the function its env belongs to
        self.scope = None  # the unit's function's scope: env is its environment (set by the tier)
        self.for_each_guard = None  # (holder, built-in): set by the tier
        self.building: set = set()  # classes whose new this unit is building in place (no recursion)
        self.types: dict = dict(fixed)  # Binding -> type
        self.fixed = set(fixed)
        self.globals = globals_types  # Cell -> type (NUM/BOOL/ARR) or ("fn", JSFunction)
        self.self_sig = self_sig
        self.returns: set[str] = set()
        self.changed = True
        self.callees: dict = {}  # JSFunction -> signature
        self.declared_inside: set = set()
        self.cold_reasons: list[str] = []  # why each cold branch is one
        self.conditional = 0  # >0: typing what its statement may skip (an arm of ?:, &&'s right, an arrow's body)
        self.unread = False  # a property load typed without feedback (it never ran)
        # ``let x;``: undefined until assigned, which only an object
        # reference can hold (apps.js.shapes.UNDEF_REF), so x must be one --
        # unless it is assigned on every path before it is read
        self.unset: set = set()
        self.assigned_first: set = set()
        self.read_in_place: set = set()  # (ids of "iter" helpers of declarations that only read: _reads_only)

    def run(self, body: list[A.Node]) -> None:
        for _ in range(6):
            self.changed = False
            self.returns = set()
            self.unset = set()  # (those typed on this pass: not those of a branch made cold)
            self.stmts(body)
            if not self.changed and self.null_reads and not self.null_strict:
                self.null_strict = True
                continue
            if not self.changed:
                for b in self.unset:
                    t = self.types.get(b)
                    if t not in (None, NULL, OBJ):
                        raise NotCompilable(f"'{b.name}' is declared without a value and holds {t} (not an object)")
                    self.types[b] = OBJ
                for b, t in self.types.items():
                    if t == NULL:
                        self.types[b] = OBJ  # (only ever null: still an object reference)
                if len(self.returns) == 2 and NULL in self.returns and self.returns & set(ARRAYS):
                    self.returns = self.returns - {NULL}  # (null returned as shapes.NULL_ARRAY)
                elif self.returns & {NULL, OBJ}:
                    self.returns = (self.returns - {NULL}) | {OBJ}
                return
        raise NotCompilable("types do not settle")

    # --- variables ------------------------------------------------------------------

    def _set(self, binding, t: str | None, pos) -> None:
        if t is None:
            return
        cur = self.types.get(binding)
        if NULL in (cur, t) and {cur, t} <= {NULL, OBJ, None}:  # null, then objects: an object reference
            if cur is None and binding not in self.fixed:
                self.types[binding] = t
                self.changed = True
            elif cur == NULL and t == OBJ and binding not in self.fixed:
                self.types[binding] = OBJ
                self.changed = True
            return
        if cur is None:
            if binding in self.fixed:
                return
            self.types[binding] = t
            self.changed = True
        elif cur != t:
            if cur == NUM and t == INT:
                return  # (stored converted)
            if cur == INT and t == NUM and (binding not in self.fixed or binding in self.soft):
                self.types[binding] = NUM  # widen: the fixpoint retypes everything that read it
                self.changed = True
                return
            if t in ARRAYS and (cur == NULL and binding not in self.fixed or cur == OBJ and binding in self.nulls):
                self.types[binding] = t  # null, then packed arrays: null is shapes.NULL_ARRAY there
                self.changed = True
                return
            if cur in ARRAYS and t == NULL:
                return  # (stored as shapes.NULL_ARRAY)
            raise NotCompilable(f"'{binding.name}' holds both {cur} and {t}")

    def local(self, ref):
        b = unit_local(ref, self.home)
        return None if b is not None and b in self.shared else b

    def ref_type(self, node: A.Ident):
        ref = node.ref
        b = self.local(ref)
        if b is not None:
            if b.captured and not self.cells_held and self.home is None:
                raise NotCompilable(f"'{node.name}' is captured by a closure")
            if b in self.closures:
                raise NotCompilable(f"callback '{node.name}' used other than by calling it or passing it on")
            return self.types.get(b)
        cell = self.cell_of(node)
        t = self.globals.get(cell)
        if t is None:
            t = self.tier.global_type(cell)
            if t is None:
                where = "global" if isinstance(ref, Global) else "captured variable"
                raise NotCompilable(f"{where} '{node.name}' is not a number, boolean, numeric array or object")
            self.globals[cell] = t
        return t

    def cell_of(self, node: A.Ident):
        """The cell a global or captured-variable reference reads and writes."""
        b = unit_local(node.ref, self.home)
        if b is not None and b in self.shared:
            return self.shared[b]
        own = isinstance(node.ref, Outer) and self.env_scope is None
        if own:
            self.uses_env = True  # (the unit's own closure's environment, not an inlined callee's)
        cell = ref_cell(node, self.env, self.env_scope or self.home or self.scope)
        if isinstance(node.ref, Outer):
            (self.env_cells if own else self.other_cells).add(cell)
        return cell

    # --- statements -----------------------------------------------------------------------

    def stmt(self, s: A.Node) -> None:
        t = type(s)
        if t is A.ExprStmt and type(s.expr) is A.Str:
            return  # (a directive such as "use strict": compiled code's stores never ignore a refusal)
        elif t is A.ExprStmt and getattr(s, "merged", False):
            return  # (the declaration before it compiles it: fill_after_decl)
        elif t is A.ExprStmt:
            self.expr(s.expr, statement=True)
        elif t is A.VarDecl and getattr(s, "filled", None) is not None:
            ident, init = s.decls[0]
            self.declared_inside.add(ident.ref.binding)
            vt = self.new_array(init.callee, *s.filled)
            if vt is not None:
                self._set(ident.ref.binding, vt, ident.pos)
        elif t is A.VarDecl:
            if _reads_only(s):
                self.read_in_place.update(id(init) for _, init in s.decls if type(init) is A.Helper)
            for ident, init in s.decls:
                if init is None and isinstance(ident.ref, Local) and parser_temp(ident.ref.binding):
                    continue  # (a function's destructuring temporaries: assigned before any read)
                if init is None:
                    if s.kind != "let" or not isinstance(ident.ref, Local):
                        raise NotCompilable("declaration without an initial value")
                    b = ident.ref.binding
                    self.declared_inside.add(b)
                    if b not in self.assigned_first:
                        if self.types.get(b) not in (None, NULL, OBJ):  # (in a branch: a cold one)
                            raise NotCompilable(f"'{b.name}' is declared without a value and holds {self.types[b]}")
                        self.unset.add(b)
                    continue
                vt = self.expr(init)
                if vt in (None, UNDEF):
                    if vt is None:
                        continue
                    raise NotCompilable("variable initialised with undefined")
                ref = ident.ref
                if not isinstance(ref, Local):
                    if isinstance(ref, Global):
                        gt = self.ref_type(ident)
                        if gt != vt and not (gt == NUM and vt == INT):
                            raise NotCompilable(f"global '{ident.name}' would change type")
                        continue
                    raise NotCompilable("declaration outside this function")
                self.declared_inside.add(ref.binding)
                self._set(ref.binding, vt, ident.pos)
        elif t is A.Return and self.frames and self.frames[-1] is None:  # (a forEach arrow's: the next element)
            if s.value is not None:
                self.expr(s.value, statement=True)
        elif t is A.Return and self.frames:  # (an expansion's: the call's value)
            self.frames[-1].returns.add(UNDEF if s.value is None else self.expr(s.value))
        elif t is A.Return:
            self.returns.add(UNDEF if s.value is None else self.expr(s.value))
        elif t is A.If:
            self.test(s.test)
            s.cold = (self._branch(s.then), s.other is not None and self._branch(s.other))
        elif t is A.Block:
            self.stmts(s.body)
        elif t in (A.While, A.DoWhile):
            self.test(s.test)
            self.stmt(s.body)
        elif t is A.For:
            if s.init is not None:
                self.stmt(s.init)
            if s.test is not None:
                self.test(s.test)
            if s.update is not None:
                self.expr(s.update, statement=True)
            self.stmt(s.body)
        elif t is A.ForOf:
            self.for_of(s)
        elif t is A.Switch:
            self.switch(s)
        elif t in (A.Break, A.Continue) and s.label is not None:
            raise NotCompilable("labelled break/continue")
        elif t in (A.Break, A.Continue, A.Empty):
            pass
        else:
            raise NotCompilable(f"{t.__name__} statements")

    def switch(self, s: A.Switch) -> None:
        """``switch``: the discriminant, each test (compared strictly, as
        apps.js.codegen's ``===``), then the case bodies as one statement
        list.  A declaration among the cases' statements must be read only
        in its own case: another case may be entered past it (the
        interpreter's TDZ error, or an unset var), which compiled code
        would read as whatever its slot held."""
        d = self.expr(s.disc)
        for x in s.tests:
            if x is not None:
                self._strictly_comparable(d, self.expr(x))
        body = s.body.body
        ends = [*s.starts[1:], len(body)]
        for k, st in enumerate(body):
            if isinstance(st, (A.FuncDecl, A.ClassDecl)):
                raise NotCompilable("a declaration of a function or class among a switch's cases")
            if isinstance(st, A.VarDecl):
                case = max(i for i, at in enumerate(s.starts) if at <= k) if s.starts and s.starts[0] <= k else None
                lo, hi = (s.starts[case], ends[case]) if case is not None else (0, len(body))
                names = {
                    id(ident.ref.binding)
                    for ident, _ in st.decls
                    if isinstance(ident, A.Ident) and isinstance(getattr(ident, "ref", None), Local)
                }
                if len(names) != len(st.decls):
                    raise NotCompilable("a destructuring or global declaration among a switch's cases")
                for other in body[:lo] + body[hi:]:
                    for n in walk(other):
                        if isinstance(n, A.Ident) and isinstance(n.ref, Local) and id(n.ref.binding) in names:
                            raise NotCompilable(f"'{n.name}' is declared in one case of a switch and read in another")
        self.stmts(body)

    def _strictly_comparable(self, a, b) -> None:
        """What a case test may be compared with (===): numbers, booleans,
        strings, or references of one type (of two JS types: never equal)."""
        for x in (a, b):
            if x not in (INT, NUM, BOOL, STR, None, *REFS) and x != OBJ:
                raise NotCompilable(f"a switch over a {x}")

    def stmts(self, body: list) -> None:
        """Type a statement list (noting which ``let x;`` in it are assigned
        before they can be read: :func:`assigned_first`)."""
        for k, s in enumerate(body):
            if type(s) is A.VarDecl and s.kind == "let":
                for ident, init in s.decls:
                    b = ident.ref.binding if init is None and isinstance(ident.ref, Local) else None
                    if b is not None and assigned_first(body[k + 1 :], b):
                        self.assigned_first.add(b)
        for k in range(len(body) - 1):
            fill = fill_after_decl(body, k)
            if fill is not None:
                body[k].filled = fill
                body[k + 1].merged = True
        for s in body:
            if type(s) in _NEVER_COLD or (type(s) is A.VarDecl and s.kind == "var"):
                self.stmt(s)
                continue
            saved = self._save()
            outer, self.conditional = self.conditional, 0  # (a statement here runs whenever its list gets to it)
            try:
                self.stmt(s)
                if getattr(s, "cold_stmt", False):
                    s.cold_stmt = False  # (typed afresh: it has run since)
            except Unfed as e:
                self._restore(saved)
                self.cold_reasons.append(str(e))
                s.cold_stmt = True  # (compiled code leaves here: what follows in this list is not reached)
                return
            finally:
                self.conditional = outer

    def for_of(self, s: A.ForOf) -> None:
        """``for (x of a)`` over a packed array or an array of objects or
        strings: by index, as the interpreter's array iterator goes (compiled
        code cannot change a length).  The interpreter cannot resume inside
        one, so a deopt there goes back to an enclosing loop's commit."""
        if s.keys:
            raise NotCompilable("for...in")
        it = self.expr(s.iterable)
        if it not in (ARR, BARR, AOBJ, ASTR, AARR, None):
            raise NotCompilable(f"for...of over {it}")
        rt = self.tier.engine.runtime  # (by index: while no program's [Symbol.iterator] stands in the way)
        self.builtin_property(rt.array_proto, rt.array_builtins, SYMBOL_ITERATOR, "Array.prototype")
        if not rt.array_iteration.v:
            raise NotCompilable(f"for...of: {rt.array_iteration.name} no longer holds")
        self.globals[rt.array_iteration] = ("fn", True)
        target = s.target
        if not isinstance(target, A.Ident):
            raise NotCompilable("for...of into a pattern")
        elem = ELEMENT.get(it)
        ref = target.ref
        if s.kind is not None and isinstance(ref, Local):
            if ref.binding.captured:
                raise NotCompilable(f"'{target.name}' is captured by a closure")
            self.declared_inside.add(ref.binding)
            self._set(ref.binding, elem, target.pos)
        else:
            self.store(target, elem)
        self.stmt(s.body)

    def for_each(self, e: A.Call, cb: A.Func, it, statement: bool):
        """``a.forEach(arrow)`` compiled in place (:func:`inlined_callback`):
        the arrow's body once per element, its parameters the element and
        its index.  Like a for...of, no commit point: a deopt inside goes
        back to an enclosing loop's commit, or to the call's start."""
        if not statement:
            raise NotCompilable("the result of '.forEach()' (undefined) is used")
        if it not in (ARR, BARR, AOBJ, ASTR, AARR, None):
            raise NotCompilable(f"forEach over {it}")
        ps = cb.scope.params
        if ps:
            self._set(ps[0], ELEMENT.get(it), e.pos)
        if len(ps) > 1:
            self._set(ps[1], self.INT, e.pos)
        if self.for_each_guard is None:
            raise NotCompilable("Array.prototype.forEach is not the built-in")
        holder, builtin = self.for_each_guard
        self.globals[holder] = ("fn", builtin)  # (checked at every entry, as a callee's global)
        self.frames.append(None)
        try:
            self.stmts(cb.body)
        finally:
            self.frames.pop()
        return UNDEF

    def array_callback(self, e: A.Call, cb: A.Func, it, name: str):
        """``a.map(x => ...)``, ``a.filter(x => ...)``, ``a.reduce((s, x) =>
        ..., init)`` compiled in place as forEach is: the arrow's expression
        once per element (the length read once, as the built-ins read it);
        map's results a new packed array of numbers (or booleans), filter's
        the elements it kept (of a's own kind: numbers, booleans, objects),
        reduce's the last sum; some's and every's a boolean, findIndex's an
        index (the first element whose test answers, or -1)."""
        if it not in (ARR, BARR, AOBJ, ASTR, AARR, None) or (name == "filter" and it not in (ARR, BARR, AOBJ, None)):
            raise NotCompilable(f"'.{name}()' over {it}")
        rt = self.tier.engine.runtime
        self.builtin_property(rt.array_proto, rt.array_builtins, name, "Array.prototype")
        ps = cb.scope.params
        k = 1 if name == "reduce" else 0
        if name == "reduce":
            if not ps:
                raise NotCompilable("'.reduce()' with an arrow that takes no sum")
            init = self.expr(e.args[1])
            self._set(ps[0], _PARAM.get(init, init), e.pos)
        if len(ps) > k:
            self._set(ps[k], ELEMENT.get(it), e.pos)
        if len(ps) > k + 1:
            self._set(ps[k + 1], self.INT, e.pos)
        r = self.expr(cb.body[0].value)
        if it is None or r is None:
            return None
        if name == "map":
            if r not in (INT, NUM, BOOL):
                raise NotCompilable(f"'.map()' to {r} (compiled arrays hold numbers or booleans)")
            return BARR if r == BOOL else ARR
        if name == "filter" or name in SEARCHES:
            self._numeric(r, NUM, f"{name}'s test")
            return it if name == "filter" else self.INT if name == "findIndex" else BOOL
        self._set(ps[0], _PARAM.get(r, r), e.pos)  # (reduce: the sum holds what the arrow returns)
        return self.types.get(ps[0])

    def spread_extreme(self, arg: A.Node, name: str):
        """``Math.max(...a)`` / ``Math.min(...a)`` of a packed array of
        numbers: one scan (apps.js.codegen's math), the spread reading the
        array by index while Array.prototype's iterator is the built-in."""
        rt = self.tier.engine.runtime
        self.builtin_property(rt.array_proto, rt.array_builtins, SYMBOL_ITERATOR, "Array.prototype")
        if not rt.array_iteration.v:
            raise NotCompilable(f"spread: {rt.array_iteration.name} no longer holds")
        self.globals[rt.array_iteration] = ("fn", True)
        it = self.expr(arg)
        if it not in (ARR, None):
            raise NotCompilable(f"Math.{name} of a spread {it}")
        return NUM

    def element_search(self, e: A.Call, it: str, name: str):
        """``a.includes(x)``, ``a.indexOf(x)``, ``a.lastIndexOf(x)`` (and a
        number from where) over numbers, booleans or objects, as one scan
        (apps.js.codegen's element_search): includes by SameValueZero (NaN
        found, a hole is undefined), the others by strict equality (NaN
        never); ``x`` of another type than the elements is refused rather
        than compiled to a constant answer."""
        rt = self.tier.engine.runtime
        self.builtin_property(rt.array_proto, rt.array_builtins, name, "Array.prototype")
        t = self.expr(e.args[0])
        if t is not None and t not in SOUGHT[it]:
            raise NotCompilable(f"'.{name}()' of a {t} in an array of {ELEMENT[it]}s")
        for a in e.args[1:]:
            self._numeric(self.expr(a), NUM, name)
        return BOOL if name == "includes" else self.INT

    def _branch(self, s: A.Node) -> bool:
        """Type an if's branch; one that cannot be compiled (a template, a
        string, a call of something unknown) becomes a cold exit instead of
        refusing the whole unit: compiled code leaves to the interpreter
        when it is taken (without counting as a failed speculation), and the
        hot path -- a loop's every other iteration -- stays compiled.
        Whether it was cold."""
        saved = self._save()
        try:
            self.stmt(s)
            return False
        except NotCompilable as e:
            self._restore(saved)
            self.cold_reasons.append(str(e))
            return True

    # --- expressions ------------------------------------------------------------------------

    def expr(self, e: A.Node, statement: bool = False):
        t = type(e)
        if t is A.Num:
            v = e.value
            return self.INT if v == int(v) and -(2**31) <= v < 2**31 and (v or str(v)[0] != "-") else NUM
        if t is A.Str:
            return STR
        if t is A.Template:  # (its strings and its expressions' text: apps.js.madestrings)
            for x in e.exprs:
                self._concat_type(STR, self.expr(x))
            return STR
        if t is A.Lit:
            if e.value is True or e.value is False:
                return BOOL
            if e.value is None:
                return NULL
            raise NotCompilable("undefined values")
        if t is A.Ident:
            r = self.ref_type(e)
            if isinstance(r, tuple):
                raise NotCompilable("a function used as a value")
            return r
        if t is A.This:
            b = self.local(e.ref)
            if b is None:
                raise NotCompilable("'this' of an enclosing function")
            if b.captured and self.home is None:
                raise NotCompilable("'this' is captured by a closure")
            return self.types.get(b)
        if t is A.Unary:
            if e.op == "!":
                self.test(e.arg)
                return BOOL
            a = self.expr(e.arg)
            if e.op in ("-", "+") and a == STR:
                return NUM  # (ToNumber of a string: apps.js.codegen's str_number)
            if e.op in ("-", "+", "~"):
                if a not in (*NUMERIC, None):
                    raise NotCompilable(f"unary {e.op} on {a}")
                if e.op == "~" or (e.op == "+" and a in (INT, BOOL)):
                    return self.INT
                return NUM  # (-x of an int32 0 is -0)
            raise NotCompilable(f"unary {e.op}")
        if t is A.Binary and e.op in ("===", "!==", "==", "!=") and (is_null(e.left) or is_null(e.right)):
            tested = null_test(e)
            if tested is not None and self.expr(tested.obj) in (OBJ, None):
                return BOOL  # (a null test: apps.js.codegen)
            other = e.right if is_null(e.left) else e.left
            ot = None if is_null(other) else self.expr(other)
            lit = e.left if is_null(e.left) else e.right
            if ot in (NUM, INT, BOOL) and e.op in ("===", "!==") and lit.value is UNDEFINED:
                return BOOL  # (a default parameter's test, ``p === undefined``: false for a number)
            if ot not in (OBJ, NULL, None, *REFS) or is_null(other):  # (an array or a string is never null)
                raise NotCompilable(f"comparing {ot or 'null or undefined'} with null or undefined")
            return BOOL  # (an object reference against 0)
        if t is A.Binary:
            a, b = self.expr(e.left), self.expr(e.right)
            op = e.op
            if op in ("<", ">", "<=", ">="):
                if a == STR or b == STR:
                    if {a, b} - {STR, None}:
                        raise NotCompilable(f"'{op}' of a string and a {({a, b} - {STR}).pop()}")
                    return BOOL
                self._numeric(a, b, op)
                return BOOL
            if op in ("===", "!==", "==", "!="):
                loose = op in ("==", "!=") and {a, b} != {OBJ, NULL}  # (null == an object reference: 0 or not)
                if (a in REFS or b in REFS) and a != b and None not in (a, b) and loose:
                    raise NotCompilable(f"comparing {a} with {b} loosely")
                return BOOL
            if op == "+" and STR in (a, b):
                return self._concat_type(a, b)
            self._numeric(a, b, op)
            return self.arith_type(op, a, b)
        if t is A.Logical and e.op == "??":
            return self.nullish(e)
        if t is A.Logical:
            a, b = self.expr(e.left), self._maybe(e.right)
            if getattr(e, "in_test", False) and a != b and None not in (a, b) and UNDEF not in (a, b):
                return BOOL  # (only its truth is used: apps.js.codegen's ``truth``)
            return self.join(a, b, e.op)
        if t is A.Cond:
            self.test(e.test)
            cold = (unfed(e.then), unfed(e.other))
            e.cold = cold if cold[0] != cold[1] else (False, False)  # (one arm never ran: a cold exit)
            if any(e.cold):
                return self._maybe(e.other if e.cold[0] else e.then)  # (the other's type)
            return self.join(self._maybe(e.then), self._maybe(e.other), "?:")
        if t is A.Assign:
            vt = self.expr(e.value)
            if e.op != "=":
                cur = self.expr(e.target)
                if e.op == "+=" and STR in (cur, vt):
                    vt = self._concat_type(cur, vt)
                else:
                    self._numeric(cur, vt, e.op)
                    vt = self.arith_type(e.op[:-1], cur, vt)
            self.store(e.target, vt)
            return vt
        if t is A.Update:
            cur = self.expr(e.target)
            self._numeric(cur, NUM, e.op)
            vt = self.INT if cur in (INT, BOOL) else NUM if cur is not None else None
            self.store(e.target, vt)
            return vt
        if t is A.Member:
            return self.member(e)
        if t is A.Call:
            return self.call(e, statement)
        if t is A.Seq:
            if getattr(e, "parallel", False):
                return self.parallel_assign(e, statement)
            r = None
            for x in e.exprs:
                r = self.expr(x, statement=True)
            return r
        if t is A.New:
            return self.new_object(e)
        if t is A.ArrayLit:
            return self.array_literal(e)
        if t is A.ObjectLit:
            return self.object_literal(e)
        if t is A.Helper and e.name == "object":  # (``{x, y} = o``: o itself, its properties then loaded by name)
            vt = self.expr(e.args[0])
            if vt not in (OBJ, None):
                raise NotCompilable(f"destructuring a {vt} by its properties")
            return vt
        if t is A.Helper and e.name == "iter" and (isinstance(e.args[0], A.ArrayLit) or id(e) in self.read_in_place):
            # (``[a, b] = [x, y]``: the literal is a fresh array, read by index
            # as the array iterator goes while nothing stands in its way; so is
            # an array a declaration only reads, ``const [a, b] = pair``:
            # nothing runs between its reads that could change it)
            rt = self.tier.engine.runtime
            self.builtin_property(rt.array_proto, rt.array_builtins, SYMBOL_ITERATOR, "Array.prototype")
            if not rt.array_iteration.v:
                raise NotCompilable(f"destructuring: {rt.array_iteration.name} no longer holds")
            self.globals[rt.array_iteration] = ("fn", True)
            if e.args[1].value < 0:
                raise NotCompilable("an array pattern with a rest element")
            vt = self.expr(e.args[0])
            if vt not in ((ARR, BARR, None) if isinstance(e.args[0], A.ArrayLit) else (*STACKS, ASTR, None)):
                raise NotCompilable(f"destructuring an array of {vt}")
            return vt
        if t is A.OptChain:
            return self.optional_load(e)
        raise NotCompilable(f"{t.__name__} expressions")

    def optional_load(self, e: A.OptChain):
        """``o?.p`` of a variable ``o`` (read twice in compiled code: no
        effect): p's load unless o is null or undefined, which gives
        undefined -- an object reference where p holds objects; where it
        holds anything else, ``o?.p ?? d`` gives d (Typer.nullish), and
        alone, a nullish o leaves compiled code."""
        m = e.expr
        if type(m) is not A.Member or not m.optional or m.computed or type(m.obj) not in (A.Ident, A.This):
            raise NotCompilable("?. other than o?.p of a variable")
        ot = self.expr(m.obj)
        if ot not in (OBJ, None):
            raise NotCompilable(f"?. on {ot}")
        return self.member(m)

    def object_literal(self, e: A.ObjectLit):
        """``{a: x, b: y}`` built in compiled code (apps.js.codegen): distinct
        plain keys (no index, no __proto__, no computed key, accessor, method
        or spread: their order or their definition is the interpreter's),
        each value of a kind an object's slot holds."""
        keys = [k for k, _, _ in e.props]
        if not keys or len(set(keys)) != len(keys) or not all(literal_key(k, v, kind) for k, v, kind in e.props):
            raise NotCompilable("an object literal other than of distinct plain keys")
        for _, v, _ in e.props:
            t = self.expr(v)
            if t is not None and SLOT_KIND.get(t) is None:
                raise NotCompilable(f"an object literal holding a {t}")
        return OBJ

    def array_literal(self, e: A.ArrayLit):
        """``[]`` or ``[x, y, ...]`` of numbers (ARR), or of booleans (BARR):
        a packed array the engine allocates, as ``new Array(n).fill``'s, and
        compiled code fills (and pushes onto); of objects (or null), an array
        of objects (AOBJ); ``[]`` as what its arrays held (interp's
        feedback: :func:`_empty_kind`)."""
        if any(x is None or type(x) is A.Spread for x in e.items):
            raise NotCompilable("an array literal with holes or spreads")
        if not e.items and (kind := _empty_kind(e)) is not None:
            return kind  # (of objects or rows, empty: what ``new Array(0)`` makes, Allocator.holes)
        ts = [self.expr(x) for x in e.items]
        if None in ts:
            return None
        if all(t in (INT, NUM) for t in ts):
            return ARR
        if all(t == BOOL for t in ts):
            return BARR
        if all(t in (OBJ, NULL) for t in ts):
            return AOBJ
        raise NotCompilable("an array literal of other than numbers, booleans or objects")

    def parallel_assign(self, e: A.Seq, statement: bool):
        """``[a[i], a[j]] = [a[j], a[i]]`` (apps.js.parser's ``parallel``):
        the values in order, then each target's store in order, as the
        iterator of the fresh array would give them while Array.prototype's
        [Symbol.iterator] is the built-in (checked at every entry; a fresh
        array has no own one) -- no array made."""
        if not statement:
            raise NotCompilable("the value of a destructuring assignment (its array) is used")
        rt = self.tier.engine.runtime
        self.builtin_property(rt.array_proto, rt.array_builtins, SYMBOL_ITERATOR, "Array.prototype")
        targets, values = parallel_parts(e)
        types = [self.expr(v) for v in values]
        for target, vt in zip(targets, types, strict=False):  # (values past the targets: evaluated, not stored)
            if vt == UNDEF:
                raise NotCompilable("variable initialised with undefined")
            self.store(target, vt)
        return UNDEF

    def new_object(self, e: A.New):
        """``new C(args)`` of a class whose constructor only stores what it is
        given into the new object (apps.js.allocation): the engine runs it and
        compiled code gets an object reference; ``C`` is guarded at entry."""
        from .allocation import MAX_ARGS, pure_constructor

        c = e.callee
        if len(e.args) > MAX_ARGS:
            raise NotCompilable("new with more than 8 arguments")
        fn, guards = self.new_callee(c)
        fn_name = c.name if isinstance(c, A.Ident) else c.prop.value
        if isinstance(c, A.Ident) and c.name == "Array" and len(e.args) == 1:
            if fn is self.tier.engine.globals_builtin.get("Array"):
                self.globals.update(guards)  # (guarded at entry to be the built-in still)
                self._numeric(self.expr(e.args[0]), NUM, "new Array")
                return AOBJ  # n holes (Allocator.holes): an array of objects once stored into
        if type(fn) is not JSFunction:
            raise NotCompilable(f"new {fn_name}: not a class or function of this program")
        for holder, expected in guards:
            if holder in self.globals and self.globals[holder] != expected:
                raise NotCompilable(f"'{holder.name}' is both read and constructed from")
        self.globals.update(guards)
        argt = [self.expr(a) for a in e.args]
        for a in argt:
            if a not in (NUM, INT, BOOL, OBJ, NULL, ARR, BARR, STR, None):
                raise NotCompilable(f"new {fn_name}: an argument of type {a}")
        if None in argt:
            return None
        if self._build_in_place(e, fn, argt):
            return OBJ
        why = pure_constructor(fn, argt)[1]
        if why is not None:
            raise NotCompilable(f"new {fn_name}: its constructor is not only stores of its arguments ({why})")
        return OBJ

    def new_callee(self, c) -> tuple:
        """The class ``new c(...)`` constructs -- a global's, or a property of
        a global's or an enclosing variable's object (``new som.Random()``:
        a module's export) -- and the guards (holder, ("fn", value)) that
        keep it so at every entry."""
        if isinstance(c, A.Ident) and isinstance(c.ref, Global):
            fn = c.ref.cell.v
            return fn, [(c.ref.cell, ("fn", fn))]
        if isinstance(c, A.Member) and not c.computed and isinstance(c.obj, A.Ident):
            if isinstance(c.obj.ref, (Global, Outer)):
                cell = self.cell_of(c.obj)
                owner = cell.v
                if type(owner) is JSObject and type(owner.props) is dict:
                    holder = self.tier.property_holder(owner, c.prop.value)
                    fn = holder.v
                    return fn, [(cell, ("fn", owner)), (holder, ("fn", fn))]
        raise NotCompilable("new of something other than a global class or a module's")

    def _build_in_place(self, e: A.New, fn, argt: list) -> bool:
        """Whether compiled code builds this ``new`` itself
        (apps.js.allocation.Inline), its constructor's expressions typed as
        this unit's: noted in the tier's ``inline_choice`` for the code
        generator, by node and argument types.  If they cannot be typed, the
        unit's types are as before and the engine's constructor call is
        tried instead."""
        from .allocation import Impure, inline_constructor

        key = (e, tuple(argt))
        choices = self.tier.inline_choice
        choices[key] = None
        if fn in self.building:
            return False
        try:
            plan = inline_constructor(fn, len(e.args))
        except Impure:
            return False
        saved = self._save()
        self.building.add(fn)
        try:
            kinds = self._type_in_place(plan, argt, e)
        except NotCompilable:
            self._restore(saved)
            return False
        finally:
            self.building.discard(fn)
        choices[key] = (plan, kinds)
        return True

    def _type_in_place(self, plan, argt: list, e: A.New) -> tuple:
        kinds: list = [None] * len(plan.keys)
        for op in plan.ops:
            if op[0] == "bind":
                for b, src in zip(op[1], op[2], strict=True):
                    t = argt[src[1]] if type(src) is tuple else self.expr(src)
                    if t not in (NUM, INT, BOOL, OBJ, NULL, ARR, BARR, STR, None):
                        raise NotCompilable(f"a constructor's parameter given a {t}")
                    self._set(b, _PARAM.get(t, t), e.pos)
                continue
            _, i, value = op
            t = self.expr(value)
            kind = SLOT_KIND.get(t)
            if t is not None and kind is None:
                raise NotCompilable(f"a constructor storing a {t}")
            if kind is not None and kinds[i] not in (None, kind):
                raise NotCompilable("a constructor storing two kinds into one property")
            kinds[i] = kinds[i] or kind
        return tuple(kinds)

    def _save(self) -> tuple:
        return (dict(self.types), self.changed, set(self.returns), dict(self.callees),
                set(self.declared_inside), self.uses_env, dict(self.globals))  # fmt: skip

    def _restore(self, saved: tuple) -> None:
        (self.types, self.changed, self.returns, self.callees, self.declared_inside, self.uses_env,
         globals_) = saved  # fmt: skip
        self.globals.clear()
        self.globals.update(globals_)

    def _numeric(self, a, b, op) -> None:
        for x in (a, b):
            if x not in (*NUMERIC, None):
                raise NotCompilable(f"'{op}' on {x}")

    def _concat_type(self, a, b) -> str:
        """``a + b`` with a string side: a string compiled code makes
        (apps.js.madestrings) when the other side is one too or a number
        (printed as JS does where it is a whole number; else it leaves)."""
        other = ({a, b} - {STR, INT, NUM, None}) or None
        if other:
            raise NotCompilable(f"'+' of a string and a {other.pop()}")
        return STR

    def _index_key(self, key) -> None:
        """A computed key compiled code indexes with must be a number: any
        other key is a property name (``a[true]`` is ``a["true"]``, not
        ``a[1]``), which only the interpreter looks up."""
        t = self.expr(key)
        if t not in (INT, NUM, None):
            raise NotCompilable(f"'[]' with a {t} key (a property name, not an index)")

    def arith_type(self, op: str, a, b):
        """INT where both sides are int32s (or booleans) and the operator keeps
        them one (checked at run time), or always makes one (bit operations);
        NUM otherwise; None while a side's type is not known yet."""
        if op in ("&", "|", "^", "<<", ">>"):
            return self.INT
        if op in ("/", "**", ">>>"):
            return NUM
        if a is None or b is None:
            return None
        if a in (INT, BOOL) and b in (INT, BOOL) and op in ("+", "-", "*", "%"):
            return self.INT
        return NUM

    def test(self, e: A.Node) -> None:
        """Type a condition.  A ``&&`` / ``||`` there is used only for its
        truth, so its operands may be of different types (``top && top.size
        > n``, an object and a boolean): it is marked, and typed BOOL."""
        while type(e) is A.Unary and e.op == "!":
            e = e.arg
        if type(e) is A.Logical and e.op != "??":  # (?? is typed as a value: its left's nullishness, not truth)
            e.in_test = True
            self.test(e.left)
            self.conditional += 1
            try:
                self.test(e.right)
            finally:
                self.conditional -= 1
        self.expr(e)

    def _maybe(self, e: A.Node):
        """The type of ``e``, which its statement may skip: a call in it that
        never ran says nothing of whether the statement did (no Unfed)."""
        self.conditional += 1
        try:
            return self.expr(e)
        finally:
            self.conditional -= 1

    def nullish(self, e: A.Logical):
        """``a ?? b``: ``a`` unless it is null or undefined -- which only an
        object reference or a packed array (shapes.NULL_ARRAY) can be: of
        any other type it is ``a``, and ``b`` is never evaluated; of those,
        ``b`` must be of the same kind."""
        a = self.expr(e.left)
        if a in (OBJ, NULL, *ARRAYS) or (type(e.left) is A.OptChain and a is not None):  # (o?.p ?? d: o nullish: d)
            return self.join(a, self._maybe(e.right), "??")
        if a in (INT, NUM, BOOL) or a in REFS:
            return a
        if a is None:
            return None
        raise NotCompilable(f"?? of {a}")

    def join(self, a, b, op: str):
        """The type of a value that is ``a`` on one path and ``b`` on another."""
        if a is None or b is None or a == b:
            return a or b
        if a in (INT, NUM) and b in (INT, NUM):
            return NUM
        if {a, b} == {OBJ, NULL}:
            return OBJ
        if NULL in (a, b) and {a, b} - {NULL} <= set(ARRAYS):
            return a if b == NULL else b  # (null as a packed array: shapes.NULL_ARRAY)
        raise NotCompilable(f"{op} mixing {a} and {b}")

    def store(self, target: A.Node, vt) -> None:
        if isinstance(target, A.Ident):
            ref = target.ref
            b = self.local(ref)
            if b is not None:
                if b.captured and not self.cells_held and self.home is None:
                    raise NotCompilable(f"'{target.name}' is captured by a closure")
                if b.kind == "const" or b in self.closures:
                    raise NotCompilable("assignment to a constant, or to a callback parameter")
                self._set(b, vt, target.pos)
                return
            gt = self.ref_type(target)
            if isinstance(ref, Global) and (ref.cell.const or isinstance(gt, tuple)):
                raise NotCompilable("assignment to a constant or function global")
            if not isinstance(ref, Global) and ref.binding.kind == "const":
                raise NotCompilable("assignment to a constant")
            if vt is not None and gt != vt and not (gt == NUM and vt == INT) and not (gt == OBJ and vt == NULL):
                raise NotCompilable(f"'{target.name}' would change type")
            return
        if isinstance(target, A.Member) and not target.computed:
            obj = self.expr(target.obj)
            if target.prop.value == "length" and obj in STACKS:
                self._numeric(vt, NUM, "an array's length")  # (cut in place; a longer one leaves, apps.js.codegen)
                return
            if obj not in (OBJ, None):
                raise NotCompilable(f"storing property '{target.prop.value}' of {obj}")
            fn = setter_target(target)
            if fn is not None:  # (a call of the setter behind a call cache: apps.js.codegen's store)
                if obj is None or vt is None:
                    return
                sig = self.tier.signature_for(fn, [_PARAM.get(vt, vt)] + ([OBJ] if uses_this(fn.node) else []))
                if sig is None:
                    raise NotCompilable(f"setter '{target.prop.value}' is not compilable")
                self.callees[fn] = sig
                return
            if vt not in (NUM, INT, BOOL, OBJ, NULL, ARR, BARR, AOBJ, STR, None):
                raise NotCompilable(
                    f"storing a {vt} into property '{target.prop.value}' (compiled stores are numbers, booleans, "
                    "strings, arrays of numbers, booleans or objects, objects and null)"
                )
            return
        if isinstance(target, A.Member) and target.computed:
            obj = self.expr(target.obj)
            if obj not in (ARR, BARR, AOBJ, HARR, AARR, None, *TYPED_ARRAYS):
                raise NotCompilable(f"element store on {obj} (arrays of strings are read only)")
            self._index_key(target.prop)
            if obj == AOBJ and vt == NULL:
                return
            if obj == HARR and vt == INT:
                return
            if obj in TYPED_ARRAYS:  # (converted as the element type says: apps.js.codegen)
                self._numeric(vt, NUM, "a typed array's element store")
                return
            if obj is not None and vt not in (ELEMENT[obj], None) and not (vt == INT and obj == ARR):
                raise NotCompilable(f"storing a {vt} into an array of {ELEMENT[obj]}s (its elements kind would change)")
            return
        raise NotCompilable("property stores")

    def builtin_member(self, ident: A.Ident, name: str) -> None:
        """Guard ``Math.name`` or ``console.name`` -- the global and the
        property -- to be what the engine made, at every entry: the unit
        compiles it as an intrinsic (a program may replace ``Math.sqrt``,
        or ``Math``, at any time between entries)."""
        owner = ident.name
        obj = self.tier.engine.globals_builtin.get(owner)
        if obj is None or ident.ref.cell.v is not obj:
            raise NotCompilable(f"'{owner}' is not the built-in")
        self.globals[ident.ref.cell] = ("fn", obj)
        self.builtin_property(obj, self.tier.engine.runtime.jit_builtins[owner], name, owner)

    def builtin_property(self, obj, originals: dict, name: str, what: str) -> None:
        """Guard ``obj``'s own property ``name`` (a built-in the unit compiles
        in, such as String.prototype.charCodeAt) to be ``originals[name]``
        still, at every entry."""
        original = originals.get(name)
        if original is None or obj.props.get(name) is not original:
            raise NotCompilable(
                f"{what}[{name}] is not the built-in"
                if not isinstance(name, str)
                else f"{what}.{name} is not the built-in"
            )
        self.globals[self.tier.property_holder(obj, name)] = ("fn", original)

    def member(self, e: A.Member):
        if isinstance(e.obj, A.Ident) and isinstance(e.obj.ref, Global) and e.obj.name == "Math":
            if not e.computed and e.prop.value in ("PI", "E"):
                self.builtin_member(e.obj, e.prop.value)
                return NUM
            raise NotCompilable("Math property")
        if number_constant(e):  # (Number.MAX_SAFE_INTEGER, EPSILON, ...: the global and the value guarded)
            self.builtin_member(e.obj, e.prop.value)
            return NUM
        obj = self.expr(e.obj)
        if obj == NULL and not self.null_strict:
            self.null_reads = True
            return None  # (only null so far: what the variable comes to hold types it on the next pass)
        if not e.computed:
            if obj in (OBJ, None) and (targets := getter_targets(e)):
                return None if obj is None else self.getter_call(e, targets)
            if obj == OBJ:  # (an inline cache, which deoptimises unless the slot holds this kind)
                if e.seen == 0:
                    self.unread = True  # (never ran: a number by default)
                return _PROPERTY_KIND.get(e.seen, NUM)
            if e.prop.value == "length" and obj in (ARR, BARR, STR, AOBJ, ASTR, HARR, AARR, None, *TYPED_ARRAYS):
                return self.INT
            if obj is None:
                return None
            raise NotCompilable(f"property '{e.prop.value}' of {obj}")
        if obj not in (ARR, BARR, AOBJ, ASTR, STR, HARR, AARR, None, *TYPED_ARRAYS):
            raise NotCompilable(f"indexing {obj}")
        self._index_key(e.prop)
        if obj == STR:  # (one unit below U+0100, a literal's descriptor: else it leaves, apps.js.codegen)
            return STR
        if obj in TYPED_ARRAYS:
            return self.INT if ELEMENT[obj] == INT else NUM
        return ELEMENT.get(obj)  # (None until the array's own type is known)

    def call(self, e: A.Call, statement: bool):
        c = e.callee
        cb = inlined_here(e, self.home)
        if cb is not None and (it := self.expr(c.obj)) != OBJ:  # (an array's forEach; an object's: its method)
            self.conditional += 1  # (the arrow runs once per element: maybe never)
            try:
                if c.prop.value != "forEach":
                    return self.array_callback(e, cb, it, c.prop.value)
                return self.for_each(e, cb, it, statement)
            finally:
                self.conditional -= 1
        if type(c) is A.Ident and self.closure_fns and (b := self.local(c.ref)) in self.closure_fns:
            fn = self.closure_fns[b]  # (a loop unit's call of its function's nested function)
            if getattr(e, "passes_all", False) and fn.node.node is not b.decl:
                raise NotCompilable(f"'{c.name}' holds another function than it declares")  # (named_callback's)
            return self._direct_call_type(e, fn, f"nested function '{c.name}'", f"'{c.name}'", statement, fn.env)
        x = self.expansion(e)
        if x is not None:
            return self.inline(e, x, statement)
        fill = new_array_fill(e)
        if fill is not None:
            return self.new_array(c.obj.callee, *fill)
        if isinstance(c, A.Member) and not c.computed and c.prop.value == "push" and 1 <= len(e.args) <= 8:
            obj = self.expr(c.obj)
            if obj in STACKS:
                return self.push(obj, e.args)
        if isinstance(c, A.Member) and not c.computed and c.prop.value == "pop" and not e.args:
            obj = self.expr(c.obj)
            if obj in STACKS:
                rt = self.tier.engine.runtime
                self.builtin_property(rt.array_proto, rt.array_builtins, "pop", "Array.prototype")
                return ELEMENT[obj]  # (an empty array's undefined: compiled code leaves, apps.js.codegen)
        if isinstance(c, A.Member) and not c.computed and c.prop.value in ("charCodeAt", "codePointAt"):
            obj = self.expr(c.obj)
            if obj == STR:
                rt = self.tier.engine.runtime
                self.builtin_property(rt.string_proto, rt.string_builtins, c.prop.value, "String.prototype")
                for a in e.args[:1]:
                    self._numeric(self.expr(a), NUM, c.prop.value)
                return self.INT  # (an index past the end is NaN: an int32 check that fails)
            if obj is None:
                return None
        if isinstance(c, A.Member) and not c.computed and c.prop.value == "charAt" and len(e.args) <= 1:
            obj = self.expr(c.obj)
            if obj == STR:
                rt = self.tier.engine.runtime
                self.builtin_property(rt.string_proto, rt.string_builtins, "charAt", "String.prototype")
                for a in e.args:
                    self._numeric(self.expr(a), NUM, "charAt")
                return STR
            if obj is None:
                return None
        if isinstance(c, A.Member) and not c.computed and c.prop.value in ("slice", "substring") and len(e.args) <= 2:
            obj = self.expr(c.obj)
            if obj == STR:  # (a new string: apps.js.madestrings)
                rt = self.tier.engine.runtime
                self.builtin_property(rt.string_proto, rt.string_builtins, c.prop.value, "String.prototype")
                for a in e.args:
                    self._numeric(self.expr(a), NUM, c.prop.value)
                return STR
            if obj is None:
                return None
        if isinstance(c, A.Member) and not c.computed and STR_MAKERS.get(c.prop.value, -1) == len(e.args):
            obj = self.expr(c.obj)
            if obj == STR:  # (ASCII case mapping and white space; anything else leaves: apps.js.codegen)
                rt = self.tier.engine.runtime
                self.builtin_property(rt.string_proto, rt.string_builtins, c.prop.value, "String.prototype")
                for a in e.args:
                    self._numeric(self.expr(a), NUM, c.prop.value)
                return STR
            if obj is None:
                return None
        if isinstance(c, A.Member) and not c.computed and c.prop.value in ELEMENT_SEARCHES and 1 <= len(e.args) <= 2:
            obj = self.expr(c.obj)
            if obj in SOUGHT:
                return self.element_search(e, obj, c.prop.value)
            if obj is None:
                return None
        if isinstance(c, A.Member) and not c.computed and c.prop.value in STR_SEARCHES and 1 <= len(e.args) <= 2:
            obj = self.expr(c.obj)
            if obj == STR:  # (a scan of the units: apps.js.codegen's str_search)
                name = c.prop.value
                rt = self.tier.engine.runtime
                self.builtin_property(rt.string_proto, rt.string_builtins, name, "String.prototype")
                t = self.expr(e.args[0])
                if t not in (STR, None):
                    raise NotCompilable(f"'{name}' of a {t}")
                for a in e.args[1:]:
                    self._numeric(self.expr(a), NUM, name)
                return self.INT if name == "indexOf" else BOOL
            if obj is None:
                return None
        if isinstance(c, A.Member) and not c.computed and isinstance(c.obj, A.Ident) and isinstance(c.obj.ref, Global):
            owner, name = c.obj.name, c.prop.value
            cell_value = c.obj.ref.cell.v
            if owner == "Math" and type(cell_value) is JSObject:
                self.builtin_member(c.obj, name)
                if name in ("min", "max") and len(e.args) == 1 and type(e.args[0]) is A.Spread:
                    return self.spread_extreme(e.args[0].arg, name)
                argt = [self.expr(a) for a in e.args]
                for a in argt:
                    self._numeric(a, NUM, f"Math.{name}")
                if name in MATH_1 or name in MATH_2 or name in MATH_N or (name == "random" and not e.args):
                    return NUM
                raise NotCompilable(f"Math.{name}")
            if owner == "Number" and name in NUMBER_TESTS and len(e.args) == 1 and type(cell_value) is Builtin:
                self.builtin_member(c.obj, name)
                at = self.expr(e.args[0])
                if at not in (INT, NUM, None):  # (Number.isX of another type is false: it does not convert)
                    raise NotCompilable(f"Number.{name} of a {at}")
                return BOOL
            if owner == "String" and name == "fromCharCode" and type(cell_value) is Builtin:
                self.builtin_member(c.obj, name)
                for a in e.args:
                    self._numeric(self.expr(a), NUM, "String.fromCharCode")
                return STR
            if owner == "console" and name == "log" and type(cell_value) is JSObject:
                self.builtin_member(c.obj, name)
                if not statement:
                    raise NotCompilable("console.log used as a value")
                for a in e.args:
                    if not isinstance(a, A.Str):
                        at = self.expr(a)
                        if at not in (*NUMERIC, STR, None):
                            raise NotCompilable("console.log of a non-number")
                return UNDEF
        if isinstance(c, A.Member) and not c.computed and c.prop.value == "toString" and not e.args:
            obj = self.expr(c.obj)
            if obj in (INT, NUM):  # (a number's digits, as String(x): apps.js.codegen's _text)
                rt = self.tier.engine.runtime
                self.builtin_property(rt.number_proto, rt.number_builtins, "toString", "Number.prototype")
                return STR
            if obj is None:
                return None
        if (st := static_target(c)) is not None:
            return self.static_call(e, *st, statement)
        if isinstance(c, A.Member) and not c.computed and not c.prop.value.startswith("#"):
            return self.method_call(e, c, statement)
        if isinstance(c, A.Ident) and isinstance(c.ref, Global):
            fn = c.ref.cell.v
            if type(fn) is JSFunction:
                self.globals[c.ref.cell] = ("fn", fn)
                return self._direct_call_type(e, fn, f"callee '{c.name}'", f"'{c.name}'", statement)
            if type(fn) is Builtin and c.name == "String" and len(e.args) == 1:
                return self.number_text(c, e.args[0])
            if type(fn) is Builtin and c.name in STR_NUMBER_MODES:
                return self.number_of(c, e.args)
            if type(fn) is Builtin and c.name in ("isNaN", "isFinite") and len(e.args) == 1:
                self._the_builtin(c)
                at = self.expr(e.args[0])
                if at not in (*NUMERIC, None):  # (a number or a boolean: ToNumber is free)
                    raise NotCompilable(f"{c.name} of a {at}")
                return BOOL
            if type(fn) is Builtin:
                raise NotCompilable(f"builtin {c.name}")
        if isinstance(c, A.Ident) and isinstance(c.ref, Outer):
            # A function declared in an enclosing function (a nested helper,
            # or this one calling itself through its own name): the cell is
            # guarded at entry to hold it still, as a global function's is;
            # its unit is bound to that closure when it uses its variables.
            cell = self.cell_of(c)
            fn = cell.v
            if type(fn) is JSFunction:
                self.globals[cell] = ("fn", fn)
                return self._direct_call_type(e, fn, f"callee '{c.name}'", f"'{c.name}'", statement, fn.env)
        raise NotCompilable("call of something other than a known function")

    def static_call(self, e: A.Call, cell, owner, fn, statement: bool):
        """``C.m(args)``, m a static method of C's own (:func:`static_target`):
        a direct call, the global's class and the property's function
        checked at every entry.  One that uses ``this`` (C) is refused."""
        name = f"{e.callee.obj.name}.{e.callee.prop.value}"
        if uses_this(fn.node):
            raise NotCompilable(f"static method '{name}' uses this")
        self.globals[cell] = ("fn", owner)
        self.globals[self.tier.property_holder(owner, e.callee.prop.value)] = ("fn", fn)
        return self._direct_call_type(e, fn, f"static method '{name}'", f"'{name}'", statement)

    def _direct_call_type(self, e: A.Call, fn, callee: str, named: str, statement: bool, env=None):
        """The type of a direct call of ``fn`` with ``e``'s arguments (None:
        one is not known yet), its signature noted; ``callee`` and ``named``
        name it in a refusal; ``env``: the closure's environment its unit
        may bind to (a nested function's)."""
        argt = [_PARAM.get(t, t) for t in (self.expr(a) for a in e.args)]  # (doubles; references)
        if None in argt:
            return None
        sig = self.tier.signature_for(fn, self.call_types(fn, argt), env)
        if sig is None:
            raise NotCompilable(f"{callee} is not compilable")
        self.callees[fn] = sig
        if sig.ret == UNDEF and not statement:
            raise NotCompilable(f"the result of {named} (undefined) is used")
        return sig.ret

    def number_of(self, ident: A.Ident, args: list):
        """``Number(s)``, ``parseInt(s)`` (``parseInt(s, 10)``),
        ``parseFloat(s)`` of a string -- a number, read in place where the
        string is plain digits (apps.js.codegen's str_number) -- and
        ``Number(x)`` of a number or a boolean; the global guarded at entry
        to be the built-in."""
        name = ident.name
        self._the_builtin(ident)
        radix10 = len(args) == 2 and type(args[1]) is A.Num and args[1].value == 10.0
        if len(args) != 1 and not (name == "parseInt" and radix10):
            raise NotCompilable(f"{name} with {len(args)} arguments")
        t = self.expr(args[0])
        if t is None:
            return None
        if t == STR or (name == "Number" and t in NUMERIC):
            return NUM
        raise NotCompilable(f"{name} of a {t}")

    def _the_builtin(self, ident: A.Ident) -> None:
        """The global ``ident`` names must hold the engine's built-in of that
        name now, and is guarded at every entry to hold it still."""
        builtin = self.tier.engine.globals_builtin.get(ident.name)
        if builtin is None or ident.ref.cell.v is not builtin:
            raise NotCompilable(f"'{ident.name}' is not the built-in")
        self.globals[ident.ref.cell] = ("fn", builtin)

    def number_text(self, ident: A.Ident, arg: A.Node):
        """``String(x)`` of a number or a string (the global guarded at entry
        to be the built-in): compiled as ``"" + x`` is."""
        self._the_builtin(ident)
        t = self.expr(arg)
        if t not in (INT, NUM, STR, None):
            raise NotCompilable(f"String of a {t}")
        return None if t is None else STR

    def new_array(self, ident: A.Ident, n: A.Node, value: A.Node):
        """``new Array(n).fill(value)``: ARR, or BARR for a boolean value; the
        global ``Array`` is guarded at entry to be the built-in still."""
        builtin = self.tier.engine.globals_builtin.get("Array")
        cell = ident.ref.cell
        if builtin is None or cell.v is not builtin:
            raise NotCompilable("'Array' is not the built-in Array")
        self.globals[cell] = ("fn", builtin)
        rt = self.tier.engine.runtime
        self.builtin_property(rt.array_proto, rt.array_builtins, "fill", "Array.prototype")
        self._numeric(self.expr(n), NUM, "new Array")
        vt = self.expr(value)
        if vt in (INT, NUM):
            return ARR
        if vt == BOOL:
            return BARR
        if vt is None:
            return None
        raise NotCompilable(f"new Array(n).fill() of a {vt} (compiled arrays hold numbers or booleans)")

    def push(self, obj: str, args: list):
        """``a.push(x, ...)`` on a packed array, or on the run's copy of an
        array of objects or of rows, in place while its buffer has room (else
        the engine doubles the room): the new length.  Each element must keep
        the array's kind."""
        rt = self.tier.engine.runtime
        self.builtin_property(rt.array_proto, rt.array_builtins, "push", "Array.prototype")
        allowed = {ARR: (INT, NUM), BARR: (BOOL,), AOBJ: (OBJ, NULL), AARR: (ARR,)}[obj]
        for arg in args:
            vt = self.expr(arg)
            if vt not in allowed and vt is not None:
                raise NotCompilable(f"pushing a {vt} onto an array of {ELEMENT[obj]}s (its elements kind would change)")
        return self.INT

    def call_types(self, fn, argt: list) -> list:
        """The parameter types of a call of ``fn`` passing arguments of types
        ``argt``: the default literals it passes for parameters it leaves
        out (:meth:`_defaults_passed`), or -- for a rest parameter -- the
        arguments past the others packed into one array (of numbers, or of
        booleans: apps.js.codegen's ``_direct_call`` makes it).  The
        signature lookup refuses any other mismatch."""
        if type(fn) is not JSFunction or fn.node is None or fn.node.rest is None:
            return argt + self._defaults_passed(fn, len(argt))
        fixed = len(fn.node.fs.params) - 1
        if len(argt) < fixed:
            raise NotCompilable(f"'{fn.name}' given fewer arguments than its parameters before the rest")
        extra = argt[fixed:]
        if all(t in (INT, NUM) for t in extra):
            return argt[:fixed] + [ARR]
        if all(t == BOOL for t in extra):
            return argt[:fixed] + [BARR]
        raise NotCompilable(f"'{fn.name}': a rest parameter given other than numbers or booleans")

    def _defaults_passed(self, fn, given: int) -> list:
        """The types of the default literals a call passing ``given``
        arguments to ``fn`` passes for the rest (:func:`default_literals`);
        [] if it passes them all (or more: a call is typed by what it passes,
        and refused if that is not every parameter)."""
        if type(fn) is not JSFunction or fn.node is None:
            return []
        ds = default_literals(fn.node, given)
        return [] if ds is None else [literal_type(d) for d in ds]

    def getter_call(self, e: A.Member, targets: tuple):
        """``o.p`` read through a getter: compiled as ``o.p()`` would be, a
        call cache on o's shape (does its prototype chain resolve p to an
        accessor whose getter is the target?), then a direct call."""
        name = e.prop.value
        ret = self._calls_return(targets, lambda t: [], f"getter '{name}'", f"getter '{name}'")
        if ret == UNDEF:
            raise NotCompilable(f"getter '{name}' returns undefined")
        return ret

    def _calls_return(self, targets, params_of, callee: str, site: str):
        """Type a direct call of each of ``targets`` on an object (its
        parameters ``params_of(target)``, then the receiver if it uses
        ``this``), noting each signature; the one value their returns give.
        ``callee`` and ``site`` name them in a refusal."""
        rets = set()
        for target in targets:
            params = params_of(target)
            sig = self.tier.signature_for(target, params + [OBJ] if uses_this(target.node) else params)
            if sig is None:
                raise NotCompilable(f"{callee} is not compilable")
            self.callees[target] = sig
            rets.add(sig.ret)
        rets = one_value_type(rets)
        if len(rets) != 1:
            raise NotCompilable(f"{site}: its functions return {sorted(map(str, rets))}")
        return rets.pop()

    def method_call(self, e: A.Call, c: A.Member, statement: bool):
        """``o.m(args)`` on an object: a direct call of a function the
        interpreter saw called there, behind a call inline cache (apps.js.ics)
        that checks the receiver's shape resolves ``m`` to it -- one cache and
        call per function seen (up to interp.MAX_TARGETS, tried in turn: a
        polymorphic call site), a deopt if none matches."""
        name = c.prop.value
        obj = self.expr(c.obj)
        if obj not in (OBJ, None):
            raise NotCompilable(f"method '{name}' of {obj}")
        targets = call_targets(e)
        if not targets:
            if e.target is False:
                raise NotCompilable(f"method call '.{name}()': more functions were called there")
            if e.target is not None:
                raise NotCompilable(f"method call '.{name}()': it called no function of this program")
            why = f"method call '.{name}()': it was never called on an object"
            raise Unfed(why) if not self.conditional else NotCompilable(why)
        argt = [_PARAM.get(t, t) for t in (self.expr(a) for a in e.args)]  # (parameters are doubles, references)
        if None in argt or obj is None:
            return None
        ret = self._calls_return(
            targets, lambda t: self.call_types(t, argt), f"method '{name}'", f"method call '.{name}()'"
        )
        if ret == UNDEF and not statement:
            raise NotCompilable(f"the result of '.{name}()' (undefined) is used")
        return ret

    # --- calls compiled in place (apps.js.inlining) ------------------------------------------------

    def expansion(self, e: A.Call):
        """The expansions of ``e`` if it is compiled in place -- a call of a
        parameter bound to an arrow, or a call given an arrow (or such a
        parameter): one per function the call site has called (up to
        interp.MAX_TARGETS, tried in turn as a polymorphic call's) -- else
        None; NotCompilable if it would have to be and cannot be.  Made once
        per call node: the fixpoint's passes, the annotation and the code
        generator all see the same copies."""
        if e in self.expansions:
            return self.expansions[e]
        x = self.expansions[e] = self._expand(e)
        return x

    def _expand(self, e: A.Call):
        c = e.callee
        if type(c) is A.Ident:
            b = self.local(c.ref)
            clo = self.closures.get(b) if b is not None else None
            if clo is not None and clo.fn is not None:
                return (self._expand_call(e, clo.fn, "known", self._bound(e)),)
            if clo is not None:
                f = clo.arrow
                body, params = copy_body(f.body), list(f.scope.params)
                return (Expansion("arrow", None, body, params, None, clo.env, clo.scope, {}),)
        bound = self._bound(e)
        if not bound:
            return None
        if isinstance(c, A.Member) and not c.computed and not c.prop.value.startswith("#"):
            targets = call_targets(e)
            if not targets:
                if e.target is False:
                    raise NotCompilable(f"a callback passed to '.{c.prop.value}()': more functions were called there")
                where = f"a callback passed to '.{c.prop.value}()'"
                if e.target is not None:
                    raise NotCompilable(f"{where}: it called no function of this program")
                why = f"{where}: it was never called on an object"
                raise Unfed(why) if not self.conditional else NotCompilable(why)
            return tuple(self._expand_call(e, fn, "method", bound) for fn in targets)
        if type(c) is A.Ident and isinstance(c.ref, Global) and type(c.ref.cell.v) is JSFunction:
            return (self._expand_call(e, c.ref.cell.v, "function", bound),)
        raise NotCompilable("a callback passed to something other than a known function")

    def _bound(self, e: A.Call) -> dict:
        """The arguments of ``e`` its callee's parameters are bound to, by
        position (inlining.Closure): an arrow written there, a parameter
        bound so already, or a global's function (``twice(inc, x)``)."""
        bound = {}
        for k, a in enumerate(e.args):
            if closure_argument(a):
                bound[k] = Closure(a, self.env, self.env_scope)  # (None: the unit's own environment)
            elif type(a) is not A.Ident:
                continue
            elif (b := self.local(a.ref)) is not None and b in self.closures:
                bound[k] = self.closures[b]
            elif isinstance(a.ref, Global) and type(fn := a.ref.cell.v) is JSFunction and fn.node is not None:
                bound[k] = Closure(None, None, None, fn, a.ref.cell)
        return bound

    def _expand_call(self, e: A.Call, fn, kind: str, bound: dict) -> Expansion:
        name = fn.name or "<anonymous>"
        what = f"'{name}', passed by name," if kind == "known" else f"a callback passed to '{name}',"
        why = callee_declined(fn.node, arrow_ok=kind == "known")
        if why is not None:
            raise NotCompilable(f"{what} whose body cannot be compiled in place: {why}")
        fs = fn.node.fs
        if len(e.args) < len(fs.params):
            raise NotCompilable(f"{what} called with fewer arguments than it takes")
        if sum(1 for x in self.frames if x is not None) >= MAX_DEPTH:
            raise NotCompilable(f"'{name}': calls compiled in place nested too deep")
        this = fs.this_b if uses_this(fn.node) else None
        if this is not None and kind != "method":
            raise NotCompilable(f"'{name}' uses this, called as a plain function")
        if any(k >= len(fs.params) for k in bound):
            raise NotCompilable(f"a callback passed to '{name}' as an argument it does not take")
        closures = {fs.params[k]: clo for k, clo in bound.items()}
        return Expansion(kind, fn, copy_body(fn.node.node.body), list(fs.params), this, fn.env, fs, closures)

    def inline(self, e: A.Call, xs: tuple, statement: bool):
        """Type a call compiled in place: its arguments (each once) into
        each callee's (or the arrow's) parameters, then each body's copy, in
        its environment; the call's value is what their returns give."""
        x0 = xs[0]
        if x0.kind == "function":
            self.globals[e.callee.ref.cell] = ("fn", x0.fn)  # (checked at every entry)
        for clo in x0.closures.values():
            if clo.cell is not None:  # (a global's function passed in: it must hold it still)
                self.globals[clo.cell] = ("fn", clo.fn)
        if x0.kind == "method":
            recv = self.expr(e.callee.obj)
            if recv not in (OBJ, None):
                raise NotCompilable(f"method '{e.callee.prop.value}' of {recv}")
        if x0.kind == "arrow" and len(e.args) < len(x0.params):
            raise NotCompilable("a callback called with fewer arguments than it takes")
        argt = {k: self.expr(a) for k, a in enumerate(e.args) if not bound_to_closure(x0, k)}
        if UNDEF in argt.values():
            raise NotCompilable("an argument that is undefined")
        rets = set()
        for x in xs:
            tmpl = None if x.fn is None else x.fn.node
            # (a function's bindings serve one expansion at a time: none inside another of the same function)
            if tmpl is not None and any(y is not None and y.fn is not None and y.fn.node is tmpl for y in self.frames):
                raise NotCompilable(f"'{x.fn.name}' calls itself with a callback (compiled in place, it would not end)")
            if x.this is not None:
                self._set(x.this, OBJ, e.pos)
            for k, t in argt.items():
                if k < len(x.params):
                    self._set(x.params[k], t, e.pos)
            x.returns = set()
            with self.entered(x):
                self.stmts(x.body)
            rets |= x.returns or {UNDEF}
        rets = one_value_type(rets)
        if len(rets) != 1:
            if None in rets:
                return None  # (a return's type not known yet: the next pass)
            raise NotCompilable(f"a call compiled in place returns {sorted(map(str, rets))}")
        ret = rets.pop()
        if ret == UNDEF and not statement:
            raise NotCompilable("the result of a call that returns undefined is used")
        return ret

    @contextmanager
    def entered(self, x: Expansion):
        """Inside expansion ``x``: its environment, its parameters' arrows,
        and its returns giving its value."""
        saved = self.env, self.env_scope
        added = [b for b in x.closures if b not in self.closures]
        self.env, self.env_scope = x.env, x.scope
        self.closures.update(x.closures)
        self.frames.append(x)
        try:
            yield
        finally:
            self.frames.pop()
            for b in added:
                del self.closures[b]
            self.env, self.env_scope = saved
