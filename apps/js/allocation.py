"""Which constructors compiled code may call with ``new``.

Compiled code runs as a transaction (apps.js.native): anything it does must
be undone by rolling back its log.  A *fresh* object is unreachable until a
logged store makes it reachable, so allocating one inside the transaction is
safe -- provided its constructor touches nothing but the new object.  Such a
constructor is run by the engine (the interpreter, so its semantics are the
interpreter's) and compiled code gets the object back.

A constructor qualifies when every statement of it (and of its field
initialisers and its parent class's constructor) is ``this.name = e`` or
``super(e...)``, where ``e`` reads only its parameters and literals --
numbers, booleans, null, ``new Array(n).fill(v)`` -- and combines them only
where no user code can run: arithmetic on arguments compiled code passes as
numbers or booleans (an object's ``valueOf`` would be a call).  No global is
read (compiled code may hold its newer value unsynced), no property of an
argument (its mirror may be dirty).  At each construction the prototype chain
is checked again for a setter or a read-only property of an assigned name,
either of which would make the store run code or be refused.
"""

from __future__ import annotations

from array import array

from . import ast as A
from .jittypes import ARRAYS, BOOL, INT, NULL, NUM, new_array_fill
from .native import C_DEOPT, C_TIER_UP, HEAP_FULL
from .scope import Global, Local
from .shapes import mirror_in, referent
from .values import MISSING, OBJECT_PROTO, Accessor, JSArray, JSFunction, JSObject

MAX_ARGS = 8  # (the words of the argument buffer compiled code fills before a construct)
# What one run may hold of what it allocated (apps.js.native): elements, each
# array or object counting 16 more for its headers.
RUN_HEAP_ELEMENTS = 1 << 22
_HELD = "heap held"  # (a run's key: what its allocations hold)
UNDEF_ARG = "undef"  # (a parameter no argument was passed for)
_NUMERIC = (NUM, INT, BOOL, NULL, UNDEF_ARG)  # (what arithmetic converts without running user code)
_ARITH = {"+", "-", "*", "/", "%", "<", ">", "<=", ">=", "===", "!==", "&", "|", "^", "<<", ">>", ">>>"}


class Impure(Exception):
    pass


def pure_constructor(fn, argtypes: list) -> tuple[tuple, str | None]:
    """The property names ``new fn(args)`` assigns (all the way up its class
    chain) and None, or ((), why it does not qualify), for arguments of these
    JIT types."""
    try:
        keys: list = []
        _check_class(fn, argtypes, keys, depth=0)
        return tuple(dict.fromkeys(keys)), None
    except Impure as e:
        return (), str(e)


def _check_class(fn, argtypes: list, keys: list, depth: int) -> None:
    if type(fn) is not JSFunction or fn.kind not in ("function", "class", "derived"):
        raise Impure("not a class or a function of this program")
    if depth > 16:
        raise Impure("too deep a class chain")
    if fn.kind == "function":
        tmpl = fn.node
        if tmpl is None:
            raise Impure("no body")
        _check_body(tmpl, argtypes, keys, fn)
        return
    if fn.fields is not None:
        _check_body(fn.fields.node, [], keys, fn)  # (field initialisers see no arguments)
    if fn.kind == "derived" and not isinstance(fn.parent, JSFunction):
        raise Impure("its parent is not a class of this program")
    if fn.node is None:  # a default constructor: super(...args) in a derived class, nothing in a base one
        if fn.kind == "derived":
            _check_class(fn.parent, argtypes, keys, depth + 1)
        return
    _check_body(fn.node, argtypes, keys, fn, depth)


def _check_body(tmpl, argtypes: list, keys: list, fn, depth: int = 0) -> None:
    if tmpl.rest is not None or tmpl.is_async or tmpl.generator:
        raise Impure("a rest parameter, async or a generator")
    params = {id(b): (argtypes[i] if i < len(argtypes) else UNDEF_ARG) for i, b in enumerate(tmpl.fs.params)}
    for s in tmpl.node.body:
        if type(s) is A.ExprStmt and type(s.expr) is A.Str:
            continue  # ("use strict")
        if type(s) is not A.ExprStmt:
            raise Impure(f"a {type(s).__name__} statement")
        e = s.expr
        if type(e) is A.SuperCall:
            if fn.kind != "derived":
                raise Impure("super() outside a derived class")
            passed = [_expr(a, params) for a in e.args]
            _check_class(fn.parent, passed, keys, depth + 1)
            continue
        if not (type(e) is A.Assign and e.op == "=" and type(e.target) is A.Member):
            raise Impure("a statement other than this.name = value")
        t = e.target
        if type(t.obj) is not A.This or t.computed or t.prop.value.startswith("#"):
            raise Impure("a store other than this.name")
        _expr(e.value, params)
        keys.append(t.prop.value)


def _expr(e, params: dict):
    """The JIT type ``e`` has if it only reads parameters and literals (None:
    not a number or boolean -- a reference, or undefined); Impure if it may
    run user code or read anything else."""
    t = type(e)
    if t is A.Num:
        return NUM
    if t is A.Str:
        return None
    if t is A.Lit:
        return BOOL if type(e.value) is bool else None
    if t is A.Ident:
        ref = e.ref
        if isinstance(ref, Local) and id(ref.binding) in params:
            return params[id(ref.binding)]
        raise Impure(f"it reads '{e.name}', not a parameter" if not isinstance(ref, Global) else "it reads a global")
    if t is A.Unary and e.op in ("-", "+", "!", "~"):
        a = _expr(e.arg, params)
        if e.op != "!" and a not in _NUMERIC:
            raise Impure(f"unary {e.op} of what may be an object")
        return BOOL if e.op == "!" else NUM
    if t is A.Binary and e.op in _ARITH:
        a, b = _expr(e.left, params), _expr(e.right, params)
        if e.op not in ("===", "!==") and (a not in _NUMERIC or b not in _NUMERIC):
            raise Impure(f"'{e.op}' of what may be an object")
        return NUM
    if t is A.Logical:
        _expr(e.left, params)
        _expr(e.right, params)
        return None
    if t is A.Cond:
        _expr(e.test, params)
        _expr(e.then, params)
        _expr(e.other, params)
        return None
    if t is A.Call:
        fill = new_array_fill(e)
        if fill is not None:
            if _expr(fill[0], params) not in _NUMERIC or _expr(fill[1], params) not in (*_NUMERIC, None):
                raise Impure("new Array(n).fill() of what may be an object")
            return None
    raise Impure(f"{t.__name__} in a stored value")


def stores_are_plain(proto, keys: tuple) -> bool:
    """Whether storing each of ``keys`` into a new object with prototype
    ``proto`` just adds an own data property: no setter and no read-only
    property of that name up the chain, and no proxy in it."""
    while proto is not None:
        if type(proto) is not JSObject:
            return False
        props = proto.props
        locked = type(props) is not dict  # (LockedProps: some keys read-only, or the whole table)
        for k in keys:
            v = props.get(k, MISSING)
            if v is MISSING:
                continue
            if type(v) is Accessor or (locked and not props.writable(k)):
                return False
        proto = proto.proto
    return True


class Allocator:
    """The engine's side of compiled code's allocations: the two callbacks
    (``filled`` for new Array(n).fill(v), ``construct`` for new C(...)),
    the construct sites and their argument buffer.  What a run allocates is
    held by the run (``ic.run``, address -> value) until a store or a
    return hands it to the interpreter.  0 back leaves compiled code with
    C_DEOPT already set (and no exception ever crosses into native code)."""

    def __init__(self, ic, stats: dict, words, engine) -> None:
        self.ic, self.stats, self.words, self.engine = ic, stats, words, engine
        self.sites: list = []  # (class, argument JIT types, property names, position)
        self.args = array("q", bytes(8 * MAX_ARGS))
        self.args_address = self.args.buffer_info()[0]
        self._as_ints = memoryview(self.args)
        self._as_doubles = memoryview(self.args).cast("B").cast("d")

    def site(self, fn, types: list, keys: tuple, pos) -> int:
        self.sites.append((fn, tuple(types), keys, pos))
        return len(self.sites) - 1

    def _reserve(self, run: dict, elements: int) -> bool:
        """Count ``elements`` against the run's budget: past it, a loop unit
        leaves at its next back-edge (C_TIER_UP); past 4x, now (False)."""
        before = run.get(_HELD, 0)
        held = before + elements + 16
        if held > RUN_HEAP_ELEMENTS:
            if before and held > 4 * RUN_HEAP_ELEMENTS:
                self.words[C_DEOPT] = HEAP_FULL
                return False
            self.words[C_TIER_UP] = 1
        run[_HELD] = held
        return True

    def filled(self, n: float, value: float, bools: int) -> int:
        words = self.words
        words[C_DEOPT] = 1  # (until it succeeds: an invalid length -- the interpreter throws the RangeError)
        try:
            run = self.ic.run
            if run is None or not (0.0 <= n < 2.0**32 and n == int(n)) or not self._reserve(run, int(n)):
                return 0
            a = JSArray.of_doubles(int(n), value, bool(bools))
            run[a.addr] = a
            self.stats["native_allocations"] += 1
            words[C_DEOPT] = 0
            return a.addr
        except Exception:  # (a MemoryError: the interpreter raises it)
            return 0

    def construct(self, site: int) -> int:
        words = self.words
        words[C_DEOPT] = 1  # (until it succeeds: the interpreter runs the new, and throws what it throws)
        try:
            run = self.ic.run
            fn, types, keys, pos = self.sites[site]
            proto = fn.get_prototype() if fn.kind == "function" else fn.prototype
            if not isinstance(proto, JSObject):
                proto = OBJECT_PROTO  # (what the interpreter gives an object whose class's prototype is not one)
            if run is None or not stores_are_plain(proto, keys):
                return 0
            args = []
            for k, t in enumerate(types):
                if t in (NUM, INT):
                    args.append(self._as_doubles[k])
                elif t == BOOL:
                    args.append(self._as_ints[k] != 0)
                else:
                    v = referent(self._as_ints[k], run)  # (an unknown address raises: nothing is done)
                    if t in ARRAYS and type(v) is not JSArray:
                        return 0
                    args.append(v)
            if not self._reserve(run, len(keys)):
                return 0
            obj = self.engine.runtime.construct(fn, args, pos, fn.name)
            addr = mirror_in(obj, self.ic.fresh, run) if type(obj) is JSObject else 0
            if not addr:
                return 0
            run[addr] = obj
            self.stats["native_allocations"] += 1
            words[C_DEOPT] = 0
            return addr
        except Exception:
            return 0
